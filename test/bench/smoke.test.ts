// The benchmark in smoke mode (2 hosts, 1 repetition) so it cannot rot. It asserts what the run produced — a
// well-formed table and JSON, every tool converged and reached changed=0 on the re-run — never a time.

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { distRoot, repoRoot } from '../helpers/paths.js';
import { isRoot } from '../helpers/lab.js';

const run = promisify(execFile);

describe('npm run bench -- --smoke', function () {
  this.timeout(600_000);
  before(function () {
    if (!isRoot()) {
      console.warn('\n  *** SKIPPED: the benchmark needs root (lab); CI runs as root ***\n');
      this.skip();
    }
  });

  it('runs runbook, Ansible and the raw floor side by side and writes its results', async () => {
    const { stdout } = await run(process.execPath, [path.join(distRoot, 'bench', 'run.js'), '--smoke'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    expect(stdout).to.match(/^\| hosts \| scenario \| runbook s/m);
    for (const s of ['first', 'noop', 'check']) expect(stdout).to.match(new RegExp(`^\\| 2 \\| ${s} \\| [0-9.]+ \\(`, 'm'));
    expect(stdout).to.match(/Engine only: \d+ local pseudo-hosts × 5 tasks/);
    const json = JSON.parse(await fs.readFile(path.join(repoRoot, 'bench/results/smoke.json'), 'utf8'));
    expect(json.results).to.have.length(3);
    for (const r of json.results) {
      for (const tool of ['runbook', 'ansible', 'floor']) expect(r[tool].median, `${tool} ${r.scenario}`).to.be.a('number').greaterThan(0);
    }
    expect(json.engine_only.cpuMsPerHostTask).to.be.a('number').greaterThan(0);
  });
});
