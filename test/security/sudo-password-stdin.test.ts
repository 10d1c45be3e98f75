// Security item 13: the sudo password goes to sudo's prompt only (askpass), never into the command's stdin, also
// when sudo does not ask for it (NOPASSWD): it was written into a root-owned file. Lab users created by the test.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { createSudoUser, removeSudoUser } from '../helpers/sudo-user.js';

describe('security: the sudo password never reaches a command (lab)', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;

  before(async function () { lab = await acquireLab(2, this); });
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-sudo-')); });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await lab.exec('node2', ['rm', '-f', '/root/stdin-seen', '/root/no-stdin-seen']);
    for (const name of ['rbnopass', 'rbpass']) await removeSudoUser(lab, 'node2', name);
  });

  for (const sudo of ['nopasswd', 'password'] as const) {
    it(`sudo ${sudo === 'nopasswd' ? 'that does not ask' : 'that asks'}: the command reads exactly its own stdin`, async () => {
      const user = await createSudoUser(lab, 'node2', sudo === 'nopasswd' ? 'rbnopass' : 'rbpass', sudo, dir);
      await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node2
  gather_facts: false
  become: true
  tasks:
    - command: { argv: [tee, /root/stdin-seen], stdin: "given" }
    - shell: cat > /root/no-stdin-seen
`);
      const res = await runCli(['play', 'site.yml', '-i', user.inventory], { cwd: dir });
      expect(res.code, res.stdout + res.stderr).to.equal(0);
      expect(await lab.readFile('node2', '/root/stdin-seen')).to.equal('given');
      expect(await lab.readFile('node2', '/root/no-stdin-seen')).to.equal('');
      expect((await lab.exec('node2', ['stat', '-c', '%U', '/root/stdin-seen'])).stdout.trim()).to.equal('root');
    });
  }

  it('a wrong password fails the task with sudo\'s message, and the password is not printed', async () => {
    const user = await createSudoUser(lab, 'node2', 'rbpass', 'password', dir);
    await fs.writeFile(user.inventory, (await fs.readFile(user.inventory, 'utf8')).replace(user.password, 'not-the-password-91'));
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: node2\n  gather_facts: false\n  become: true\n  tasks:\n    - command: "true"\n');
    const res = await runCli(['play', 'site.yml', '-i', user.inventory], { cwd: dir });
    expect(res.code).to.equal(1);
    expect(res.stdout + res.stderr).to.not.contain('not-the-password-91');
  });
});
