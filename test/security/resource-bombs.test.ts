// Security item 16: resource bombs. An import bomb, a non-regular file as a playbook (/dev/zero, a FIFO), a
// backtracking regex_match and nonsense numeric options are refused quickly and clearly, never run.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: resource bombs', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-bombs-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('an import bomb (24 files, each importing the next twice) is refused at validate with exit 2', async () => {
    for (let i = 0; i < 24; i++) {
      const body = i === 23
        ? '- name: leaf\n  command: { argv: ["true"] }\n'
        : `- import_tasks: t${i + 1}.yml\n- import_tasks: t${i + 1}.yml\n`;
      await fs.writeFile(path.join(dir, `t${i}.yml`), body);
    }
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - import_tasks: t0.yml\n');
    // Bounded: before the fix this ran past a minute and hundreds of MB.
    const res = await runCli(['validate', 'site.yml'], { cwd: dir, timeoutMs: 30_000 });
    expect(res.code, res.stderr).to.equal(2);
    expect(res.stderr).to.match(/expands to more than 10000 tasks/);
    expect(res.stderr).to.match(/t\d+\.yml:\d+:\d+/);
  });

  it('/dev/zero as a playbook is refused as not a regular file', async () => {
    const res = await runCli(['validate', '/dev/zero'], { cwd: dir, timeoutMs: 30_000 });
    expect(res.code, res.stderr).to.equal(2);
    expect(res.stderr).to.contain('/dev/zero is not a regular file');
  });

  it('a FIFO as a playbook, or as an imported task file, is refused instead of hanging', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.yml')]);
    const direct = await runCli(['validate', 'pipe.yml'], { cwd: dir, timeoutMs: 30_000 });
    expect(direct.code, direct.stderr).to.equal(2);
    expect(direct.stderr).to.contain('pipe.yml is not a regular file');
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: localhost\n  tasks:\n    - import_tasks: pipe.yml\n');
    const imported = await runCli(['validate', 'site.yml'], { cwd: dir, timeoutMs: 30_000 });
    expect(imported.code, imported.stderr).to.equal(2);
    expect(imported.stderr).to.match(/site\.yml:3:\d+: .*pipe\.yml is not a regular file/);
  });

  it('a catastrophically backtracking regex_match runs in linear time (the controller never freezes)', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars:
    text: "${'a'.repeat(40)}!"
  tasks:
    - name: evil regex
      command: { argv: ["true"] }
      when: '{{regex_match text "^(a+)+$"}}'
    - name: good regex
      command: { argv: ["true"] }
      when: '{{regex_match text "^a{40}!$"}}'
`);
    // With a backtracking engine, (a+)+$ on 40 a's and a '!' takes 2^40 steps: this would time out.
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir, timeoutMs: 30_000 });
    expect(res.code, res.stderr).to.equal(0);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(tasks.map((t) => `${t.task}:${t.status}`)).to.deep.equal(['evil regex:skipped', 'good regex:changed']);
  });

  for (const [option, value] of [['--command-timeout', 'abc'], ['--command-timeout', '0'], ['--command-timeout', '-5'], ['--timeout', 'x1'], ['--forks', '1e3']]) {
    it(`${option} ${value} is refused with exit 2 before anything runs`, async () => {
      await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/touched", content: "x" }\n`);
      const res = await runCli(['play', 'site.yml', `${option}=${value}`], { cwd: dir });
      expect(res.code, res.stdout + res.stderr).to.equal(2);
      expect(res.stderr).to.contain(`${option} must be a positive`);
      expect(await fs.stat(path.join(dir, 'touched')).then(() => true, () => false)).to.equal(false);
    });
  }
});
