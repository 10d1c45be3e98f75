// playbooks/k8s-glusterfs-heketi end to end on 5 lab hosts: real glusterd, firewalld, sysctl, apt (local repo),
// iptables; stand-ins for systemctl, modprobe, kubeadm, kubectl and heketi. First run converges, second changes
// nothing, the audit finds no drift; injected drift is reported exactly, with diffs, and repaired; a host whose
// kubeadm fails is rolled back while the others stay converged.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents } from '../helpers/cli.js';
import { ensureFakeRepo, useRepoScript } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { expectSecondRunQuietAndNoDrift, playbookRunner, writeLabInventory } from '../helpers/playbook-run.js';
import { ensureBridgeNetfilter, resetLabHost, startFirewalld } from '../helpers/stand-ins.js';
import { startHeketiStandIn, type HeketiStandIn } from '../../lab/stand-ins/heketi-server.js';

const ADMIN_KEY = 'heketi-admin-S3cret';

describe('playbook k8s-glusterfs-heketi on the lab', function () {
  this.timeout(600_000);
  let lab: TestLab;
  let dir: string;
  let heketi: HeketiStandIn;
  const role: Record<string, string> = { node1: 'gluster', node2: 'gluster', node3: 'master', node4: 'workers', node5: 'workers' };

  before(async function () {
    lab = await acquireLab(5, this);
    await lab.withFeatures(['kubernetes']);
    for (const h of Object.keys(role)) await resetLabHost(lab, h);
    await ensureBridgeNetfilter();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-pb1-'));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi-state.json'), adminKey: ADMIN_KEY, queueDelayMs: 10 });
    const source = await ensureFakeRepo();
    const hostsFile = `127.0.0.1 localhost\n${lab.hosts.map((h) => `${h.address} ${h.name}`).join('\n')}\n`;
    for (const h of Object.keys(role)) {
      await lab.writeFile(h, '/etc/hosts', hostsFile);
      await startFirewalld(lab, h);
      const r = await lab.exec(h, ['sh', '-c', `${useRepoScript(source)}\nmkdir -p /run/containerd /root/.ssh; systemctl start containerd || true; truncate -s 16M /srv/vdb1.img; iptables -P FORWARD DROP; kubeadm reset -f >/dev/null 2>&1; true`]);
      expect(r.code, r.stderr).to.equal(0);
    }
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'heketi', '-f', keyFile()]);
    const pub = (await fs.readFile(`${keyFile()}.pub`, 'utf8')).trim();
    const members = (g: string, vars: (h: string) => Record<string, unknown> = () => ({})) => Object.fromEntries(Object.keys(role).filter((h) => role[h] === g).map((h) => [h, vars(h)]));
    await writeLabInventory(dir, lab, {
      gluster: { hosts: members('gluster', (h) => ({ heketi_zone: h === 'node1' ? 1 : 2, heketi_devices: ['/srv/vdb1.img'] })) },
      master: { hosts: members('master') },
      workers: { hosts: members('workers') },
    });
    const vars = (await fs.readFile(path.join(repoRoot, 'inventory/k8s-glusterfs-heketi/group_vars/all.yml'), 'utf8'))
      .replace(/^heketi_url: .*$/m, `heketi_url: ${heketi.url}`)
      .replace(/^heketi_ssh_public_key: .*$/m, `heketi_ssh_public_key: "${pub}"`)
      .replace(/^heketi_ssh_private_key_file: .*$/m, `heketi_ssh_private_key_file: ${path.basename(keyFile())}`)
      .replace(/^heketi_topology_file: .*$/m, `heketi_topology_file: ${topologyName}`);
    await fs.writeFile(path.join(dir, 'inv/group_vars/all.yml'), `${vars}
`);
    await fs.writeFile(path.join(dir, 'secrets.yml'), `heketi_admin_key: ${ADMIN_KEY}\n`);
  });
  after(async () => {
    if (heketi) await heketi.close();
    if (lab && !process.env.RUNBOOK_KEEP_LAB) {
      for (const h of Object.keys(role)) {
        await lab.exec(h, ['sh', '-c', 'kubeadm reset -f >/dev/null 2>&1; systemctl stop glusterd; rm -rf /var/lib/glusterd/peers/* /var/lib/runbook-lab/kubernetes; true']);
      }
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(topologyFile(), { force: true });
    await fs.rm(keyFile(), { force: true });
    await fs.rm(`${keyFile()}.pub`, { force: true });
  });

  const site = path.join(repoRoot, 'playbooks/site.yml');
  // The topology file is a controller path from a variable: it must stay inside the playbook's folder (#13 item 5).
  const topologyName = `topology-test-${process.pid}.json`;
  const topologyFile = () => path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', topologyName);
  // The key is a controller `src` from a variable: inside the folder of the play that copies it (#13 item 5).
  const keyFile = () => path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', `heketi-test-${process.pid}_id_rsa`);
  const runner = playbookRunner(site, () => dir, ['-e', '@secrets.yml']);
  const { play, audit, recap, failures } = runner;
  const sh = async (h: string, s: string) => (await lab.exec(h, ['sh', '-c', s])).stdout.trim();

  it('converges the whole deployment on the first run', async () => {
    const res = await play();
    expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
    expect(res.stdout + res.stderr).to.not.contain(ADMIN_KEY);
    // Storage nodes: pool, ports, services, wiped disks, heketi's key.
    expect(await sh('node1', 'gluster pool list | grep -c Connected')).to.equal('2');
    expect(await sh('node2', 'firewall-cmd --permanent --zone=public --list-ports')).to.contain('49152-49251/tcp').and.to.contain('24009/tcp');
    expect(await sh('node2', 'firewall-cmd --zone=public --list-services')).to.contain('nfs samba samba-client');
    expect(await lab.readFile('node1', '/var/lib/runbook/wiped_srv_vdb1.img')).to.equal('');
    expect(await lab.readFile('node1', '/root/.ssh/authorized_keys')).to.contain('heketi');
    // Kubernetes nodes.
    for (const h of ['node3', 'node4', 'node5']) {
      expect(await sh(h, 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('1');
      expect(await sh(h, 'iptables -S FORWARD | head -n1')).to.equal('-P FORWARD ACCEPT');
      expect(await sh(h, 'dpkg-query -W -f "\\${Package} " containerd kubelet kubeadm kubectl')).to.equal('containerd kubeadm kubectl kubelet');
    }
    expect(await lab.readFile('node3', '/root/.kube/config')).to.contain('kind: Config');
    expect(await lab.readFile('node3', '/var/lib/runbook-lab/kubernetes/kubeadm-init')).to.contain('pod-network-cidr=10.244.0.0/16');
    for (const w of ['node4', 'node5']) expect(await lab.readFile(w, '/etc/kubernetes/kubelet.conf')).to.contain('kind: Config');
    const kube = '/var/lib/runbook-lab/kubernetes/objects';
    expect(await sh('node3', `ls ${kube}/kube-system/DaemonSet ${kube}/default/Deployment ${kube}/default/Secret ${kube}/_cluster/StorageClass`)).to.contain('kube-flannel-ds.json').and.to.contain('heketi.json').and.to.contain('heketi-id-rsa.json').and.to.contain('gfs-mirror.json').and.to.contain('standard.json');
    expect(JSON.parse((await lab.readFile('node3', `${kube}/_cluster/StorageClass/gfs-mirror.json`))!).parameters.volumetype).to.equal('replicate:2');
    // Heketi's topology: zones 1 and 2, one device each.
    const st = heketi.state();
    expect(Object.values(st.nodes).map((n) => `${n.hostnames.manage[0]}:${n.zone}`).sort()).to.deep.equal(['node1:1', 'node2:2']);
    expect(Object.values(st.devices).map((d) => d.name)).to.deep.equal(['/srv/vdb1.img', '/srv/vdb1.img']);
    // The same topology, written for heketi-cli users.
    const written = JSON.parse(await fs.readFile(topologyFile(), 'utf8'));
    expect(written.clusters[0].nodes.map((n: { node: { zone: number } }) => n.node.zone)).to.deep.equal([1, 2]);
  });

  it('changes nothing on the second run, and the audit finds no drift', async () => {
    await expectSecondRunQuietAndNoDrift(runner, Object.keys(role), ['--save', 'baseline.json']);
  });

  it('reports exactly the drift injected, with diffs, and a run repairs it', async () => {
    await lab.writeFile('node4', '/etc/sysctl.d/k8s.conf', 'net.ipv4.ip_forward = 0\nnet.bridge.bridge-nf-call-iptables = 1\n');
    await sh('node2', 'firewall-cmd --permanent --zone=public --remove-port=24009/tcp');
    await sh('node1', 'gluster --mode=script peer detach node2');
    const a = await audit('--format', 'json', '--baseline', 'baseline.json', '--report', 'audit.html');
    expect(a.code).to.equal(4);
    const drift = jsonEvents(a.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}: ${e.task}`).sort();
    expect(drift).to.deep.equal(['node1: Trusted pool, probed once from the first storage node', 'node2: Gluster ports (daemon, bricks, portmapper, NFS)', 'node4: IP forwarding, persisted']);
    const sysctl = jsonEvents(a.stdout).find((e) => e.host === 'node4' && e.task === 'IP forwarding, persisted')!;
    expect(sysctl.diff[0].before).to.contain('net.ipv4.ip_forward = 0');
    expect(sysctl.diff[0].after).to.contain('net.ipv4.ip_forward = 1');
    expect(jsonEvents(a.stdout).find((e) => e.event === 'baseline')!.added).to.have.length(3);
    const html = await fs.readFile(path.join(dir, 'audit.html'), 'utf8');
    expect(html).to.contain('3 drifted');
    const fix = await play();
    expect(fix.code, failures(fix.stdout)).to.equal(0);
    const after = await audit();
    expect(after.code, after.stdout.slice(-2000)).to.equal(0);
  });

  it('rolls back a worker whose kubeadm join fails and leaves the others converged', async () => {
    await sh('node5', 'kubeadm reset -f >/dev/null; rm -f /etc/sysctl.d/k8s.conf; sysctl -qw net.ipv4.ip_forward=0; mkdir -p /var/lib/runbook-lab/kubernetes && touch /var/lib/runbook-lab/kubernetes/fail-kubeadm');
    try {
      const res = await play();
      expect(res.code).to.equal(1);
      const r = recap(res.stdout);
      expect(r.node5.failed).to.equal(1);
      expect(r.node5.rolled_back).to.be.greaterThan(0);
      for (const h of ['node1', 'node2', 'node3', 'node4']) expect(r[h], h).to.include({ failed: 0, unreachable: 0 });
      expect(await sh('node5', 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('0');
      expect(await lab.readFile('node5', '/etc/sysctl.d/k8s.conf')).to.equal(null);
      expect(await lab.readFile('node4', '/etc/kubernetes/kubelet.conf')).to.contain('kind: Config');
    } finally {
      await sh('node5', 'rm -f /var/lib/runbook-lab/kubernetes/fail-kubeadm');
    }
  });
});
