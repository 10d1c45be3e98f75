// playbooks/gluster-kubernetes (seed 003, gk-deploy -g) end to end on 3 lab hosts over SSH: real firewalld, systemd,
// wipefs on disk images, apt; stand-ins for modprobe, kubectl and heketi (the kubectl stand-in runs the heketi
// Deployment on its NodePort on node1, the only address the playbook is given). A disk with an old signature stops its
// host (rolled back, the disk untouched) while the others converge; wipe=true erases it and every step of the article
// (gluster-kubernetes.steps.yml, kept beside this test) is then checked on the hosts and in the stand-ins' records; the
// second run changes nothing; the audit finds no drift; injected drift is reported exactly and repaired.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { expectArticleSteps } from '../helpers/article-steps.js';
import { expectSecondRunQuietAndNoDrift, playbookRunner, writeLabInventory } from '../helpers/playbook-run.js';
import { resetLabHost, startFirewalld } from '../helpers/stand-ins.js';

const ADMIN_KEY = 'gk-admin-Key-0042';
const NODES = ['node1', 'node2', 'node3'];
const DISK = '/srv/sdb.img';
const PORTS = '111/tcp 111/udp 2222/tcp 3260/tcp 24007/tcp 24008/tcp 24010/tcp 49152-49251/tcp';

describe('playbook gluster-kubernetes on the lab', function () {
  this.timeout(600_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(3, this);
    for (const h of NODES) await resetLabHost(lab, h);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-pb2-'));
    await lab.withFeatures(['kubernetes', 'heketi']);
    for (const h of NODES) {
      await startFirewalld(lab, h);
      // A CentOS-like host: rpcbind.socket (a real socket unit on port 111, where the rpcbind package puts it) active
      // and enabled; node1's disk was used before (ext4 on it).
      await lab.exec(h, ['sh', '-c', 'systemctl unmask rpcbind.socket rpcbind.service; rm -f /etc/systemd/system/rpcbind.socket /etc/systemd/system/rpcbind.service; true']);
      await lab.writeFile(h, '/usr/lib/systemd/system/rpcbind.socket', '[Unit]\nDescription=RPCbind Server Activation Socket\n\n[Socket]\nListenStream=0.0.0.0:111\n\n[Install]\nWantedBy=sockets.target\n');
      await lab.writeFile(h, '/usr/lib/systemd/system/rpcbind.service', '[Unit]\nDescription=RPC bind portmap service\nRequires=rpcbind.socket\n\n[Service]\nExecStart=/bin/sleep infinity\n');
      const r = await lab.exec(h, ['sh', '-c', [
        'systemctl daemon-reload && systemctl enable --now rpcbind.socket 2>/dev/null',
        `rm -f ${DISK} && truncate -s 32M ${DISK}`,
        h === 'node1' ? `mkfs.ext4 -q -F ${DISK}` : 'true',
        h === 'node1' ? `mkdir -p /etc/kubernetes /var/lib/runbook-lab/kubernetes/objects && printf 'apiVersion: v1\\nkind: Config\\n' > /etc/kubernetes/admin.conf && printf '%s\\n' ${NODES.join(' ')} > /var/lib/runbook-lab/kubernetes/objects/nodes && printf 'version=v1.25.16\\n' > /var/lib/runbook-lab/kubernetes/kubeadm-init` : 'true',
      ].join(' && ')]);
      expect(r.code, r.stderr).to.equal(0);
    }
    const addr = (h: string) => lab.hosts.find((x) => x.name === h)!.address;
    await writeLabInventory(dir, lab, {
      gluster: { vars: { heketi_zone: 1, heketi_devices: [DISK] }, hosts: Object.fromEntries(NODES.map((h) => [h, { storage_address: addr(h) }])) },
      kube_master: { hosts: { node1: {} } },
    });
    const vars = (await fs.readFile(path.join(repoRoot, 'inventory/gluster-kubernetes/group_vars/all.yml'), 'utf8'))
      .replace(/^heketi_topology_file: .*$/m, `heketi_topology_file: ${topologyName}`);
    await fs.writeFile(path.join(dir, 'inv/group_vars/all.yml'), `${vars}
`);
    await fs.writeFile(path.join(dir, 'secrets.yml'), `heketi_admin_key: ${ADMIN_KEY}\nheketi_user_key: gk-user-Key-0043\n`);
  });
  after(async () => {
    if (lab) {
      for (const h of NODES) {
        await lab.exec(h, ['sh', '-c', `${stopPods}; systemctl unmask rpcbind.socket rpcbind.service; systemctl stop rpcbind.socket; rm -f /usr/lib/systemd/system/rpcbind.*; systemctl daemon-reload; rm -rf /var/lib/runbook-lab/kubernetes /etc/kubernetes ${DISK}; true`]);
      }
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(topologyFile(), { force: true });
  });

  const site = path.join(repoRoot, 'playbooks/gluster-kubernetes/site.yml');
  // The topology file is a controller path from a variable: it must stay inside the playbook's folder (#13 item 5).
  const topologyName = `topology-test-${process.pid}.json`;
  const topologyFile = () => path.join(path.dirname(site), topologyName);
  const runner = playbookRunner(site, () => dir, ['-e', '@secrets.yml']);
  const { play, audit, recap, failures } = runner;
  const sh = async (h: string, s: string) => (await lab.exec(h, ['sh', '-c', s])).stdout.trim();
  const kube = '/var/lib/runbook-lab/kubernetes/objects';
  const pods = '/var/lib/runbook-lab/kubernetes/pods';
  const stopPods = `for u in ${pods}/*.json; do [ -e "$u" ] && systemctl stop "$(basename "$u" .json)"; done`;
  const address = (h: string) => lab.hosts.find((x) => x.name === h)!.address;
  const heketiUrl = () => `http://${address('node1')}:30080`;
  // heketi's database, as the final heketi pod keeps it on heketidbstorage (the stand-in's database is JSON).
  const gluster = '/var/lib/runbook-lab/kubernetes/glusterfs';
  const heketiDb = `${gluster}/heketidbstorage/heketi.db.json`;
  const heketiState = async () => JSON.parse((await lab.readFile('node1', heketiDb))!) as { nodes: Record<string, { hostnames: { manage: string[]; storage: string[] } }>; devices: Record<string, { name: string }> };

  it('stops a host whose disk carries a signature, rolls it back with the disk untouched, converges the others', async () => {
    const res = await play();
    expect(res.code).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failed).to.include({ host: 'node1', task: 'Raw devices only, unless wipe is true' });
    expect(failed.msg).to.contain(`${DISK} on node1 carries a ext4 signature: heketi needs a raw device`).and.to.contain('set wipe: true for this host');
    expect(await sh('node1', `wipefs --noheadings --output TYPE ${DISK}`)).to.equal('ext4');
    // node1 rolled back: its ports are closed again, its modules unloaded, rpcbind.socket back on.
    expect(recap(res.stdout).node1.rolled_back).to.be.greaterThan(0);
    expect(await sh('node1', 'firewall-cmd --permanent --zone=public --list-ports')).to.equal('');
    expect(await sh('node1', 'lsmod | tail -n +2')).to.equal('');
    expect(await sh('node1', 'systemctl is-active rpcbind.socket; systemctl is-enabled rpcbind.socket rpcbind.service')).to.equal('active\nenabled\nstatic');
    for (const h of ['node2', 'node3']) {
      expect(recap(res.stdout)[h], h).to.include({ failed: 0, unreachable: 0 });
      expect(await sh(h, 'firewall-cmd --permanent --zone=public --list-ports | tr " " "\\n" | sort -V | tr "\\n" " "')).to.equal(PORTS);
      expect(await sh(h, 'firewall-cmd --zone=public --list-ports | tr " " "\\n" | sort -V | tr "\\n" " "')).to.equal(PORTS);
      expect(await sh(h, 'lsmod | tail -n +2 | cut -d" " -f1 | sort | tr "\\n" " "')).to.equal('dm_mirror dm_multipath dm_snapshot dm_thin_pool target_core_user');
      expect(await lab.readFile(h, '/etc/modules-load.d/dm_thin_pool.conf')).to.equal('dm_thin_pool\n');
      expect(await sh(h, 'systemctl is-active rpcbind.socket; systemctl is-enabled rpcbind.socket rpcbind.service')).to.equal('inactive\nmasked\nmasked');
    }
    // The Kubernetes part runs from node1, which stopped: nothing was deployed.
    expect(await sh('node1', `ls ${kube}/default 2>/dev/null | wc -l`)).to.equal('0');
  });

  it('erases the signature only with wipe=true, then deploys GlusterFS, heketi, the topology and the StorageClass', async () => {
    const res = await play('-e', 'wipe=true');
    expect(res.code, failures(res.stdout) + res.stderr).to.equal(0);
    expect(res.stdout + res.stderr).to.not.contain(ADMIN_KEY).and.to.not.contain(Buffer.from(ADMIN_KEY).toString('base64'));
    expect(await sh('node1', `wipefs --noheadings --output TYPE ${DISK}`)).to.equal('');
    // Every step of seed 003, checked on the hosts and in the kubectl stand-in's records (gluster-kubernetes.steps.yml).
    const checked = await expectArticleSteps(lab, 'gluster-kubernetes', {
      DISK, OBJECTS: kube, GLUSTERFS_VOLUMES: gluster, HEKETI_DB: heketiDb, HEKETI_URL: heketiUrl(), ...Object.fromEntries(NODES.map((h) => [`ADDRESS_OF_${h}`, address(h)])),
    });
    expect(checked).to.be.greaterThan(16);
    // The final heketi found the topology in the database the copy job put on heketidbstorage: nothing to add.
    const final = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === 'Topology in the final heketi (the copied database has it already; adds what a later inventory adds)')!;
    expect(final).to.include({ host: 'node1', status: 'ok' });
    const config = JSON.parse((await lab.readFile('node1', `${kube}/default/Secret/heketi-config-secret.json`))!);
    expect(JSON.parse(config.stringData['heketi.json']).jwt.admin.key).to.equal(ADMIN_KEY);
    // The controller reached heketi only through the NodePort: the heketi pod's own database holds the topology.
    expect(Object.values((await heketiState()).devices).map((d) => d.name)).to.deep.equal([DISK, DISK, DISK]);
    const written = JSON.parse(await fs.readFile(topologyFile(), 'utf8'));
    expect(written.clusters[0].nodes).to.have.length(3);
  });

  it('changes nothing on the second run (heketi\'s database still on heketidbstorage), and the audit finds no drift', async () => {
    await expectSecondRunQuietAndNoDrift(runner, NODES);
    expect(Object.keys((await heketiState()).nodes)).to.have.length(3);
  });

  it('reports exactly the drift injected and a run repairs it', async () => {
    await sh('node3', 'firewall-cmd --permanent --zone=public --remove-port=2222/tcp; firewall-cmd --zone=public --remove-port=2222/tcp');
    await sh('node2', 'modprobe -r dm_mirror');
    const a = await audit('--format', 'json');
    expect(a.code, a.stdout.slice(-2000)).to.equal(4);
    const drift = jsonEvents(a.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}: ${e.task}`).sort();
    expect(drift).to.deep.equal(['node2: Device-mapper modules heketi\'s LVM needs, loaded and at boot', 'node3: Ports of the GlusterFS pods (sshd 2222, glusterd 24007, management 24008, bricks)']);
    expect(await sh('node3', 'firewall-cmd --zone=public --query-port=2222/tcp')).to.equal('no');
    const fix = await play();
    expect(fix.code, failures(fix.stdout)).to.equal(0);
    expect(recap(fix.stdout).node3.changed).to.equal(1);
    expect(await sh('node3', 'firewall-cmd --zone=public --query-port=2222/tcp')).to.equal('yes');
    expect(await sh('node2', 'lsmod | grep -c ^dm_mirror')).to.equal('1');
  });
});
