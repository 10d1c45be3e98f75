// Output piped into `head` (a reader that goes away) ends quietly: no stack trace, exit 0.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cliEntry } from '../helpers/paths.js';

describe('cli: a closed pipe', () => {
  it('`runbook schema | head -1` prints one line and no EPIPE stack trace', function () {
    this.timeout(30_000);
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cliEntry}" schema | head -1`], { encoding: 'utf8' });
    expect(r.stdout).to.equal('{\n');
    expect(r.stderr).to.not.match(/EPIPE|Unhandled|at .*:\d+:\d+/);
    expect(r.status, r.stderr).to.equal(0);
  });
});
