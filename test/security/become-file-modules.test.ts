// Issue #13 item 18 (become part): with a non-root login user and become, file modules write (and read) with the
// task's privileges; over SFTP as the login user they got "Permission denied". Lab user created by the test.

import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { createSudoUser, removeSudoUser } from '../helpers/sudo-user.js';

describe('become covers file modules (lab, non-root login user with sudo)', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;

  before(async function () { lab = await acquireLab(2, this); });
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-become-files-')); });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await lab.exec('node2', ['rm', '-rf', '/etc/runbook-become.conf', '/root/runbook-become', '/root/runbook-large.bin']);
    await removeSudoUser(lab, 'node2', 'rbfiles');
  });

  it('copy and lineinfile in root-owned places (a 0700 directory of root included) converge, then report changed=0', async () => {
    const user = await createSudoUser(lab, 'node2', 'rbfiles', 'password', dir);
    await lab.exec('node2', ['sh', '-c', 'mkdir -m 700 /root/runbook-become && printf "a=1\\n" > /root/runbook-become/secret.conf && chmod 600 /root/runbook-become/secret.conf']);
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node2
  gather_facts: false
  become: true
  tasks:
    - copy: { dest: /etc/runbook-become.conf, content: "x=1\\n", mode: "0640" }
    - lineinfile: { path: /root/runbook-become/secret.conf, line: "b=2" }
`);
    const first = await runCli(['play', 'site.yml', '-i', user.inventory, '--format', 'json'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(await lab.readFile('node2', '/etc/runbook-become.conf')).to.equal('x=1\n');
    expect((await lab.exec('node2', ['stat', '-c', '%U %G %a', '/etc/runbook-become.conf'])).stdout.trim()).to.equal('root root 640');
    expect(await lab.readFile('node2', '/root/runbook-become/secret.conf')).to.equal('a=1\nb=2\n');
    expect((await lab.exec('node2', ['stat', '-c', '%U %a', '/root/runbook-become/secret.conf'])).stdout.trim()).to.equal('root 600');
    const second = await runCli(['play', 'site.yml', '-i', user.inventory, '--format', 'json'], { cwd: dir });
    expect(second.code, second.stdout + second.stderr).to.equal(0);
    expect(jsonEvents(second.stdout).find((e) => e.event === 'recap')!.hosts.node2.changed).to.equal(0);
  });

  it('item 9 over SSH with become: a 10 MB copy is streamed in chunks; rollback puts the old 6 MB root-only file back from its kept copy', async () => {
    const user = await createSudoUser(lab, 'node2', 'rbfiles', 'password', dir);
    await lab.exec('node2', ['sh', '-c', 'head -c 6000000 /dev/urandom > /root/runbook-large.bin && chmod 600 /root/runbook-large.bin']);
    const old = (await lab.exec('node2', ['sha256sum', '/root/runbook-large.bin'])).stdout.split(' ')[0];
    await fs.writeFile(path.join(dir, 'src.bin'), randomBytes(10 * 1024 * 1024));
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node2
  gather_facts: false
  become: true
  tasks:
    - name: big copy
      copy: { src: src.bin, dest: /root/runbook-large.bin }
    - name: the new file arrived whole
      command: { argv: [sha256sum, /root/runbook-large.bin] }
      register: sum
    - name: breaks
      fail: { msg: "{{sum.stdout}}" }
`);
    const res = await runCli(['play', 'site.yml', '-i', user.inventory, '--format', 'json'], { cwd: dir });
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === 'breaks')!;
    expect(failed.msg).to.contain(createHash('sha256').update(await fs.readFile(path.join(dir, 'src.bin'))).digest('hex'));
    const steps = jsonEvents(res.stdout).find((e) => e.event === 'rollback')!.steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`);
    expect(steps).to.include('big copy:reverted');
    expect((await lab.exec('node2', ['sha256sum', '/root/runbook-large.bin'])).stdout.split(' ')[0]).to.equal(old);
    expect((await lab.exec('node2', ['stat', '-c', '%U %a', '/root/runbook-large.bin'])).stdout.trim()).to.equal('root 600');
  });
});
