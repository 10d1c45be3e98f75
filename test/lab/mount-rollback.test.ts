// Ansible's mount tasks (ansible.posix.mount, run as fstab) on a lab host with real tmpfs mounts, rolled back when a
// later task fails: the fstab file is byte for byte what it was, unmounted filesystems are mounted again, new mounts
// are gone, the removed mount point is back (mounted again) and the backup copy is removed.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const DIR = '/tmp/runbook-mount-rollback';
const FSTAB = `${DIR}/fstab`;

describe('mount (fstab) rollback on a lab host: fstab and live mounts restored', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  let host: string;

  before(async function () {
    lab = await acquireLab(1, this);
    host = lab.hosts[0].name;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-mount-rollback-'));
    const task = (name: string, args: string) => `    - name: ${name}\n      ansible.posix.mount: { ${args}, fstab: ${FSTAB} }\n`;
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: ${host}\n  gather_facts: false\n  tasks:\n${[
      task('absent', `path: ${DIR}/a, state: absent`),
      task('unmounted', `path: ${DIR}/u, state: unmounted`),
      task('mounted', `path: ${DIR}/n, src: tmpfs, fstype: tmpfs, opts: size=1m, state: mounted, backup: true`),
      task('ephemeral', `path: ${DIR}/e, src: tmpfs, fstype: tmpfs, opts: size=1m, state: ephemeral`),
    ].join('')}    - name: stop\n      fail: { msg: stop here }\n`);
    const setup = `mkdir -p ${DIR} && for m in a u; do mkdir -p ${DIR}/$m && mount -t tmpfs -o size=1m tmpfs ${DIR}/$m && printf 'tmpfs %s/%s tmpfs size=1m 0 0\\n' ${DIR} $m >> ${FSTAB}; done && printf '# end\\n' >> ${FSTAB}`;
    const r = await lab.exec(host, ['sh', '-c', setup]);
    expect(r.code, r.stderr).to.equal(0);
  });
  after(async () => {
    if (lab) await lab.exec(host, ['sh', '-c', `for m in a u n e; do umount ${DIR}/$m 2>/dev/null; done; rm -rf ${DIR}`]).catch(() => undefined);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const mounted = async (m: string) => (await lab.exec(host, ['findmnt', '-n', '-o', 'FSTYPE', `${DIR}/${m}`])).stdout.trim();

  it('every change is made, then undone when a later task fails', async () => {
    const fstabBefore = await lab.readFile(host, FSTAB);
    const res = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir, timeoutMs: 120_000 });
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
