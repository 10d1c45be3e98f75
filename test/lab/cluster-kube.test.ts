// kubeadm and kubectl on lab hosts, through the lab's kubernetes feature (stand-ins for kubeadm, kubectl: Kubernetes needs a container
// runtime and a kubelet, which this machine cannot run). Init once, fresh join command, workers join, manifests and
// labels by kubectl diff/apply, pre-flight failures before kubeadm runs, tokens never printed, a worker that fails
// is rolled back while the others converge; the kubeadm stand-in takes the flags of its version (v1.28 without a package).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { resetLabHost } from '../helpers/stand-ins.js';

const PLAYBOOK = `
- name: Control plane
  hosts: node1
  tasks:
    - name: ip_forward
      sysctl: { name: net.ipv4.ip_forward, value: "1", file: /etc/sysctl.d/k8s.conf }
    - name: kubeadm init
      kubeadm: { state: init, pod_network_cidr: 10.244.0.0/16, allow_reset: true }
    - name: join command
      kubeadm: { state: join_command }
      register: kubeadm_join
      check_mode: false
      changed_when: false
    - name: storage class
      kubectl:
        state: present
        definition: |
          apiVersion: storage.k8s.io/v1
          kind: StorageClass
          metadata: { name: gfs-mirror }
          provisioner: kubernetes.io/glusterfs
          parameters: { resturl: "http://heketi:8080", volumetype: "replicate:2" }
    - name: label the master
      kubectl: { state: labels, node: node1, labels: { disktype: ssd } }
- name: Workers
  hosts: node2,node3
  tasks:
    - name: ip_forward
      sysctl: { name: net.ipv4.ip_forward, value: "1", file: /etc/sysctl.d/k8s.conf }
    - name: kubeadm join
      kubeadm: { state: join, from: node1, allow_reset: true }
`;

describe('kubeadm + kubectl on lab hosts (stand-ins for kubeadm and kubectl)', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;
  const hosts = ['node1', 'node2', 'node3'];

  before(async function () {
    lab = await acquireLab(3, this);
    await lab.withFeatures(['kubernetes']);
    for (const h of hosts) await resetLabHost(lab, h);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-kube-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
    for (const h of hosts) {
      // A container runtime socket, as containerd leaves it.
      const r = await lab.exec(h, ['sh', '-c', 'mkdir -p /run/containerd /var/lib/runbook-lab/kubernetes && systemctl start containerd 2>/dev/null; test -S /run/containerd/containerd.sock']);
      expect(r.code, r.stderr).to.equal(0);
    }
  });
  after(async () => {
    if (lab) for (const h of hosts) await lab.exec(h, ['sh', '-c', 'kubeadm reset -f >/dev/null 2>&1; rm -rf /var/lib/runbook-lab/kubernetes/objects /run/containerd']);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir, timeoutMs: 200_000 });

  it('refuses to init on a host that fails pre-flight, saying why, before kubeadm runs', async () => {
    // A swap file in use, as /proc/swaps shows it (the lab binds this file there: a lab host cannot swapon).
    await lab.exec('node1', ['sh', '-c', 'echo "/swapfile file 1048572 0 -2" >> /var/lib/runbook-lab/kernel/swaps']);
    try {
      const res = await play('-l', 'node1');
      expect(res.code).to.equal(1);
      const ev = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === 'kubeadm init')!;
      expect(ev.msg).to.contain('kubeadm init would fail its pre-flight checks').and.to.contain('swap is on');
      expect(await lab.readFile('node1', '/etc/kubernetes/admin.conf')).to.equal(null);
    } finally {
      await lab.exec('node1', ['sh', '-c', 'head -n 1 /var/lib/runbook-lab/kernel/swaps > /tmp/swaps && cat /tmp/swaps > /var/lib/runbook-lab/kernel/swaps']);
    }
  });

  it('inits once, joins the workers with a fresh token, applies manifests and labels, never printing a token', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await lab.readFile('node1', '/etc/kubernetes/admin.conf')).to.contain('kind: Config');
    expect(await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init')).to.contain('pod-network-cidr=10.244.0.0/16');
    const tokens = (await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-tokens'))!.trim().split('\n');
    for (const w of ['node2', 'node3']) {
      expect(await lab.readFile(w, '/etc/kubernetes/kubelet.conf')).to.contain('kind: Config');
      const joined = (await lab.readFile(w, '/var/lib/runbook-lab/kubernetes/kubeadm-joined'))!;
      expect(joined).to.contain(`token=${tokens[tokens.length - 1]}`);
    }
    for (const t of tokens) expect(res.stdout + res.stderr, 'a token leaked').to.not.contain(t);
    const sc = JSON.parse((await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/objects/_cluster/StorageClass/gfs-mirror.json'))!);
    expect(sc.parameters).to.deep.equal({ resturl: 'http://heketi:8080', volumetype: 'replicate:2' });
    expect(JSON.parse((await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/objects/_cluster/Node/node1.json'))!).metadata.labels.disktype).to.equal('ssd');
  });

  it('changes nothing on the second run, and check mode finds no drift', async () => {
    const res = await play();
    expect(res.code, res.stdout).to.equal(0);
    const recap = jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts;
    for (const h of hosts) expect(recap[h].changed, h).to.equal(0);
    const check = await play('--check', '--detect-drift');
    expect(check.code, check.stdout).to.equal(0);
  });

  it('reports a drifted storage class with a diff and repairs it', async () => {
    await lab.exec('node1', ['sh', '-c', "sed -i 's/replicate:2/none/' /var/lib/runbook-lab/kubernetes/objects/_cluster/StorageClass/gfs-mirror.json"]);
    const check = await play('--check', '--diff', '--detect-drift', '-l', 'node1');
    expect(check.code).to.equal(4);
    const ev = jsonEvents(check.stdout).find((e) => e.task === 'storage class')!;
    expect(ev.msg).to.contain('apply storageclass/gfs-mirror (update)');
    expect(ev.diff[0].before).to.contain('volumetype: none');
    expect(ev.diff[0].after).to.contain('volumetype: replicate:2');
    const fix = await play('-l', 'node1');
    expect(fix.code).to.equal(0);
    expect(await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/objects/_cluster/StorageClass/gfs-mirror.json')).to.contain('replicate:2');
  });

  it('a worker whose join fails is rolled back; the others stay converged', async () => {
    await lab.exec('node3', ['sh', '-c', 'kubeadm reset -f >/dev/null; rm -f /etc/sysctl.d/k8s.conf; sysctl -qw net.ipv4.ip_forward=0; mkdir -p /var/lib/runbook-lab/kubernetes && touch /var/lib/runbook-lab/kubernetes/fail-kubeadm']);
    try {
      const res = await play();
      expect(res.code).to.equal(1);
      const recap = jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts;
      expect(recap.node3).to.include({ failed: 1, rolled_back: 1 });
      expect(recap.node2).to.include({ failed: 0, changed: 0 });
      expect(jsonEvents(res.stdout).find((e) => e.host === 'node3' && e.task === 'kubeadm join')!.msg).to.contain('kubeadm join failed (exit 1)');
      // node3 is as it was before the run: ip_forward back to 0, no sysctl file.
      expect((await lab.exec('node3', ['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.trim()).to.equal('0');
      expect(await lab.readFile('node3', '/etc/sysctl.d/k8s.conf')).to.equal(null);
      expect(await lab.readFile('node2', '/etc/kubernetes/kubelet.conf')).to.contain('kind: Config');
    } finally {
      await lab.exec('node3', ['rm', '-f', '/var/lib/runbook-lab/kubernetes/fail-kubeadm']);
    }
  });

  it('kubeadm is v1.28 here (no kubeadm package): 1.28\'s flags and phases are known, 1.13-only and unknown ones refused like kubeadm', async () => {
    const run = async (s: string) => { const r = await lab.exec('node2', ['sh', '-c', s]); return `${r.stdout.split('\n')[0]}${r.stderr.trim()}\nrc=${r.code}`; };
    expect(await run('kubeadm version')).to.match(/GitVersion:"v1\.28\.2-standin"/);
    expect(await run('kubeadm init --control-plane-endpoint=k8s.example:6443 --upload-certs --help')).to.match(/^Usage:\nrc=0$/);
    expect(await run('kubeadm init phase upload-certs --help')).to.match(/^Usage:\nrc=0$/);
    expect(await run('kubeadm join 10.0.0.1:6443 --experimental-control-plane')).to.match(/^unknown flag: --experimental-control-plane\n[^]*rc=1$/);
    expect(await run('kubeadm init --pod-network-cidr 10.244.0.0/16 --bogus')).to.match(/^unknown flag: --bogus\n[^]*rc=1$/);
    expect(await run('kubeadm token create --print-join-command --ttl')).to.match(/^flag needs an argument: --ttl\nrc=1$/);
  });
});
