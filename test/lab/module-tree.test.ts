// The lab's module tree stand-in (modprobe, modinfo in /usr/local/sbin) answers as Linux 6.1 and kmod 30 do: a loaded
// module shows only the parameters it declares, booleans as Y/N; an unknown parameter is ignored with a kernel log
// line, a value of the wrong type refuses the load. And the modprobe module compares parameters the way the kernel
// shows them (second run changed=0 for `yes` vs Y) and fails an undeclared parameter before touching anything.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost } from '../helpers/stand-ins.js';

describe('the lab module tree stand-in and the modprobe module', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (script: string) => lab.exec('node1', ['sh', '-c', script]);

  before(async function () {
    lab = await acquireLab(1, this);
    await resetLabHost(lab, 'node1');
    await sh('rm -f /etc/modprobe.d/rbd.conf /etc/modprobe.d/vxlan.conf /etc/modules-load.d/rbd.conf /var/lib/runbook-lab/modules/kmsg');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-module-tree-'));
  });
  after(async () => {
    if (lab) await resetLabHost(lab, 'node1');
    await sh('rm -f /etc/modprobe.d/rbd.conf /etc/modprobe.d/vxlan.conf /etc/modules-load.d/rbd.conf').catch(() => undefined);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('shows only the parameters a module declares, with their defaults, booleans as Y/N, perm-0 ones hidden', async () => {
    expect((await sh('modprobe dm_thin_pool && ls /sys/module/dm_thin_pool/parameters && cat /sys/module/dm_thin_pool/parameters/no_space_timeout')).stdout).to.equal('no_space_timeout\n60\n');
    expect((await sh('modprobe rbd single_major=yes && cat /sys/module/rbd/parameters/single_major')).stdout).to.equal('Y\n');
    expect((await sh('modprobe nf_conntrack && ls /sys/module/nf_conntrack/parameters')).stdout).to.equal('acct\nexpect_hashsize\nhashsize\ntstamp\n');
    expect((await sh('modprobe br_netfilter && ls /sys/module/br_netfilter/parameters | wc -l')).stdout).to.equal('0\n');
    expect((await sh('modinfo -F parm vxlan')).stdout).to.equal('udp_port:Destination UDP port (ushort)\nlog_ecn_error:Log packets received with corrupted ECN (bool)\n');
  });

  it('ignores an unknown parameter with the kernel\'s log line and refuses a value of the wrong type like the kernel', async () => {
    const unknown = await sh('modprobe dm_mirror raid1_resync_throtle=50; echo "rc=$?"; ls /sys/module/dm_mirror/parameters; cat /var/lib/runbook-lab/modules/kmsg');
    expect(unknown.stdout).to.equal("rc=0\nraid1_resync_throttle\ndm_mirror: unknown parameter 'raid1_resync_throtle' ignored\n");
    const wrong = await sh('modprobe ceph disable_send_metrics=maybe; echo "rc=$?"; test -e /sys/module/ceph || echo not-loaded; tail -n1 /var/lib/runbook-lab/modules/kmsg');
    expect(wrong.stderr).to.equal("modprobe: ERROR: could not insert 'ceph': Invalid argument\n");
    expect(wrong.stdout).to.equal("rc=1\nnot-loaded\nceph: `maybe' invalid for parameter `disable_send_metrics'\n");
    const notInteger = await sh('modprobe loop max_loop=eight 2>&1; echo "rc=$?"');
    expect(notInteger.stdout).to.equal("modprobe: ERROR: could not insert 'loop': Invalid argument\nrc=1\n");
  });

  it('takes the options of /etc/modprobe.d, then the command line, as modprobe does', async () => {
    const r = await sh('mkdir -p /etc/modprobe.d && echo "options vxlan udp_port=4789 log_ecn_error=off" > /etc/modprobe.d/vxlan.conf && modprobe vxlan && cat /sys/module/vxlan/parameters/udp_port /sys/module/vxlan/parameters/log_ecn_error');
    expect(r.stdout, r.stderr).to.equal('4789\nN\n');
    const later = await sh('modprobe -r vxlan && modprobe vxlan udp_port=8472 && cat /sys/module/vxlan/parameters/udp_port /sys/module/vxlan/parameters/log_ecn_error');
    expect(later.stdout, later.stderr).to.equal('8472\nN\n');
  });

  const play = async (yaml: string) => {
    await fs.writeFile(path.join(dir, 'site.yml'), yaml);
    return runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir, timeoutMs: 120_000 });
  };
  const recapOf = (stdout: string) => jsonEvents(stdout).find((e) => e.event === 'recap')!.hosts.node1;

  it('a bool parameter asked as yes, true or 1 matches sysfs Y: the second run changes nothing', async () => {
    await sh('modprobe -r rbd');
    const playbook = '- hosts: node1\n  gather_facts: false\n  tasks:\n    - name: rbd with one major\n      modprobe: { name: rbd, params: "single_major=yes" }\n    - name: vxlan with ECN logs\n      modprobe: { name: vxlan, params: { log_ecn_error: true }, persistent: disabled }\n';
    await sh('modprobe -r vxlan; rm -f /etc/modprobe.d/vxlan.conf');
    const first = await play(playbook);
    expect(first.code, first.stdout.slice(-1500) + first.stderr).to.equal(0);
    expect(recapOf(first.stdout)).to.include({ changed: 2 });
    expect((await sh('cat /sys/module/rbd/parameters/single_major /sys/module/vxlan/parameters/log_ecn_error /etc/modprobe.d/rbd.conf')).stdout).to.equal('Y\nY\noptions rbd single_major=yes\n');
    const second = await play(playbook);
    expect(second.code, second.stdout.slice(-1500)).to.equal(0);
    expect(recapOf(second.stdout)).to.include({ changed: 0 });
  });

  it('fails a parameter the module does not declare, naming the ones it has, with nothing loaded or written', async () => {
    await sh('modprobe -r dm_thin_pool; rm -f /etc/modprobe.d/dm_thin_pool.conf /etc/modules-load.d/dm_thin_pool.conf');
    const res = await play('- hosts: node1\n  gather_facts: false\n  tasks:\n    - name: thin pool\n      modprobe: { name: dm_thin_pool, params: { no_space_timout: 120 } }\n');
    expect(res.code).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failed.msg).to.contain("dm_thin_pool has no parameter no_space_timout (modinfo -p dm_thin_pool: no_space_timeout): the kernel would load it and ignore it (\"dm_thin_pool: unknown parameter 'no_space_timout' ignored\" in dmesg)");
    expect((await sh('test -e /sys/module/dm_thin_pool || echo not-loaded; ls /etc/modprobe.d/dm_thin_pool.conf /etc/modules-load.d/dm_thin_pool.conf 2>&1 | grep -c "No such file"')).stdout).to.equal('not-loaded\n2\n');
  });
});
