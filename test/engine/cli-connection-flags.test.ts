// Ansible's connection flags on `play`: -b/--become-user apply where the play and task say nothing (a play's own
// `become: false` wins, as in Ansible); -u/--private-key are defaults below the inventory's own user/key.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { isRoot } from '../helpers/lab.js';

describe('cli: -b, --become-user, -u, --private-key', function () {
  this.timeout(60_000);
  let dir: string;
  before(async function () {
    if (!isRoot()) this.skip(); // sudo to another user needs root here (CI runs as root)
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-flags-'));
    await fs.chmod(dir, 0o777);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('-b --become-user nobody runs commands as nobody; a play that says become: false is not overridden', async () => {
    const play = (become: string) => `- hosts: localhost\n  gather_facts: false\n${become}  tasks:\n    - shell: id -un > ${dir}/who-$RANDOM$RANDOM.txt\n`;
    await fs.writeFile(path.join(dir, 'a.yml'), play(''));
    const a = await runCli(['play', 'a.yml', '-b', '--become-user', 'nobody'], { cwd: dir });
    expect(a.code, a.stdout + a.stderr).to.equal(0);
    const whoA = (await fs.readdir(dir)).filter((f) => f.startsWith('who-'));
    expect(await fs.readFile(path.join(dir, whoA[0]), 'utf8')).to.equal('nobody\n');
    for (const f of whoA) await fs.rm(path.join(dir, f));
    await fs.writeFile(path.join(dir, 'b.yml'), play('  become: false\n'));
    const b = await runCli(['play', 'b.yml', '-b', '--become-user', 'nobody'], { cwd: dir });
    expect(b.code, b.stdout + b.stderr).to.equal(0);
    const whoB = (await fs.readdir(dir)).filter((f) => f.startsWith('who-'));
    expect(await fs.readFile(path.join(dir, whoB[0]), 'utf8')).to.equal(`${os.userInfo().username}\n`);
  });

  it('-u and --private-key fill in where the inventory is silent and never override it', async () => {
    await fs.writeFile(path.join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { connection: local, user: deploy }\n    h2: { connection: local }\n');
    await fs.writeFile(path.join(dir, 'c.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/u-{{inventory_hostname}}.txt", content: "{{user}} {{key}}" }\n`);
    const c = await runCli(['play', 'c.yml', '-i', 'inv.yml', '-u', 'ops', '--private-key', 'id_ops'], { cwd: dir });
    expect(c.code, c.stdout + c.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'u-h1.txt'), 'utf8')).to.equal(`deploy ${path.join(dir, 'id_ops')}`);
    expect(await fs.readFile(path.join(dir, 'u-h2.txt'), 'utf8')).to.equal(`ops ${path.join(dir, 'id_ops')}`);
  });
});
