// Template errors through the CLI: a wrong path names the expression, the first missing part, the task, the host and
// the file position, never a raw JavaScript TypeError (#12 item 15).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('template errors (CLI)', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-tplerr-')); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('a wrong path into a registered loop result names the expression, task, host and position', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - name: stat files
      command: echo {{ item }}
      loop: [a, b]
      register: r
    - name: use the path
      command: echo {{ r.results.0.stat.path }}
`);
    const r = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.not.include('Cannot read properties');
    expect(r.stdout).to.include("site.yml:8:7: undefined variable 'r.results.0.stat' (r.results.0 has: changed, rc, stdout, stderr, stdout_lines, stderr_lines, cmd, item), in the expression 'r.results.0.stat.path' of echo {{r.results.0.stat.path}} in task 'use the path' on host 'localhost'");
  });

  it('inside a helper call too', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars: { cfg: { port: 80 } }
  tasks:
    - name: upper
      debug: { msg: "{{ upper cfg.tls.mode }}" }
`);
    const r = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include("site.yml:5:7: undefined variable 'cfg.tls' (cfg has: port), in the expression 'cfg.tls.mode' of {{ upper cfg.tls.mode }} in task 'upper' on host 'localhost'");
  });
});
