// Security item 17 (terminal escapes): a target's output cannot erase a "failed" line and print a fake "ok": human
// output shows its control characters escaped; JSON output stays valid JSON with them JSON-escaped.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: control characters from hosts are shown escaped', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-term-'));
    // Erase the line, move up, print a green "ok", bidi override: all from the "target".
    await fs.writeFile(path.join(dir, 'evil.sh'), `printf '\\r\\033[2K\\033[1A\\033[32mok           localhost | all good\\033[0m\\b\\b\\342\\200\\256 x' >&2\nexit 1\n`);
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: { argv: [sh, "${dir}/evil.sh"] }\n`);
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('human output: the failed line stays, escapes are visible text', async () => {
    const res = await runCli(['play', 'site.yml', '-v'], { cwd: dir });
    expect(res.code).to.equal(1);
    const out = res.stdout + res.stderr;
    expect(out).to.not.match(/[\x1b\r\b\u202e]/);
    expect(out).to.match(/failed\s+localhost \| .*\\x0d\\x1b\[2K\\x1b\[1A\\x1b\[32mok/);
    expect(out).to.contain('\\x08\\x08\\u202e x');
  });

  it('JSON output: valid JSON, the bytes JSON-escaped', async () => {
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    expect(res.stdout).to.not.match(/[\x1b\r\b]/);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task')!;
    expect(failed.status).to.equal('failed');
    expect(failed.msg).to.contain('\r\x1b[2K\x1b[1A\x1b[32mok');
  });
});
