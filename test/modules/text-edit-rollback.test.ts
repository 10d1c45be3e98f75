// blockinfile and ini_file through the CLI on the local connection: a failed host's rollback puts each edited file back
// byte for byte and removes the backup copy and the folders the edit created; a failing validate leaves the file alone.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('blockinfile and ini_file: rollback and validate (CLI, local connection)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-text-edit-'));
    await fs.writeFile(path.join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { connection: local }\n');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const site = (tasks: string) => fs.writeFile(path.join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', 'inv.yml', ...args], { cwd: dir });

  it('a failed host gets every file back byte for byte; the backup and the created folders are gone', async () => {
    // CRLF, a BOM and no final line break: what Ansible's ini_file normalises when it writes, rollback must restore.
    const ini = '\ufeff[db]\r\nhost = a\r\nport = 1';
    const conf = 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nz';
    await fs.writeFile(path.join(dir, 'app.ini'), ini);
    await fs.writeFile(path.join(dir, 'app.conf'), conf);
    await fs.chmod(path.join(dir, 'app.conf'), 0o640);
    await fs.writeFile(path.join(dir, 'target.ini'), '[s]\nk = v\n');
    await fs.symlink('target.ini', path.join(dir, 'link.ini'));
    await site(`    - { name: ini, community.general.ini_file: { path: "${dir}/app.ini", section: db, option: host, value: b } }
    - { name: new ini, ini_file: { path: "${dir}/made/deeper/new.ini", section: s, option: k, value: v } }
    - { name: block, blockinfile: { path: "${dir}/app.conf", block: "new", backup: true, mode: "0600" } }
    - { name: link replaced, ini_file: { path: "${dir}/link.ini", section: s, option: k, value: w } }
    - { name: boom, command: "false" }\n`);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    expect(r.stdout).to.match(/h1 +: ok=0 changed=4 failed=1/);
    expect(await fs.readlink(path.join(dir, 'link.ini'))).to.equal('target.ini');
    expect(await fs.readFile(path.join(dir, 'target.ini'), 'utf8')).to.equal('[s]\nk = v\n');
    expect(await fs.readFile(path.join(dir, 'app.ini'), 'utf8')).to.equal(ini);
    expect(await fs.readFile(path.join(dir, 'app.conf'), 'utf8')).to.equal(conf);
    expect((await fs.stat(path.join(dir, 'app.conf'))).mode & 0o777).to.equal(0o640);
    expect((await fs.readdir(dir)).sort()).to.deep.equal(['.runbook', 'app.conf', 'app.ini', 'inv.yml', 'link.ini', 'site.yml', 'target.ini']);
  });

  it('without rollback the backup stays, is registered, and holds the old text', async () => {
    await fs.writeFile(path.join(dir, 'app.conf'), 'a\n');
    await site(`    - { name: block, blockinfile: { path: "${dir}/app.conf", block: "new", backup: true }, register: edited }
    - { name: show, copy: { dest: "${dir}/backup-name", content: "{{ edited.backup_file }}" } }\n`);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const backup = await fs.readFile(path.join(dir, 'backup-name'), 'utf8');
    expect(backup).to.match(/app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(await fs.readFile(backup, 'utf8')).to.equal('a\n');
  });

  it('a validate command that fails refuses the edit: the task fails with its words, the file is untouched', async () => {
    await fs.writeFile(path.join(dir, 'app.conf'), 'a\n');
    await site(`    - { name: checked, blockinfile: { path: "${dir}/app.conf", block: "bad", validate: "grep -q good %s" } }
    - { name: passes, blockinfile: { path: "${dir}/app.conf", block: "good", validate: "grep -q good %s", marker: "# {mark} second" } }\n`);
    const failed = await play('--no-rollback');
    expect(failed.code).to.equal(1);
    expect(failed.stdout).to.include('failed to validate: rc:1');
    expect(await fs.readFile(path.join(dir, 'app.conf'), 'utf8')).to.equal('a\n');
    await site(`    - { name: passes, blockinfile: { path: "${dir}/app.conf", block: "good", validate: "grep -q good %s" } }\n`);
    const passed = await play();
    expect(passed.code, passed.stdout + passed.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'app.conf'), 'utf8')).to.equal('a\n# BEGIN ANSIBLE MANAGED BLOCK\ngood\n# END ANSIBLE MANAGED BLOCK\n');
  });
});
