// playbooks/home-lab-arm end to end on 3 lab hosts over SSH: real hostnames (UTS namespaces), real fstab and bind
// mounts, real sysctl, apt with pinned versions from a local repository; stand-ins for modprobe, systemctl, kubeadm
// and kubectl. A board whose join fails is rolled back (its name, fstab, mounts and packages as before) while the
// others converge; then the cluster converges, a second run changes nothing, the audit finds no drift, and
// injected drift (an edited fstab line, a renamed board) is reported exactly and repaired.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents } from '../helpers/cli.js';
import { ensureFakeRepo, useRepoScript } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { expectSecondRunQuietAndNoDrift, playbookRunner, writeLabInventory } from '../helpers/playbook-run.js';
import { ensureBridgeNetfilter, resetLabHost, startFirewalld } from '../helpers/stand-ins.js';

const BOARDS: Record<string, string> = { node1: 'k8s-master-1', node2: 'k8s-node-1', node3: 'k8s-node-2' };
const FSTAB = '# static file system information\nproc /proc proc defaults 0 0\n';

describe('playbook home-lab-arm on the lab', function () {
  this.timeout(600_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(3, this);
    await lab.withFeatures(['kubernetes']);
    for (const h of Object.keys(BOARDS)) await resetLabHost(lab, h);
    await ensureBridgeNetfilter();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-pb3-'));
    const source = await ensureFakeRepo();
    for (const h of Object.keys(BOARDS)) {
      await startFirewalld(lab, h);
      await lab.writeFile(h, '/etc/fstab', FSTAB);
      const r = await lab.exec(h, ['sh', '-c', [
        useRepoScript(source),
        'hostname raspberrypi && echo raspberrypi > /etc/hostname',
        'sysctl -qw net.ipv4.ip_forward=0 && rm -f /etc/sysctl.d/k8s.conf',
        'mkdir -p /run/containerd && systemctl start containerd',
        // The boards' kubelets register with the API server once joined; the kubectl stand-in on the master
        // cannot see other hosts, so it is told their names.
        h === 'node1' ? `mkdir -p /var/lib/runbook-lab/kubernetes/objects && printf '%s\\n' ${BOARDS.node2} ${BOARDS.node3} > /var/lib/runbook-lab/kubernetes/objects/nodes` : 'true',
        'kubeadm reset -f >/dev/null 2>&1; true',
      ].join('\n')]);
      expect(r.code, `${r.stderr}${(await lab.exec(h, ['journalctl', '-u', 'containerd', '--no-pager', '-n', '20'])).stdout}`).to.equal(0);
    }
    await writeLabInventory(dir, lab, { boards: { hosts: { node1: {}, node2: {}, node3: {} } }, master: { hosts: { node1: {} } } });
    await fs.mkdir(path.join(dir, 'inv/host_vars'), { recursive: true });
    // node1 is the example inventory's master board (same host_vars: the RAID partitions and labels).
    await fs.writeFile(path.join(dir, 'inv/host_vars/node1.yml'), await fs.readFile(path.join(repoRoot, 'inventory/home-lab-arm/host_vars/raspberry.yml'), 'utf8'));
    await fs.writeFile(path.join(dir, 'inv/host_vars/node2.yml'), `node_hostname: ${BOARDS.node2}\n`);
    await fs.writeFile(path.join(dir, 'inv/host_vars/node3.yml'), `node_hostname: ${BOARDS.node3}\nnode_labels: { disk: ssd }\n`);
    const vars = (await fs.readFile(path.join(repoRoot, 'inventory/home-lab-arm/group_vars/all.yml'), 'utf8'))
      // No block devices on the lab: the UUID lines are written, not mounted; the bind mounts are real.
      .replace(/^data_disk_state: .*$/m, 'data_disk_state: present')
      .replace(/^apiserver_liveness_initial_delay: .*$/m, 'apiserver_liveness_initial_delay: 120');
    await fs.writeFile(path.join(dir, 'inv/group_vars/all.yml'), `${vars}
`);
  });
  after(async () => {
    if (lab) {
      for (const h of Object.keys(BOARDS)) {
        await lab.exec(h, ['sh', '-c', 'kubeadm reset -f >/dev/null 2>&1; umount /var/lib/etcd /var/lib/docker 2>/dev/null; rm -rf /var/lib/runbook-lab/kubernetes; true']);
      }
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const site = path.join(repoRoot, 'playbooks/home-lab-arm/site.yml');
  const runner = playbookRunner(site, () => dir);
  const { play, audit, recap, failures } = runner;
  const sh = async (h: string, s: string) => (await lab.exec(h, ['sh', '-c', s])).stdout.trim();
  const kube = '/var/lib/runbook-lab/kubernetes/objects';

  it('rolls back a board whose join fails — name, fstab, mounts, packages — and converges the others', async () => {
    await sh('node3', 'mkdir -p /var/lib/runbook-lab/kubernetes && touch /var/lib/runbook-lab/kubernetes/fail-kubeadm');
    try {
      const res = await play();
      expect(res.code).to.equal(1);
      const r = recap(res.stdout);
      expect(r.node3.failed).to.equal(1);
      expect(r.node3.rolled_back).to.be.greaterThan(0);
      for (const h of ['node1', 'node2']) expect(r[h], h).to.include({ failed: 0, unreachable: 0 });
      expect(await sh('node3', 'hostname; cat /etc/hostname')).to.equal('raspberrypi\nraspberrypi');
      expect(await lab.readFile('node3', '/etc/fstab')).to.equal(FSTAB);
      expect(await sh('node3', 'findmnt -n -o TARGET /var/lib/etcd || echo none')).to.equal('none');
      expect(await sh('node3', 'dpkg-query -W -f "\\${Status}" kubeadm 2>/dev/null || echo none')).to.not.contain('install ok installed');
      expect(await sh('node3', 'cat /proc/sys/net/ipv4/ip_forward')).to.equal('0');
    } finally {
      await sh('node3', 'rm -f /var/lib/runbook-lab/kubernetes/fail-kubeadm');
    }
  });

  it('then converges every board: names, fstab, bind mounts, pinned tools, the control plane, weave, joins, labels', async () => {
    const res = await play();
    expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
    for (const [h, name] of Object.entries(BOARDS)) {
      expect(await sh(h, 'hostname; cat /etc/hostname')).to.equal(`${name}\n${name}`);
      expect(await sh(h, 'findmnt -n -o SOURCE,TARGET /var/lib/docker')).to.match(/\[\/mnt\/root\/var\/lib\/docker\]\s+\/var\/lib\/docker$/);
      expect(await lab.readFile(h, '/etc/fstab')).to.contain('/mnt/root/var/lib/etcd /var/lib/etcd none defaults,bind 0 0\n');
      expect(await sh(h, 'dpkg-query -W -f "\\${Package}=\\${Version} " kubelet kubeadm kubectl')).to.equal('kubeadm=1.13.1-00 kubectl=1.13.1-00 kubelet=1.13.1-00');
      expect(await sh(h, 'systemctl is-active docker; systemctl is-enabled docker')).to.equal('active\nenabled');
    }
    const fstab = (await lab.readFile('node1', '/etc/fstab'))!;
    expect(fstab).to.contain('UUID=655a39e8-9a5d-45f3-ae14-73b4c5ed50c3 /mnt/root ext4 defaults,rw,user,auto,exec 0 0\n');
    expect(fstab).to.contain('UUID=0633df91-017c-4b98-9b2e-4a0d27989a5c /mnt/raid ext4 defaults,rw,user,auto 0 0\n');
    expect(await lab.readFile('node2', '/etc/fstab')).to.not.contain('UUID=');
    expect(await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init')).to.contain('skip-phases=mark-control-plane');
    expect(await lab.readFile('node1', '/etc/kubernetes/manifests/kube-apiserver.yaml')).to.contain('      initialDelaySeconds: 120\n').and.to.not.contain('initialDelaySeconds: 15');
    expect(await sh('node1', `ls ${kube}/kube-system/DaemonSet`)).to.equal('weave-net.json');
    for (const w of ['node2', 'node3']) expect(await lab.readFile(w, '/etc/kubernetes/kubelet.conf')).to.contain('kind: Config');
    const labels = async (n: string) => JSON.parse((await lab.readFile('node1', `${kube}/_cluster/Node/${n}.json`))!).metadata.labels;
    expect(await labels(BOARDS.node1)).to.include({ 'marshallbrekka.raid': 'true', 'marshallbrekka.network': 'gigabit' });
    expect(await labels(BOARDS.node3)).to.include({ disk: 'ssd' });
  });

  it('changes nothing on the second run, and the audit finds no drift', async () => {
    await expectSecondRunQuietAndNoDrift(runner, Object.keys(BOARDS));
  });

  it('reports an edited fstab line and a renamed board exactly, with diffs, and a run repairs them', async () => {
    await sh('node2', "sed -i 's#/mnt/root/var/lib/docker /var/lib/docker none defaults,bind 0 0#/mnt/root/var/lib/docker /var/lib/docker none defaults,bind,ro 0 0#' /etc/fstab");
    await sh('node3', 'hostname raspberrypi');
    const a = await audit('--format', 'json');
    expect(a.code, a.stdout.slice(-2000)).to.equal(4);
    const events = jsonEvents(a.stdout);
    const drift = events.filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}: ${e.task}`).sort();
    expect(drift).to.deep.equal(['node2: etcd and Docker state bound onto the RAID', 'node3: A unique hostname per board (they all boot as raspberrypi)']);
    const fstabDiff = events.find((e) => e.host === 'node2' && e.task === 'etcd and Docker state bound onto the RAID')!.diff[0];
    expect(fstabDiff.before).to.contain('defaults,bind,ro');
    expect(fstabDiff.after).to.not.contain('defaults,bind,ro');
    const fix = await play();
    expect(fix.code, failures(fix.stdout)).to.equal(0);
    expect(await sh('node3', 'hostname')).to.equal(BOARDS.node3);
    expect(await lab.readFile('node2', '/etc/fstab')).to.not.contain('bind,ro');
    expect((await audit()).code).to.equal(0);
  });
});
