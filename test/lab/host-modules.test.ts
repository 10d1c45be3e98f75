// Host modules end to end on lab hosts over SSH: real sysctl (per network namespace), real bind mounts and fstab,
// real apt/dpkg with a local repository, real firewalld and systemd; modprobe through the lab's module tree stand-in
// (no kernel module can load into the machine's shared kernel) and kubelet through the lab's kubernetes feature. First run converges, second changes nothing, --check finds no
// drift, drift is reported with diffs, a repair run fixes it, and rollback restores the starting state.

import { expect } from 'chai';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { ensureFakeRepo, useRepoScript } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost, startFirewalld } from '../helpers/stand-ins.js';

const HOSTS = ['node1', 'node2'];

const PLAYBOOK = `
- name: Prepare nodes for Kubernetes and GlusterFS
  hosts: node1,node2
  tasks:
    - name: ip_forward
      sysctl: { name: net.ipv4.ip_forward, value: "1", file: /etc/sysctl.d/k8s.conf }
    - name: rp_filter loose
      sysctl: { name: net.ipv4.conf.all.rp_filter, value: "2", file: /etc/sysctl.d/k8s.conf }
    - name: br_netfilter
      modprobe: { name: br_netfilter }
    - name: dm_thin_pool with options
      modprobe: { name: dm_thin_pool, params: "no_space_timeout=120" }
    - name: etcd data on the RAID (bind)
      fstab: { path: /var/lib/etcd, src: /mnt/root/var/lib/etcd, fstype: none, opts: "defaults,bind", state: mounted }
    - name: data disk line
      fstab: { path: /mnt/root, src: "UUID=655a39e8-9a5d-45f3-ae14-73b4c5ed50c3", fstype: ext4, opts: "defaults,rw,user,auto,exec", state: present }
    - name: peers by name
      etc_hosts: { group: lab }
    - name: unique hostname
      hostname: { name: "{{inventory_hostname}}-k8s" }
    - name: pinned kubernetes tools
      package: { name: [kubelet=1.13.1-00, kubeadm=1.13.1-00], update_cache: true }
    - name: kubelet running
      service: { name: kubelet, state: started, enabled: true }
    - name: gluster ports
      firewalld: { port: [24007-24008/tcp, 49152-49251/tcp], service: nfs }
`;

describe('host modules on lab hosts over SSH (real sysctl, mounts, apt, firewalld, systemd; modprobe stand-in)', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(3, this);
    const source = await ensureFakeRepo();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-hostmod-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
    // Fresh machines (the lab is shared with other test files; and a new network namespace copies ip_forward from
    // the machine's own, 1 on machines running Docker, as on some CI hosts).
    for (const h of lab.hosts.map((x) => x.name)) await resetLabHost(lab, h);
    await lab.withFeatures(['kubernetes']);
    for (const h of HOSTS) {
      await startFirewalld(lab, h);
      // Start from an /etc/hosts that does not know the peers, as on fresh machines.
      await lab.writeFile(h, '/etc/hosts', '127.0.0.1 localhost\n');
      const r = await lab.exec(h, ['sh', '-c', useRepoScript(source)]);
      expect(r.code, r.stderr).to.equal(0);
    }
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir, timeoutMs: 240_000 });
  const recap = (stdout: string) => jsonEvents(stdout).find((e) => e.event === 'recap')!.hosts;
  const sh = async (host: string, script: string) => (await lab.exec(host, ['sh', '-c', script])).stdout.trim();

  let firstRun = '';

  it('converges on the first run: every change is real on the hosts', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    for (const h of HOSTS) {
      expect(recap(res.stdout)[h]).to.include({ failed: 0, changed: 11 });
      expect(await sh(h, 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('1');
      expect(await lab.readFile(h, '/etc/sysctl.d/k8s.conf')).to.equal('net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter = 2\n');
      expect(await sh(h, 'lsmod | tail -n +2 | cut -d" " -f1 | sort | tr "\\n" " "')).to.equal('br_netfilter dm_thin_pool');
      expect(await sh(h, 'cat /sys/module/br_netfilter/initstate')).to.equal('live');
      expect(await lab.readFile(h, '/etc/modules-load.d/br_netfilter.conf')).to.equal('br_netfilter\n');
      expect(await lab.readFile(h, '/etc/modprobe.d/dm_thin_pool.conf')).to.equal('options dm_thin_pool no_space_timeout=120\n');
      const fstab = await lab.readFile(h, '/etc/fstab');
      expect(fstab).to.contain('/mnt/root/var/lib/etcd /var/lib/etcd none defaults,bind 0 0\n');
      expect(fstab).to.contain('UUID=655a39e8-9a5d-45f3-ae14-73b4c5ed50c3 /mnt/root ext4 defaults,rw,user,auto,exec 0 0\n');
      expect(await sh(h, 'findmnt -n -o TARGET /var/lib/etcd')).to.equal('/var/lib/etcd');
      expect(await sh(h, 'hostname')).to.equal(`${h}-k8s`);
      expect(await lab.readFile(h, '/etc/hosts')).to.contain(`${lab.hosts[2].address} node3\n`);
      expect(await sh(h, '/usr/bin/kubelet; /usr/bin/kubeadm')).to.equal('kubelet 1.13.1-00\nkubeadm 1.13.1-00');
      expect(await sh(h, 'systemctl is-active kubelet; systemctl is-enabled kubelet')).to.equal('active\nenabled');
      expect(await sh(h, 'firewall-cmd --zone=public --list-ports; firewall-cmd --permanent --zone=public --list-ports; firewall-cmd --zone=public --query-service=nfs')).to.equal('24007-24008/tcp 49152-49251/tcp\n24007-24008/tcp 49152-49251/tcp\nyes');
    }
    // node3 was not targeted, and packages installed on node1/node2 exist on neither node3 nor this machine.
    expect(await sh('node3', 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('0');
    expect(await sh('node3', 'dpkg-query -W kubelet 2>/dev/null; echo .')).to.equal('.');
    expect(existsSync('/usr/bin/kubelet'), 'kubelet on the machine itself').to.equal(false);
  });

  it('changes nothing on the second run, and --check finds no drift', async () => {
    const res = await play();
    expect(res.code, res.stdout).to.equal(0);
    for (const h of HOSTS) expect(recap(res.stdout)[h]).to.include({ changed: 0, ok: 11 });
    const check = await play('--check', '--detect-drift');
    expect(check.code, check.stdout).to.equal(0);
  });

  it('reports drift exactly, with diffs, changes nothing in check mode, and a run repairs it', async () => {
    await lab.writeFile('node2', '/etc/sysctl.d/k8s.conf', 'net.ipv4.ip_forward = 0\nnet.ipv4.conf.all.rp_filter = 2\n');
    await sh('node2', 'sysctl -w net.ipv4.ip_forward=0 >/dev/null; firewall-cmd --zone=public --remove-port=49152-49251/tcp >/dev/null');
    await sh('node1', "sed -i 's#/mnt/root/var/lib/etcd /var/lib/etcd none defaults,bind 0 0#/mnt/root/var/lib/etcd /var/lib/etcd none bind 0 0#' /etc/fstab");
    const check = await play('--check', '--diff', '--detect-drift');
    expect(check.code).to.equal(4);
    const drifted = jsonEvents(check.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}:${e.task}`);
    expect(drifted.sort()).to.deep.equal(['node1:etcd data on the RAID (bind)', 'node2:gluster ports', 'node2:ip_forward']);
    const sysctlEv = jsonEvents(check.stdout).find((e) => e.host === 'node2' && e.task === 'ip_forward')!;
    expect(sysctlEv.diff[0]).to.deep.include({ path: '/etc/sysctl.d/k8s.conf', before: 'net.ipv4.ip_forward = 0\nnet.ipv4.conf.all.rp_filter = 2\n', after: 'net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter = 2\n' });
    expect(jsonEvents(check.stdout).find((e) => e.host === 'node2' && e.task === 'gluster ports')!.msg).to.contain('open port 49152-49251/tcp in zone public (runtime)');
    // Check mode changed nothing.
    expect(await sh('node2', 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('0');
    const repair = await play();
    expect(repair.code, repair.stdout).to.equal(0);
    expect(recap(repair.stdout).node2.changed).to.equal(2);
    expect(recap(repair.stdout).node1.changed).to.equal(1);
    expect(await sh('node2', 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('1');
    expect(await sh('node2', 'firewall-cmd --zone=public --query-port=49152-49251/tcp')).to.equal('yes');
  });

  it('fails a sysctl key the kernel does not have with the module that provides it', async () => {
    await fs.writeFile(path.join(dir, 'bridge.yml'), '- hosts: node1\n  gather_facts: false\n  tasks:\n    - sysctl: { name: net.ipv4.vs.conntrack, value: "1" }\n');
    const res = await runCli(['play', 'bridge.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    expect(jsonEvents(res.stdout).find((e) => e.event === 'task')!.msg).to.contain('sysctl key net.ipv4.vs.conntrack does not exist on this host: it appears when kernel module ip_vs is loaded');
  });

  it('reports a module loaded with other parameters as drift', async () => {
    await sh('node1', 'echo 60 > /sys/module/dm_thin_pool/parameters/no_space_timeout');
    const check = await play('--check', '--detect-drift', '-l', 'node1');
    expect(check.code).to.equal(4);
    expect(jsonEvents(check.stdout).find((e) => e.task === 'dm_thin_pool with options')!.msg).to.contain('dm_thin_pool is loaded with no_space_timeout=60, wanted no_space_timeout=120');
    const fix = await play('-l', 'node1');
    expect(fix.code).to.equal(0);
    expect(await sh('node1', 'cat /sys/module/dm_thin_pool/parameters/no_space_timeout')).to.equal('120');
  });

  it('edits the permanent firewall config with firewall-offline-cmd when firewalld is not running (offline: true)', async () => {
    // node3 runs no firewalld (a machine being prepared before first boot of the daemon).
    expect(await sh('node3', 'firewall-cmd --state >/dev/null 2>&1 && echo running || echo stopped')).to.equal('stopped');
    await fs.writeFile(path.join(dir, 'offline.yml'), '- hosts: node3\n  gather_facts: false\n  tasks:\n    - name: ports offline\n      firewalld: { port: [2222/tcp, 24007-24008/tcp], offline: true }\n');
    const off = (...args: string[]) => runCli(['play', 'offline.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });
    const first = await off();
    expect(first.code, first.stdout).to.equal(0);
    expect(jsonEvents(first.stdout).find((e) => e.event === 'task')!.status).to.equal('changed');
    expect(await sh('node3', 'firewall-offline-cmd --zone=public --list-ports')).to.equal('2222/tcp 24007-24008/tcp');
    const again = await off();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'task')!.status).to.equal('ok');
    const run = jsonEvents(first.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await sh('node3', 'firewall-offline-cmd --zone=public --list-ports')).to.equal('');
  });

  it('`runbook rollback` of the first run restores the starting state', async () => {
    const rb = await runCli(['rollback', firstRun, '--format', 'json'], { cwd: dir, timeoutMs: 240_000 });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    for (const h of HOSTS) {
      expect(await sh(h, 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('0');
      expect(await lab.readFile(h, '/etc/sysctl.d/k8s.conf')).to.equal(null);
      expect(await lab.readFile(h, '/etc/modules-load.d/br_netfilter.conf')).to.equal(null);
      expect(await lab.readFile(h, '/etc/fstab')).to.not.contain('/var/lib/etcd');
      expect(await sh(h, 'findmnt -n /var/lib/etcd || echo none')).to.equal('none');
      expect(await sh(h, 'hostname')).to.equal(h);
      expect(await sh(h, 'dpkg-query -W kubelet 2>/dev/null | cut -f2; echo .')).to.equal('.');
      expect(await sh(h, 'firewall-cmd --zone=public --list-ports; echo .')).to.equal('.');
    }
  });
});
