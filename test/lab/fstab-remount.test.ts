// fstab state: mounted on a lab host with a real tmpfs (#12 item 13): a mounted filesystem whose live options differ
// from the wanted ones is remounted in place (mount -o remount) while a process keeps it busy, so it is never
// unmounted; check mode reports the live drift first; a rerun changes nothing; rollback puts the old options back; state: remounted (#16) does the same without touching the file.
// Ansible's mount tasks (ansible.posix.mount, run as fstab) rolled back when a later task fails: the fstab file is
// byte for byte what it was, unmounted filesystems are mounted again, new mounts are gone, the removed mount point is
// back (mounted again) and the backup copy is removed.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const MOUNT = '/mnt/runbook-remount';
const DIR = '/tmp/runbook-mount-rollback';
const FSTAB = `${DIR}/fstab`;

describe('fstab remounts live options in place on a lab host (#12 item 13); Ansible\'s mount rolled back', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  let host: string;

  before(async function () {
    lab = await acquireLab(1, this);
    host = lab.hosts[0].name;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-remount-'));
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: ${host}\n  gather_facts: false\n  tasks:\n    - name: scratch tmpfs\n      fstab: { path: ${MOUNT}, src: tmpfs, fstype: tmpfs, opts: "size=2m,mode=0700,nosuid", state: mounted, fstab: /etc/fstab-remount-test }\n`);
    // Mounted with other options, listed with them, and kept busy by a process whose working directory is inside.
    const setup = `umount ${MOUNT} 2>/dev/null; mkdir -p ${MOUNT} && mount -t tmpfs -o size=1m,mode=0755 tmpfs ${MOUNT} && echo data > ${MOUNT}/keep &&
      printf 'tmpfs ${MOUNT} tmpfs size=1m,mode=0755 0 0\\n' > /etc/fstab-remount-test && (cd ${MOUNT} && setsid sleep 120 >/dev/null 2>&1 < /dev/null & echo $! > /tmp/runbook-remount-busy.pid)`;
    const r = await lab.exec(host, ['sh', '-c', setup]);
    expect(r.code, r.stderr).to.equal(0);
  });
  after(async () => {
    if (lab) await lab.exec(host, ['sh', '-c', `kill "$(cat /tmp/runbook-remount-busy.pid)"; rm -f /tmp/runbook-remount-busy.pid; umount -l ${MOUNT}; rm -f /etc/fstab-remount-test`]).catch(() => undefined);
    if (lab) await lab.exec(host, ['sh', '-c', `for m in a u n e; do umount ${DIR}/$m 2>/dev/null; done; rm -rf ${DIR}`]).catch(() => undefined);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir, timeoutMs: 120_000 });
  const live = async () => (await lab.exec(host, ['findmnt', '-n', '-o', 'OPTIONS', MOUNT])).stdout.trim();

  it('check mode reports the live drift and changes nothing', async () => {
    const res = await play('--check');
    const task = jsonEvents(res.stdout).find((e) => e.event === 'task')!;
    expect(task.status).to.equal('changed');
    expect(task.changes.join('\n')).to.contain('live options lack size=2m,nosuid');
    expect(await live()).to.contain('size=1024k');
  });

  it('remounts in place while busy (the file inside survives), then changes nothing; rollback restores the options', async () => {
    const first = await play();
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(await live()).to.match(/nosuid.*size=2048k/);
    expect((await lab.exec(host, ['cat', `${MOUNT}/keep`])).stdout).to.equal('data\n');
    const second = await play();
    expect(jsonEvents(second.stdout).find((e) => e.event === 'task')!.status).to.equal('ok');
    const run = jsonEvents(first.stdout).find((e) => e.event === 'run_start')!.run;
    const back = await runCli(['rollback', run], { cwd: dir, timeoutMs: 120_000 });
    expect(back.code, back.stdout + back.stderr).to.equal(0);
    expect(await live()).to.match(/size=1024k/);
    expect(await live()).not.to.contain('nosuid');
    expect((await lab.exec(host, ['cat', `${MOUNT}/keep`])).stdout).to.equal('data\n');
  });

  it('state: remounted changes the live options in place and leaves the fstab file alone; check mode first changes nothing', async () => {
    const fstabBefore = await lab.readFile(host, '/etc/fstab-remount-test');
    await fs.writeFile(path.join(dir, 'remount.yml'), `- hosts: ${host}\n  gather_facts: false\n  tasks:\n    - name: remount\n      fstab: { path: ${MOUNT}, opts: "size=3m,noexec", state: remounted }\n`);
    const remount = (...args: string[]) => runCli(['play', 'remount.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir, timeoutMs: 120_000 });
    const check = await remount('--check');
    expect(jsonEvents(check.stdout).find((e) => e.event === 'task')!.msg).to.match(/^would remount \/mnt\/runbook-remount with size=3m,noexec \(live options lack size=3m,noexec\)$/);
    expect(await live()).not.to.contain('noexec');
    const first = await remount();
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(await live()).to.match(/noexec.*size=3072k/);
    expect((await lab.exec(host, ['cat', `${MOUNT}/keep`])).stdout).to.equal('data\n');
    expect(await lab.readFile(host, '/etc/fstab-remount-test')).to.equal(fstabBefore);
    expect(jsonEvents((await remount()).stdout).find((e) => e.event === 'task')!.status).to.equal('ok');
  });

  const mounted = async (m: string) => (await lab.exec(host, ['findmnt', '-n', '-o', 'FSTYPE', `${DIR}/${m}`])).stdout.trim();

  it('Ansible\'s mount tasks: every change is made, then undone when a later task fails (fstab and live mounts restored)', async () => {
    const task = (name: string, args: string) => `    - name: ${name}\n      ansible.posix.mount: { ${args}, fstab: ${FSTAB} }\n`;
    await fs.writeFile(path.join(dir, 'rollback.yml'), `- hosts: ${host}\n  gather_facts: false\n  tasks:\n${[
      task('absent', `path: ${DIR}/a, state: absent`),
      task('unmounted', `path: ${DIR}/u, state: unmounted`),
      task('mounted', `path: ${DIR}/n, src: tmpfs, fstype: tmpfs, opts: size=1m, state: mounted, backup: true`),
      task('ephemeral', `path: ${DIR}/e, src: tmpfs, fstype: tmpfs, opts: size=1m, state: ephemeral`),
    ].join('')}    - name: stop\n      fail: { msg: stop here }\n`);
    const setup = `mkdir -p ${DIR} && for m in a u; do mkdir -p ${DIR}/$m && mount -t tmpfs -o size=1m tmpfs ${DIR}/$m && printf 'tmpfs %s/%s tmpfs size=1m 0 0\\n' ${DIR} $m >> ${FSTAB}; done && printf '# end\\n' >> ${FSTAB}`;
    const setupRun = await lab.exec(host, ['sh', '-c', setup]);
    expect(setupRun.code, setupRun.stderr).to.equal(0);
    const fstabBefore = await lab.readFile(host, FSTAB);
    const res = await runCli(['play', 'rollback.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir, timeoutMs: 120_000 });
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    const events = jsonEvents(res.stdout);
    const statuses = events.filter((e) => e.event === 'task').map((e) => `${e.task}=${e.status}`);
    expect(statuses).to.deep.equal(['absent=changed', 'unmounted=changed', 'mounted=changed', 'ephemeral=changed', 'stop=failed']);
    const steps = events.find((e) => e.event === 'rollback')!.steps.map((s: { task: string; status: string }) => `${s.task}=${s.status}`);
    expect(steps).to.deep.equal(['ephemeral=reverted', 'mounted=reverted', 'unmounted=reverted', 'absent=reverted']);
    expect(await lab.readFile(host, FSTAB)).to.equal(fstabBefore);
    expect(await mounted('a')).to.equal('tmpfs');
    expect(await mounted('u')).to.equal('tmpfs');
    expect(await mounted('n')).to.equal('');
    expect(await mounted('e')).to.equal('');
    const left = (await lab.exec(host, ['ls', '-A', DIR])).stdout.split('\n').filter(Boolean);
    expect(left.filter((f) => f.startsWith('fstab.')), 'backup copies left').to.deep.equal([]);
  });
});
