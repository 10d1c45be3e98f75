// The heketi waits of seeds 000 (k8s-glusterfs-heketi) and 003 (gluster-kubernetes) on one lab host (a storage node
// that is also the kubectl host, over SSH): a heketi pod that never becomes ready (the kubectl stand-in's readiness
// delay set far beyond heketi_wait_seconds, so it is not ready whatever the machine's load) stops the run after
// heketi_wait_seconds with a message naming the deployment, its namespace and the time waited, exit 1, and the host
// rolled back to what it was: no object, pod, open port or loaded module the run added is left. And --check on a
// fresh host exits 0, says what it would change and writes nothing: gluster-kubernetes (firewalld stopped, no heketi
// deployed: its whole topology and database volume would be created), then k8s-glusterfs-heketi with no cluster at all
// (no packages, no kubeadm init, no API server, no heketi).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { jsonEvents } from '../helpers/cli.js';
import { ensureFakeRepo, useRepoScript } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { playbookRunner, writeLabInventory } from '../helpers/playbook-run.js';
import { resetLabHost } from '../helpers/stand-ins.js';

const HOST = 'node1';
const DISK = '/srv/sdb-wait.img';
const KUBE = '/var/lib/runbook-lab/kubernetes';
const PODS = `${KUBE}/pods`;
const WAIT_SECONDS = 3;

/** What a run may change on the host, read back: firewalld, modules, systemd units, the stand-ins' objects and pods. */
const SNAPSHOT = [
  'echo "firewalld $(systemctl is-active firewalld) $(systemctl is-enabled firewalld 2>/dev/null)"',
  // The permanent configuration as firewalld reads it (the zone file it writes stays behind once a port was added).
  'echo "ports: $(firewall-offline-cmd --zone=public --list-ports) services: $(firewall-offline-cmd --zone=public --list-services)"',
  'lsmod | tail -n +2 | cut -d" " -f1 | sort | tr "\\n" " "; echo',
  'ls /etc/modules-load.d /etc/modprobe.d /etc/systemd/system | tr "\\n" " "; echo',
  `wipefs --noheadings --output TYPE ${DISK}; echo`,
  // The stand-in's objects by namespace, kind and name; the node's labels as kubectl shows them (a node whose label
  // was removed again keeps a file of its own).
  `cd ${KUBE}/objects && find . -type f ! -path "./_cluster/Node/*" | sort`,
  `kubectl --kubeconfig /etc/kubernetes/admin.conf get node ${HOST} -o json | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)["metadata"]["labels"].items()))'`,
  'systemctl list-units --all --plain --no-legend "runbook-lab-pod-*" | awk \'$3 == "active" {print "pod running:", $1}\'',
].join('\n');

describe('playbooks k8s-glusterfs-heketi and gluster-kubernetes: a heketi never available, and --check on a fresh cluster', function () {
  this.timeout(600_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(1, this);
    await resetLabHost(lab, HOST);
    await lab.withFeatures(['kubernetes', 'heketi']);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-heketi-wait-'));
    // A running cluster as kubeadm leaves it (admin.conf, Kubernetes 1.25: inside both playbooks' window), firewalld
    // stopped as on a fresh host, a raw disk; heketi pods start answering only after 10 minutes.
    const r = await lab.exec(HOST, ['sh', '-c', [
      `${stopPods}; systemctl stop firewalld; systemctl disable firewalld 2>/dev/null`,
      `rm -f ${DISK} && truncate -s 32M ${DISK}`,
      `mkdir -p /etc/kubernetes ${KUBE}/objects && printf 'apiVersion: v1\\nkind: Config\\n' > /etc/kubernetes/admin.conf`,
      `echo ${HOST} > ${KUBE}/objects/nodes && printf 'version=v1.25.16\\n' > ${KUBE}/kubeadm-init && echo 600000 > ${KUBE}/pod-start-ms`,
    ].join(' && ')]);
    expect(r.code, r.stderr).to.equal(0);
    await fs.writeFile(path.join(dir, 'secrets.yml'), 'heketi_admin_key: wait-admin-Key-0042\nheketi_user_key: wait-user-Key-0043\n');
  });
  after(async () => {
    if (lab) await lab.exec(HOST, ['sh', '-c', `${stopPods}; rm -rf ${KUBE} /etc/kubernetes ${DISK}; true`]);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const stopPods = `for u in ${PODS}/*.json; do [ -e "$u" ] && systemctl stop "$(basename "$u" .json)"; done; true`;
  const snapshot = async () => (await lab.exec(HOST, ['sh', '-c', SNAPSHOT])).stdout;

  /** The inventory of one seed's folder (group_vars) with this lab host in the groups the seed names. */
  async function inventoryFor(seed: string, groups: Record<string, Record<string, unknown>>): Promise<void> {
    await fs.rm(path.join(dir, 'inv'), { recursive: true, force: true });
    const hosts = (vars: Record<string, unknown>): Record<string, Record<string, unknown>> => (Object.keys(vars).length ? { [HOST]: vars } : {});
    await writeLabInventory(dir, lab, Object.fromEntries(Object.entries(groups).map(([g, vars]) => [g, { hosts: hosts(vars) }])));
    for (const f of await fs.readdir(path.join(repoRoot, 'inventory', seed, 'group_vars'))) {
      await fs.copyFile(path.join(repoRoot, 'inventory', seed, 'group_vars', f), path.join(dir, 'inv/group_vars', f));
    }
  }

  /** The failed task of a run: exactly one, on HOST. */
  function failedTask(stdout: string) {
    const failed = jsonEvents(stdout).filter((e) => e.event === 'task' && e.status === 'failed');
    expect(failed.map((e) => `${e.host}: ${e.task}`)).to.have.length(1);
    expect(failed[0].host).to.equal(HOST);
    return failed[0];
  }

  it('gluster-kubernetes --check on a fresh host: exit 0, reports what would change, heketi included, and touches nothing', async () => {
    const before = await snapshot();
    const tree = `cd ${KUBE} && find . -type f | sort | xargs md5sum`;
    const treeBefore = (await lab.exec(HOST, ['sh', '-c', tree])).stdout;
    await inventoryFor('gluster-kubernetes', { gluster: { heketi_zone: 1, heketi_devices: [DISK], storage_address: lab.hosts[0].address }, kube_master: { heketi_zone: 1 } });
    const { play, recap, failures } = playbookRunner(path.join(repoRoot, 'playbooks/gluster-kubernetes/site.yml'), () => dir, ['-e', '@secrets.yml']);
    const topologyName = `topology-wait-test-${process.pid}.json`;
    const res = await play('--check', '-e', `heketi_topology_file=${topologyName}`);
    expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
    expect(recap(res.stdout)[HOST]).to.include({ failed: 0 });
    const event = (task: string) => jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === task)!;
    const url = `http://${lab.hosts[0].address}:30080`;
    // firewalld is stopped: its permanent configuration is read offline and the ports are reported.
    expect(event('Ports of the GlusterFS pods (sshd 2222, glusterd 24007, management 24008, bricks)')).to.include({ status: 'changed' });
    expect(event('Ports of the GlusterFS pods (sshd 2222, glusterd 24007, management 24008, bricks)').msg).to.match(/^would open port 2222\/tcp in zone public \(runtime, permanent; firewalld is not running now: read from its permanent configuration\); open port 24007\/tcp/);
    expect(event('deploy-heketi, the bootstrap heketi (database on an emptyDir), on heketi\'s NodePort').msg).to.equal('would apply deployment/deploy-heketi (create), service/deploy-heketi (create)');
    // heketi does not exist yet: the module says it could not read it and that the whole topology would be loaded.
    const topology = event('Topology loaded into deploy-heketi (manage = hostname, storage = IP)');
    expect(topology.status).to.equal('changed');
    expect(topology.msg).to.equal(`would load the whole topology: heketi at ${url} is not reachable: fetch failed (ECONNREFUSED), so what it has cannot be read (its deployment may not exist yet) and all of it is planned as new; create cluster #1 (1 node(s)); add node ${HOST} (zone 1, storage ${lab.hosts[0].address}) with devices ${DISK}; write the topology to ${topologyName}`);
    expect(event('heketi\'s database volume heketidbstorage and the database backup to seed it (setup-openshift-heketi-storage)').msg).to.equal(`would create heketi volume heketidbstorage (2 GiB, replicate 3): heketi at ${url} is not reachable: fetch failed (ECONNREFUSED), so whether it exists cannot be read (its deployment may not exist yet)`);
    expect(event('StorageClass backed by heketi, with its admin secret').msg).to.equal('would apply secret/heketi-storage-admin-secret (create), storageclass/glusterfs-storage (create)');
    // Nothing written: not the host, not the stand-in's records (not even a resourceVersion), not the topology file.
    expect(await snapshot()).to.equal(before);
    expect((await lab.exec(HOST, ['sh', '-c', tree])).stdout).to.equal(treeBefore);
    expect(await fs.stat(path.join(repoRoot, 'playbooks/gluster-kubernetes', topologyName)).catch(() => null)).to.equal(null);
  });

  const rollbackSteps = (stdout: string): Array<{ task: string; status: string }> => jsonEvents(stdout).filter((e) => e.event === 'rollback').flatMap((e) => e.steps);

  it('gluster-kubernetes: deploy-heketi never available stops the run after heketi_wait_seconds, naming it, and rolls the host back', async () => {
    const before = await snapshot();
    await inventoryFor('gluster-kubernetes', { gluster: { heketi_zone: 1, heketi_devices: [DISK], storage_address: lab.hosts[0].address }, kube_master: { heketi_zone: 1 } });
    const { play, recap } = playbookRunner(path.join(repoRoot, 'playbooks/gluster-kubernetes/site.yml'), () => dir, ['-e', '@secrets.yml']);
    const res = await play('-e', `heketi_wait_seconds=${WAIT_SECONDS}`);
    expect(res.code).to.equal(1);
    const failed = failedTask(res.stdout);
    expect(failed.task).to.equal('Wait for deploy-heketi to be available (kubectl rollout status, up to heketi_wait_seconds)');
    // What the user reads: kubectl's own words, then which deployment, where, and for how long.
    expect(failed.msg).to.match(/: error: timed out waiting for the condition\ndeployment\/deploy-heketi in namespace default was not available after 3 s \(kubectl rollout status\)$/);
    // Nothing after the wait ran: no topology was loaded, no heketi storage made.
    expect(jsonEvents(res.stdout).filter((e) => e.event === 'task' && /^(Topology|heketi's database volume)/.test(e.task))).to.deep.equal([]);
    expect(recap(res.stdout)[HOST]).to.include({ failed: 1 });
    expect(recap(res.stdout)[HOST].rolled_back).to.be.greaterThan(5);
    // The wait changed nothing (changed_when: false): rollback does not list it as a change it cannot undo.
    expect(rollbackSteps(res.stdout).filter((s) => s.status !== 'reverted')).to.deep.equal([]);
    expect(await snapshot()).to.equal(before);
  });

  it('k8s-glusterfs-heketi: the heketi deployment never available stops the run after heketi_wait_seconds, naming it, and rolls the host back', async () => {
    const before = await snapshot();
    await inventoryFor('k8s-glusterfs-heketi', { gluster: { heketi_zone: 1, heketi_devices: [DISK] }, master: { heketi_zone: 1 }, workers: {} });
    const { play, recap } = playbookRunner(path.join(repoRoot, 'playbooks/site.yml'), () => dir, ['-e', '@secrets.yml']);
    // From the heketi deployment on: the cluster exists (admin.conf); the steps before it are other tests' concern.
    const res = await play('-e', `heketi_wait_seconds=${WAIT_SECONDS}`, '--start-at-task', 'Heketi deployment, service account and NodePort service');
    expect(res.code).to.equal(1);
    const failed = failedTask(res.stdout);
    expect(failed.task).to.equal('Wait for the heketi deployment to be available (kubectl rollout status, up to heketi_wait_seconds)');
    expect(failed.msg).to.match(/: error: timed out waiting for the condition\ndeployment\/heketi in namespace default was not available after 3 s \(kubectl rollout status\)$/);
    expect(jsonEvents(res.stdout).filter((e) => e.event === 'task' && /^(Topology|Storage classes)/.test(e.task))).to.deep.equal([]);
    expect(recap(res.stdout)[HOST]).to.include({ failed: 1 });
    expect(recap(res.stdout)[HOST].rolled_back).to.be.greaterThan(0);
    expect(rollbackSteps(res.stdout).filter((s) => s.status !== 'reverted')).to.deep.equal([]);
    expect(await snapshot()).to.equal(before);
  });

  it('k8s-glusterfs-heketi --check with no cluster at all: exit 0, reports what would change, and touches nothing', async () => {
    // Last (it removes the cluster the tests above use): no admin.conf, no stand-in state; the packages would come
    // from the lab's repository.
    const source = await ensureFakeRepo();
    const reset = await lab.exec(HOST, ['sh', '-c', `${stopPods}; rm -rf /etc/kubernetes ${KUBE}; ${useRepoScript(source)}\ntrue`]);
    expect(reset.code, reset.stderr).to.equal(0);
    const keyName = `heketi-wait-test-${process.pid}_id_rsa`;
    const key = path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', keyName);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'heketi', '-f', key]);
    try {
      const before = await snapshot();
      const packages = 'dpkg-query -W -f "${Package} ${Version}\\n" | md5sum; ls /etc/kubernetes /etc/containerd /etc/sysctl.d 2>&1';
      const packagesBefore = (await lab.exec(HOST, ['sh', '-c', packages])).stdout;
      await inventoryFor('k8s-glusterfs-heketi', { gluster: { heketi_zone: 1, heketi_devices: [DISK] }, master: { heketi_zone: 1 }, workers: {} });
      const { play, recap, failures } = playbookRunner(path.join(repoRoot, 'playbooks/site.yml'), () => dir, ['-e', '@secrets.yml']);
      const topologyName = `topology-wait-test-${process.pid}.json`;
      const res = await play('--check', '-e', 'kubernetes_apt_repo=', '-e', `heketi_ssh_private_key_file=${keyName}`, '-e', `heketi_topology_file=${topologyName}`);
      expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
      expect(recap(res.stdout)[HOST]).to.include({ failed: 0 });
      const event = (task: string) => jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === task)!;
      const url = `http://${lab.hosts[0].address}:30080`;
      // kubeadm init would run; what its pre-flight finds now (the sysctl and containerd tasks before it did not run) is said.
      expect(event('kubeadm init for flannel').msg).to.match(/^would kubeadm init --pod-network-cidr=10\.244\.0\.0\/16 \(its pre-flight checks fail now: .*no container runtime socket/);
      // No API server: the manifests are planned as new, saying why.
      expect(event('flannel v0.20.2 network (upstream kube-flannel.yml; Kubernetes 1.17-1.25)').msg).to.match(/^would apply namespace\/kube-flannel \(create\), .*daemonset\/kube-flannel-ds \(create\): kubectl get failed \(exit 1\): The connection to the server localhost:8080 was refused - did you specify the right host or port\?, so nothing live could be read and all of it is planned as new$/);
      expect(event('A fresh join command for the workers').msg).to.equal('would create a bootstrap token and print the join command, once kubeadm init made a control plane here (no /etc/kubernetes/admin.conf yet)');
      expect(event('Heketi deployment, service account and NodePort service').msg).to.contain('deployment/heketi (create), service/heketi (create): kubectl get failed');
      expect(event('Topology (zones 1 and 2, one device each)').msg).to.match(new RegExp(`^would load the whole topology: heketi at ${url.replace(/\./g, '\\.')} is not reachable: fetch failed \\(ECONNREFUSED\\), so what it has cannot be read`));
      expect(await snapshot()).to.equal(before);
      expect((await lab.exec(HOST, ['sh', '-c', packages])).stdout).to.equal(packagesBefore);
      expect(await fs.stat(path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi', topologyName)).catch(() => null)).to.equal(null);
    } finally {
      await fs.rm(key, { force: true });
      await fs.rm(`${key}.pub`, { force: true });
    }
  });
});
