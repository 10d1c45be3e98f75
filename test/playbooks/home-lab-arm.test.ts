// playbooks/home-lab-arm end to end on 3 lab hosts over SSH: real hostnames (UTS namespaces), real fstab and bind
// mounts, real sysctl, apt with pinned versions from a local repository; stand-ins for modprobe, systemctl, kubeadm
// (v1.13's flags and phases) and kubectl. The master is a slow board (its API server needs 200 s, more than kubeadm's
// probe allows), so init passes only with the probe fix in the manifest before wait-control-plane. An init stopped
// half-way is resumed by the next run (which creates the token the boards join with); a board whose join fails is
// rolled back while the others converge; every step of the article (home-lab-arm.steps.yml) is then seen on the
// hosts, kubeadm refuses what v1.13 refuses (unknown flags, a token or CA hash the master never issued, an expired
// token), a second run changes nothing, the audit finds no drift, and injected drift is reported and repaired.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectArticleSteps } from '../helpers/article-steps.js';
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
        // The article's Banana Pi: kube-apiserver needs 200 s to come up; kubeadm 1.13's probe allows 15 + 8 x 15.
        h === 'node1' ? 'echo 200 > /var/lib/runbook-lab/kubernetes/apiserver-start-seconds' : 'true',
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
      // No host reaches download.docker.com: docker-ce comes from the lab's offline repository.
      .replace(/^docker_apt_repo: .*$/m, 'docker_apt_repo: ""')
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

  // What a run would change on a board: hostname, fstab, sysctl, packages, kubeadm's and the stand-ins' state.
  const SNAPSHOT = 'hostname; cat /etc/fstab; sysctl -n net.ipv4.ip_forward; dpkg-query -W -f="${Package} ${Version}\\n" | sort | md5sum; ls -R /etc/kubernetes /var/lib/runbook-lab/kubernetes 2>/dev/null; ls /etc/sysctl.d /etc/modules-load.d';
  it('--check on the fresh boards exits 0, plans the init and the joins, and changes nothing', async () => {
    const before = await Promise.all(Object.keys(BOARDS).map((h) => sh(h, SNAPSHOT)));
    const res = await play('--check');
    expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
    const events = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(events.find((e) => e.host === 'node1' && e.task?.startsWith('kubeadm init with those manifests'))!.msg).to.match(/^would /);
    expect(events.find((e) => e.host === 'node2' && e.task === 'kubeadm join with the master\'s fresh token')!.msg).to.contain('would kubeadm join');
    expect(await Promise.all(Object.keys(BOARDS).map((h) => sh(h, SNAPSHOT)))).to.deep.equal(before);
  });

  it('stops on the master when kubeadm init fails half-way (after wait-control-plane), leaving no token to join with', async () => {
    await sh('node1', 'echo upload-config > /var/lib/runbook-lab/kubernetes/fail-kubeadm-phase');
    try {
      const res = await play();
      expect(res.code).to.equal(1);
      expect(recap(res.stdout).node1.failed).to.equal(1);
      const init = jsonEvents(res.stdout).find((e) => e.host === 'node1' && e.task?.startsWith('kubeadm init with those manifests'))!;
      expect(init.msg).to.contain('error execution phase upload-config');
      // Half-finished: the slow board got past wait-control-plane (the probe fix was in place), then init stopped.
      expect(await sh('node1', 'test -f /etc/kubernetes/admin.conf && echo admin.conf; cat /var/lib/runbook-lab/kubernetes/kubeadm-phases | tail -n1')).to.equal('admin.conf\nwait-control-plane');
      expect(await sh('node1', 'ls /var/lib/runbook-lab/kubernetes/objects/kube-public 2>/dev/null | wc -l')).to.equal('0');
    } finally {
      await sh('node1', 'rm -f /var/lib/runbook-lab/kubernetes/fail-kubeadm-phase');
    }
  });

  it('resumes the half-finished init (past pre-flight), and rolls back a board whose join fails while the others converge', async () => {
    await sh('node3', 'mkdir -p /var/lib/runbook-lab/kubernetes && touch /var/lib/runbook-lab/kubernetes/fail-kubeadm');
    try {
      const res = await play();
      expect(res.code).to.equal(1);
      const r = recap(res.stdout);
      expect(r.node3.failed).to.equal(1);
      expect(r.node3.rolled_back).to.be.greaterThan(0);
      for (const h of ['node1', 'node2']) expect(r[h], h).to.include({ failed: 0, unreachable: 0 });
      const init = jsonEvents(res.stdout).find((e) => e.host === 'node1' && e.task?.startsWith('kubeadm init with those manifests'))!;
      expect(init.status).to.equal('changed');
      expect(init.msg).to.contain('kubeadm init --skip-phases=preflight,control-plane,mark-control-plane (resume a half-finished init');
      // One pre-flight (the first run's), init's phases twice up to wait-control-plane, then the rest once.
      const phases = (await sh('node1', 'cat /var/lib/runbook-lab/kubernetes/kubeadm-phases')).split('\n');
      expect(phases.filter((p) => p === 'preflight')).to.have.length(1);
      expect(phases.filter((p) => p === 'wait-control-plane')).to.have.length(2);
      expect(phases.filter((p) => p === 'bootstrap-token')).to.have.length(1);
      expect(await lab.readFile('node2', '/var/lib/runbook-lab/kubernetes/kubeadm-joined')).to.match(/^endpoint=\S+:6443\ntoken=[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
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
    expect(await lab.readFile('node1', '/etc/kubernetes/manifests/kube-apiserver.yaml')).to.contain('      initialDelaySeconds: 120\n').and.to.not.contain('initialDelaySeconds: 15');
    expect(await sh('node1', `ls ${kube}/kube-system/DaemonSet`)).to.equal('weave-net.json');
    const checked = await expectArticleSteps(lab, 'home-lab-arm', { KUBERNETES_PACKAGE_VERSION: '1.13.1-00' });
    expect(checked).to.equal(13);
    for (const w of ['node2', 'node3']) expect(await lab.readFile(w, '/etc/kubernetes/kubelet.conf')).to.contain('kind: Config');
    const labels = async (n: string) => JSON.parse((await lab.readFile('node1', `${kube}/_cluster/Node/${n}.json`))!).metadata.labels;
    expect(await labels(BOARDS.node1)).to.include({ 'marshallbrekka.raid': 'true', 'marshallbrekka.network': 'gigabit' });
    expect(await labels(BOARDS.node3)).to.include({ disk: 'ssd' });
  });

  it('kubeadm 1.13 refuses flags it does not have, and join refuses a token or CA hash the master never issued or an expired token', async () => {
    const run = async (h: string, s: string) => { const r = await lab.exec(h, ['sh', '-c', s]); return `${r.stderr.trim()}\nrc=${r.code}`; };
    expect(await run('node1', 'kubeadm init --control-plane-endpoint=k8s-master-1:6443')).to.match(/^unknown flag: --control-plane-endpoint\n[^]*rc=1$/);
    expect(await run('node1', 'kubeadm init --foo')).to.match(/^unknown flag: --foo\n[^]*rc=1$/);
    expect(await run('node1', 'kubeadm init phase upload-certs')).to.match(/unknown command "upload-certs" for "kubeadm init phase"\nrc=1$/);
    const line = (await sh('node1', 'kubeadm token create --print-join-command')).trim();
    const [, endpoint, token, hash] = /^kubeadm join (\S+) --token (\S+) --discovery-token-ca-cert-hash (\S+)$/.exec(line)!;
    const join = (t: string, h: string) => run('node2', `kubeadm join ${endpoint} --token ${t} --discovery-token-ca-cert-hash ${h} --ignore-preflight-errors=all`);
    expect(await join('abcdef.0123456789abcdef', hash)).to.contain('could not find a JWS signature in the cluster-info ConfigMap for token ID "abcdef"').and.to.match(/rc=1$/);
    expect(await join(token, `sha256:${'0'.repeat(64)}`)).to.contain('cluster CA found in cluster-info ConfigMap is invalid: none of the public keys').and.to.match(/rc=1$/);
    const short = (await sh('node1', 'kubeadm token create --ttl 1s')).trim();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await join(short, hash)).to.contain(`for token ID "${short.split('.')[0]}"`).and.to.match(/rc=1$/);
    expect(await join(token, hash)).to.match(/rc=0$/);
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
