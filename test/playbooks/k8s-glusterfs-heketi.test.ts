// playbooks/k8s-glusterfs-heketi end to end on 5 lab hosts: real glusterd, firewalld, sysctl, apt (local repo),
// iptables; stand-ins for modprobe, kubeadm, kubectl and heketi. The first run does every step of seed 000 (the
// article's steps, kept in k8s-glusterfs-heketi.steps.yml, checked on the hosts); a Kubernetes version outside the
// playbook's window is refused before anything changes; second run changes
// nothing, the audit finds no drift; injected drift is reported exactly, with diffs, and repaired; a host whose
// kubeadm fails is rolled back while the others stay converged.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents } from '../helpers/cli.js';
import { ensureFakeRepo, ensureSignedRepo, useRepoScript } from '../helpers/fake-debs.js';
import { expectArticleSteps } from '../helpers/article-steps.js';
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
    // The Kubernetes repository task runs for real: the lab's packages as a signed repository, its key on the controller.
    const signed = await ensureSignedRepo();
    await fs.writeFile(aptKeyFile(), signed.publicKey);
    const hostsFile = `127.0.0.1 localhost\n${lab.hosts.map((h) => `${h.address} ${h.name}`).join('\n')}\n`;
    for (const h of Object.keys(role)) {
      await lab.writeFile(h, '/etc/hosts', hostsFile);
      await startFirewalld(lab, h);
      const r = await lab.exec(h, ['sh', '-c', `${useRepoScript(source)}\nmkdir -p /run/containerd /root/.ssh; systemctl start containerd || true; truncate -s 16M /srv/vdb1.img; rm -f /srv/vdb.img; truncate -s 16M /srv/vdb.img; iptables -P FORWARD DROP; kubeadm reset -f >/dev/null 2>&1; true`]);
      expect(r.code, r.stderr).to.equal(0);
    }
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'heketi', '-f', keyFile()]);
    const pub = (await fs.readFile(`${keyFile()}.pub`, 'utf8')).trim();
    const members = (g: string, vars: (h: string) => Record<string, unknown> = () => ({})) => Object.fromEntries(Object.keys(role).filter((h) => role[h] === g).map((h) => [h, vars(h)]));
    await writeLabInventory(dir, lab, {
      gluster: { hosts: members('gluster', (h) => ({ heketi_zone: h === 'node1' ? 1 : 2, heketi_devices: ['/srv/vdb1.img'], heketi_partition_disks: ['/srv/vdb.img'] })) },
      master: { hosts: members('master') },
      workers: { hosts: members('workers') },
    });
    const vars = (await fs.readFile(path.join(repoRoot, 'inventory/k8s-glusterfs-heketi/group_vars/all.yml'), 'utf8'))
      .replace(/^heketi_url: .*$/m, `heketi_url: ${heketi.url}`)
      .replace(/^heketi_ssh_public_key: .*$/m, `heketi_ssh_public_key: "${pub}"`)
      .replace(/^heketi_ssh_private_key_file: .*$/m, `heketi_ssh_private_key_file: ${path.basename(keyFile())}`)
      .replace(/^heketi_topology_file: .*$/m, `heketi_topology_file: ${topologyName}`)
      .replace(/^kubernetes_apt_repo: .*$/m, `kubernetes_apt_repo: "${signed.sourceLine}"`)
      .replace(/^kubernetes_apt_key_file: .*$/m, `kubernetes_apt_key_file: ${path.basename(aptKeyFile())}`);
    await fs.writeFile(path.join(dir, 'inv/group_vars/all.yml'), `${vars}
`);
    await fs.copyFile(path.join(repoRoot, 'inventory/k8s-glusterfs-heketi/group_vars/gluster.yml'), path.join(dir, 'inv/group_vars/gluster.yml'));
    await fs.writeFile(path.join(dir, 'secrets.yml'), `heketi_admin_key: ${ADMIN_KEY}\n`);
  });
  after(async () => {
    if (heketi) await heketi.close();
    if (lab && !process.env.RUNBOOK_KEEP_LAB) {
      for (const h of Object.keys(role)) {
        await lab.exec(h, ['sh', '-c', 'kubeadm reset -f >/dev/null 2>&1; systemctl stop glusterd; rm -rf /var/lib/glusterd/peers/* /var/lib/runbook-lab/kubernetes /etc/apt/sources.list.d/kubernetes.list /etc/apt/keyrings/kubernetes.asc; true']);
      }
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(topologyFile(), { force: true });
    await fs.rm(keyFile(), { force: true });
    await fs.rm(aptKeyFile(), { force: true });
    await fs.rm(`${keyFile()}.pub`, { force: true });
  });

  const site = path.join(repoRoot, 'playbooks/site.yml');
  // The topology file is a controller path from a variable: it must stay inside the playbook's folder (#13 item 5).
  const topologyName = `topology-test-${process.pid}.json`;
  const topologyFile = () => path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', topologyName);
  // The key is a controller `src` from a variable: inside the folder of the play that copies it (#13 item 5).
  const keyFile = () => path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', `heketi-test-${process.pid}_id_rsa`);
  const aptKeyFile = () => path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', `kubernetes-apt-test-${process.pid}.asc`);
  const runner = playbookRunner(site, () => dir, ['-e', '@secrets.yml']);
  const { play, audit, recap, failures } = runner;
  const sh = async (h: string, s: string) => (await lab.exec(h, ['sh', '-c', s])).stdout.trim();

  it('refuses a Kubernetes version outside 1.13-1.25 on every host, naming the window and why, changing nothing', async () => {
    const res = await play('-e', 'kubernetes_version=1.26.3');
    expect(res.code).to.equal(1);
    const failed = jsonEvents(res.stdout).filter((e) => e.event === 'task' && e.status === 'failed');
    expect(failed.map((e) => e.host).sort()).to.deep.equal(Object.keys(role).sort());
    expect(failed[0].msg).to.contain('kubernetes_version 1.26.3 is outside 1.13-1.25, the versions this playbook supports: its StorageClasses use the in-tree kubernetes.io/glusterfs provisioner, which Kubernetes removed in 1.26');
    for (const h of Object.keys(role)) expect(recap(res.stdout)[h], h).to.include({ changed: 0 });
  });

  it('converges the whole deployment on the first run', async () => {
    const res = await play();
    expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
    expect(res.stdout + res.stderr).to.not.contain(ADMIN_KEY);
    // Every step of seed 000, checked on the hosts (test/playbooks/k8s-glusterfs-heketi.steps.yml).
    const checked = await expectArticleSteps(lab, 'k8s-glusterfs-heketi', { KUBERNETES_PACKAGE_VERSION: '1.25.16-1.1', KUBERNETES_VERSION: '1.25.16', HEKETI_URL: heketi.url, JWT_ADMIN_SECRET: ADMIN_KEY });
    expect(checked).to.be.greaterThan(15);
    const st = heketi.state();
    // Heketi's topology by IP (the heketi pod cannot resolve inventory names): zones 1 and 2, one device each.
    const ip = (h: string) => lab.hosts.find((x) => x.name === h)!.address;
    expect(Object.values(st.nodes).map((n) => `${n.hostnames.manage[0]}:${n.zone}`).sort()).to.deep.equal([`${ip('node1')}:1`, `${ip('node2')}:2`]);
    expect(Object.values(st.devices).map((d) => d.name)).to.deep.equal(['/srv/vdb1.img', '/srv/vdb1.img']);
    // The same topology, written for heketi-cli users.
    const written = JSON.parse(await fs.readFile(topologyFile(), 'utf8'));
    expect(written.clusters[0].nodes.map((n: { node: { zone: number } }) => n.node.zone)).to.deep.equal([1, 2]);
  });

  it('changes nothing on the second run, and the audit finds no drift', async () => {
    await expectSecondRunQuietAndNoDrift(runner, Object.keys(role), ['--save', 'baseline.json']);
  });

  it('stops a storage node whose data disk carries a signature, naming it, and erases it only when wipe is true', async () => {
    await sh('node2', 'mkfs.ext4 -q -F /srv/vdb1.img');
    const refused = await play('-l', 'node2');
    expect(refused.code).to.equal(1);
    const failed = jsonEvents(refused.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failed.host).to.equal('node2');
    expect(failed.msg).to.contain('/srv/vdb1.img on node2 carries a ext4 signature: heketi needs a raw disk');
    expect(await sh('node2', 'wipefs --noheadings --output TYPE /srv/vdb1.img')).to.equal('ext4');
    const wiped = await play('-l', 'node2', '-e', 'wipe=true');
    expect(wiped.code, failures(wiped.stdout)).to.equal(0);
    expect(await sh('node2', 'wipefs --noheadings /srv/vdb1.img | wc -l')).to.equal('0');
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
