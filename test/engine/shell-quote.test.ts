// The one quoting function: hostile values survive `sh -c` exactly, as one word.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { quoteArg, quoteArgv, quoteCommand } from '../../engine/template/shell-quote.js';

const HOSTILE = ['; rm -rf /', '$(touch /tmp/runbook-pwned)', '`id`', "it's", '"double"', 'new\nline', 'ünïcødé ✓', '', '-n', '*', '$HOME', 'a b\tc', '\\', "'"];

describe('shell quoting', () => {
  it('round-trips hostile values through sh -c exactly', () => {
    for (const v of HOSTILE) {
      const out = execFileSync('sh', ['-c', `printf '%s' ${quoteArg(v)}`]).toString();
      expect(out, JSON.stringify(v)).to.equal(v);
    }
  });
  it('keeps argv boundaries', () => {
    const out = execFileSync('sh', ['-c', `for a in ${quoteArgv(HOSTILE)}; do printf '[%s]' "$a"; done`]).toString();
    expect(out).to.equal(HOSTILE.map((v) => `[${v}]`).join(''));
  });
  it('quotes env values and cwd, refuses bad env names', () => {
    expect(quoteCommand(['ls'], { cwd: '/tmp/a b', env: { X: '$(id)' } })).to.equal("cd '/tmp/a b' && env X='$(id)' ls");
    expect(() => quoteCommand(['ls'], { env: { 'A;B': '1' } })).to.throw(/invalid environment variable/);
  });
});
