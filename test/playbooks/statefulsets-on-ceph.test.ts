// playbooks/statefulsets-on-ceph end to end on 3 lab hosts over SSH: apt (local repository), real files under /etc/ceph;
// the kubectl stand-in holds the objects. First run converges and does every step of seed 004 (the article's steps,
// kept in statefulsets-on-ceph.steps.yml), second changes nothing, scaling ZooKeeper through its variable changes
// replicas and --servers together, a deleted PodDisruptionBudget is reported as drift and restored, the window's lower
// edge holds (1.20 refused, 1.21 applies everything), resizing etcd is refused until its members were changed by hand,
// and the ceph keys never appear in any output.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { expectArticleSteps } from '../helpers/article-steps.js';
import { ensureFakeRepo, useRepoScript } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { playbookRunner, writeLabInventory } from '../helpers/playbook-run.js';
import { resetLabHost } from '../helpers/stand-ins.js';

const NODES = ['node1', 'node2', 'node3'];
const ADMIN_KEY = 'AQAc/gtaQRz8BRAAs1N4wZyj7oO+uk325kNZgw==';
const USER_KEY = 'AQBuserKeyForK8sOnly0000000000000000000==';

describe('playbook statefulsets-on-ceph on the lab', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(3, this);
    await lab.withFeatures(['kubernetes']);
    for (const h of NODES) await resetLabHost(lab, h);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-pb4-'));
    const source = await ensureFakeRepo();
    for (const h of NODES) {
      const r = await lab.exec(h, ['sh', '-c', `${useRepoScript(source)}\nrm -rf /etc/ceph /var/lib/runbook-lab/kubernetes/objects\ndpkg -r ceph-common >/dev/null 2>&1; true`]);
      expect(r.code, r.stderr).to.equal(0);
    }
    await lab.exec('node1', ['mkdir', '-p', '/etc/kubernetes']);
    await lab.writeFile('node1', '/etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\n');
    // The cluster kubeadm made: Kubernetes 1.30, the last with the in-tree rbd provisioner.
    await lab.exec('node1', ['mkdir', '-p', '/var/lib/runbook-lab/kubernetes']);
    await lab.writeFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init', 'version=v1.30.6\n');
    await writeLabInventory(dir, lab, { kube_nodes: { hosts: Object.fromEntries(NODES.map((h) => [h, {}])) }, kube_master: { hosts: { node1: {} } } });
    await fs.copyFile(path.join(repoRoot, 'inventory/statefulsets-on-ceph/group_vars/all.yml'), path.join(dir, 'inv/group_vars/all.yml'));
    await fs.writeFile(path.join(dir, 'secrets.yml'), `ceph_admin_key: "${ADMIN_KEY}"\nceph_user_key: "${USER_KEY}"\n`);
  });
  after(async () => {
    if (lab) await lab.exec('node1', ['sh', '-c', 'rm -rf /var/lib/runbook-lab/kubernetes /etc/kubernetes; true']);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const site = path.join(repoRoot, 'playbooks/statefulsets-on-ceph/site.yml');
  const { play, recap } = playbookRunner(site, () => dir, ['-e', '@secrets.yml', '--diff'], 200_000);
  const obj = async (rel: string) => JSON.parse((await lab.readFile('node1', `/var/lib/runbook-lab/kubernetes/objects/${rel}.json`))!);
  const noKeys = (out: string) => {
    for (const k of [ADMIN_KEY, USER_KEY]) expect(out).to.not.contain(k).and.to.not.contain(Buffer.from(k).toString('base64'));
  };

  it('refuses a cluster on Kubernetes 1.31 (no in-tree rbd), naming the window, before any object is applied', async () => {
    await lab.writeFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init', 'version=v1.31.1\n');
    try {
      const res = await play();
      expect(res.code).to.equal(1);
      const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
      expect(failed.msg).to.contain("the cluster's Kubernetes is outside 1.21-1.30, the versions this playbook supports: its StorageClass uses the in-tree kubernetes.io/rbd provisioner, which Kubernetes removed in 1.31");
      expect(await lab.exec('node1', ['ls', '/var/lib/runbook-lab/kubernetes/objects'])).to.include({ code: 2 });
    } finally {
      await lab.writeFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init', 'version=v1.30.6\n');
    }
  });

  it('converges: rbd client on every node, secrets, StorageClass, ZooKeeper and etcd with services and PDBs', async () => {
    const res = await play();
    expect(res.code, res.stdout.slice(-3000) + res.stderr).to.equal(0);
    noKeys(res.stdout + res.stderr);
    for (const h of NODES) {
      expect((await lab.exec(h, ['ceph-common'])).stdout.trim()).to.equal('ceph-common 16.2.11+ds-2');
      expect(await lab.readFile(h, '/etc/ceph/ceph.conf')).to.contain('mon_host = 172.16.13.223:6789\n');
      expect(await lab.readFile(h, '/etc/ceph/ceph.client.k8s.keyring')).to.equal(`[client.k8s]\n\tkey = ${USER_KEY}\n`);
      expect((await lab.exec(h, ['stat', '-c', '%a', '/etc/ceph/ceph.client.k8s.keyring'])).stdout.trim()).to.equal('600');
    }
    const admin = await obj('default/Secret/ceph-admin-secret');
    expect(admin.type).to.equal('kubernetes.io/rbd');
    expect(Buffer.from(admin.data.key, 'base64').toString()).to.equal(ADMIN_KEY);
    expect((await obj('_cluster/StorageClass/ceph')).parameters).to.include({ monitors: '172.16.13.223:6789', pool: 'k8s', userId: 'k8s', adminSecretNamespace: 'default' });
    const zk = await obj('default/StatefulSet/zk');
    expect(zk.spec.replicas).to.equal(3);
    expect(zk.spec.template.spec.containers[0].command[2]).to.contain('--servers=3 ').and.to.contain('--heap=512M');
    expect(zk.spec.volumeClaimTemplates[0].spec).to.deep.include({ storageClassName: 'ceph' });
    expect((await obj('default/PodDisruptionBudget/zk-pdb')).spec.maxUnavailable).to.equal(1);
    expect((await obj('default/Service/zk-hs')).spec.clusterIP).to.equal('None');
    const etcd = await obj('default/StatefulSet/etcd');
    expect(etcd.spec.template.spec.containers[0].env).to.deep.include({ name: 'CLUSTER_SIZE', value: '3' });
    expect(etcd.spec.template.spec.containers[0].command[2]).to.contain('${SET_NAME}-${i}=http://${SET_NAME}-${i}.${SET_NAME}.default.svc.cluster.local:2380');
  });

  it('did every step of the article (statefulsets-on-ceph.steps.yml) on the nodes and in the recorded objects', async () => {
    const checked = await expectArticleSteps(lab, 'statefulsets-on-ceph', { ADMIN_KEY, USER_KEY });
    expect(checked).to.equal(15);
  });

  it('changes nothing on the second run', async () => {
    const res = await play();
    expect(res.code).to.equal(0);
    for (const [h, r] of Object.entries(recap(res.stdout))) expect(r.changed, h).to.equal(0);
  });

  it('scales ZooKeeper from its variable: replicas and --servers change together, nothing else', async () => {
    const zookeeper = { replicas: 5, image: 'registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10', heap: '512M', storage: '1Gi' };
    const res = await play('-e', JSON.stringify({ zookeeper }));
    expect(res.code, res.stdout.slice(-2000)).to.equal(0);
    noKeys(res.stdout);
    const changed = jsonEvents(res.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => e.task);
    expect(changed).to.deep.equal(['ZooKeeper ensemble (headless and client services, PodDisruptionBudget, StatefulSet)']);
    const zk = await obj('default/StatefulSet/zk');
    expect(zk.spec.replicas).to.equal(5);
    expect(zk.spec.template.spec.containers[0].command[2]).to.contain('--servers=5 ');
  });

  it('reports a deleted PodDisruptionBudget as drift, without the keys, and a run restores it', async () => {
    await lab.exec('node1', ['rm', '/var/lib/runbook-lab/kubernetes/objects/default/PodDisruptionBudget/etcd-pdb.json']);
    const a = await runCli(['audit', site, '-i', 'inv', '-e', '@secrets.yml', '--format', 'json'], { cwd: dir, timeoutMs: 200_000 });
    expect(a.code).to.equal(4);
    noKeys(a.stdout + a.stderr);
    const drift = jsonEvents(a.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}: ${e.task}`);
    // ZooKeeper is back at 3 replicas in the inventory, so the scale-up of the previous test is drift too.
    expect(drift.sort()).to.deep.equal(['node1: ZooKeeper ensemble (headless and client services, PodDisruptionBudget, StatefulSet)', 'node1: etcd cluster (headless service, PodDisruptionBudget, StatefulSet)']);
    const fix = await play();
    expect(fix.code).to.equal(0);
    expect((await obj('default/PodDisruptionBudget/etcd-pdb')).spec.maxUnavailable).to.equal(1);
    expect((await obj('default/StatefulSet/zk')).spec.replicas).to.equal(3);
  });

  it('at the window\'s lower edge: 1.20 is refused, 1.21 (policy/v1 PodDisruptionBudgets served from it) gets every object', async () => {
    try {
      await lab.writeFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init', 'version=v1.20.15\n');
      const refused = await play();
      expect(refused.code).to.equal(1);
      expect(jsonEvents(refused.stdout).find((e) => e.event === 'task' && e.status === 'failed')!.msg).to.contain("the cluster's Kubernetes is outside 1.21-1.30");
      await lab.writeFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init', 'version=v1.21.14\n');
      await lab.exec('node1', ['rm', '-rf', '/var/lib/runbook-lab/kubernetes/objects']);
      const res = await play();
      expect(res.code, res.stdout.slice(-3000) + res.stderr).to.equal(0);
      expect((await obj('default/PodDisruptionBudget/zk-pdb')).apiVersion).to.equal('policy/v1');
      expect((await obj('default/StatefulSet/etcd')).spec.replicas).to.equal(3);
    } finally {
      await lab.writeFile('node1', '/var/lib/runbook-lab/kubernetes/kubeadm-init', 'version=v1.30.6\n');
    }
  });

  it('refuses to resize etcd (its members do not follow) until told they were changed by hand, then resizes it', async () => {
    const etcd = { replicas: 5, image: 'quay.io/coreos/etcd:v3.2.3', storage: '1Gi' };
    const refused = await play('-e', JSON.stringify({ etcd }));
    expect(refused.code).to.equal(1);
    const failed = jsonEvents(refused.stdout).filter((e) => e.event === 'task' && e.status === 'failed');
    expect(failed.map((e) => e.task)).to.deep.equal(['etcd keeps its size unless its members were changed by hand (seed 004\'s etcd scaling pitfall)']);
    expect(failed[0].msg).to.contain('etcd.replicas is 5 but the etcd StatefulSet has another size').and.to.contain('etcdctl member remove');
    expect((await obj('default/StatefulSet/etcd')).spec.replicas).to.equal(3);
    const done = await play('-e', JSON.stringify({ etcd, etcd_members_changed: true }));
    expect(done.code, done.stdout.slice(-2000)).to.equal(0);
    const live = await obj('default/StatefulSet/etcd');
    expect(live.spec.replicas).to.equal(5);
    expect(live.spec.template.spec.containers[0].env).to.deep.include({ name: 'CLUSTER_SIZE', value: '5' });
  });
});
