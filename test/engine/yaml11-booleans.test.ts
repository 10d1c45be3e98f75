// YAML 1.1 booleans (#12 item 11): yes/no/on/off/True/False accepted where a boolean is expected, with Ansible's
// meaning, in play and task keywords, conditions and boolean module args; strings elsewhere stay strings.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('YAML 1.1 booleans', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-yes-')); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads yes/no/on/off/True/False as Ansible does in keywords, conditions and module args', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: no
  become: no
  vars: { word: "yes" }
  tasks:
    - name: fails but failed_when says no
      command: "false"
      failed_when: no
    - name: ignored failure
      command: "false"
      ignore_errors: yes
    - name: create the file
      lineinfile: { path: "${dir}/conf", line: "word={{ word }}", create: yes }
    - name: not replaced
      copy: { dest: "${dir}/conf", content: "other\\n", force: off }
    - name: hidden
      debug: { msg: "shown?" }
      no_log: True
    - name: skipped
      debug: { msg: never }
      when: False
`);
    const r = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'conf'), 'utf8')).to.equal('word=yes\n');
    expect(r.stdout).to.not.include('shown?');
    expect(r.stdout).to.match(/skipped +localhost \| skipped/);
    expect(r.stdout).to.match(/ignored +localhost \| ignored failure/);
  });

  it('still refuses a word that is not a boolean where one is expected', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: localhost\n  gather_facts: maybe\n  tasks: []\n');
    const r = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/site\.yml:2:\d+: .*gather_facts/);
  });
});
