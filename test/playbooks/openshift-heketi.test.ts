// playbooks/openshift-heketi (seed 001) on three systemd lab hosts, heketi from the lab's stand-in package (whose
// unit has the article's '-config=' bug) run by systemd: each step of the article (openshift-heketi.steps.yml, kept
// beside this test) is checked on the hosts after a run; heketi's API holds the topology by IP; the second run
// changes nothing; the admin key is never printed.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { jsonEvents } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { playbookRunner, writeLabInventory } from '../helpers/playbook-run.js';
import { allowPort, resetLabHost } from '../helpers/stand-ins.js';

const ADMIN_KEY = 'heketi-Admin-001-Key';
const NODES = ['node1', 'node2', 'node3'];
interface Step { step: string; hosts: string[]; sh: string; expect: string }

describe('playbook openshift-heketi (seed 001) on the lab', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;
  const folder = path.join(repoRoot, 'playbooks/openshift-heketi');
  const keyName = `files/heketi-test-${process.pid}_key`;
  const topologyName = `topology-test-${process.pid}.json`;
  const runner = playbookRunner(path.join(folder, 'site.yml'), () => dir, ['-e', '@secrets.yml']);
  const address = (h: string) => lab.hosts.find((x) => x.name === h)!.address;

  before(async function () {
    lab = await acquireLab(3, this);
    await lab.withFeatures(['kubernetes', 'heketi', 'apt-mirror']);
    for (const h of NODES) await resetLabHost(lab, h);
    await allowPort(lab, 'node1', 8080); // heketi's port, reached from the controller
    // Another playbook test of this process may have authorized its own heketi key: the steps count this run's only.
    for (const h of NODES) await lab.exec(h, ['sh', '-c', "[ -f /root/.ssh/authorized_keys ] && sed -i '/ heketi$/d' /root/.ssh/authorized_keys; true"]);
    for (const h of NODES) await lab.exec(h, ['truncate', '-s', '64M', '/srv/disk1.img']);
    await lab.exec('node1', ['sh', '-c', 'mkdir -p /etc/kubernetes && printf "apiVersion: v1\\nkind: Config\\n" > /etc/kubernetes/admin.conf']);
    await setClusterVersion('v1.26.0'); // outside the window first: the first test expects a refusal
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-pb001-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'heketi', '-f', path.join(folder, keyName)]);
    const pub = (await fs.readFile(path.join(folder, `${keyName}.pub`), 'utf8')).trim();
    await writeLabInventory(dir, lab, {
      gluster: { hosts: Object.fromEntries(NODES.map((h, i) => [h, { heketi_zone: i + 1, heketi_devices: ['/srv/disk1.img'] }])) },
      heketi: { hosts: { node1: {} } },
      kube_master: { hosts: { node1: {} } },
    });
    const vars = (await fs.readFile(path.join(repoRoot, 'inventory/openshift-heketi/group_vars/all.yml'), 'utf8'))
      .replace(/^heketi_ssh_public_key: .*$/m, `heketi_ssh_public_key: "${pub}"`)
      .replace(/^heketi_ssh_private_key_file: .*$/m, `heketi_ssh_private_key_file: ${keyName}`)
      .replace(/^heketi_topology_file: .*$/m, `heketi_topology_file: ${topologyName}`);
    await fs.writeFile(path.join(dir, 'inv/group_vars/all.yml'), vars);
    await fs.copyFile(path.join(repoRoot, 'inventory/openshift-heketi/group_vars/gluster.yml'), path.join(dir, 'inv/group_vars/gluster.yml'));
    await fs.writeFile(path.join(dir, 'secrets.yml'), `heketi_admin_key: ${ADMIN_KEY}\nheketi_user_key: heketi-User-001\n`);
  });
  after(async () => {
    if (lab && !process.env.RUNBOOK_KEEP_LAB) {
      await lab.exec('node1', ['sh', '-c', 'systemctl stop heketi; systemctl disable heketi; dpkg --purge heketi heketi-client >/dev/null 2>&1; rm -rf /etc/systemd/system/heketi.service.d /etc/heketi /var/lib/heketi /var/lib/runbook-lab/kubernetes; systemctl daemon-reload; true']);
      for (const h of NODES) await lab.exec(h, ['sh', '-c', 'systemctl stop glusterd; rm -f /srv/disk1.img; true']);
      await allowPort(lab, 'node1', 8080, false);
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    for (const f of [keyName, `${keyName}.pub`, topologyName]) await fs.rm(path.join(folder, f), { force: true });
  });

  // The kubectl stand-in's server version is what kubeadm init recorded on the kubectl host.
  const setClusterVersion = (v: string) =>
    lab.exec('node1', ['sh', '-c', `mkdir -p /var/lib/runbook-lab/kubernetes && echo version=${v} > /var/lib/runbook-lab/kubernetes/kubeadm-init`]);

  it('refuses a cluster outside Kubernetes 1.13-1.25 (in-tree glusterfs removed in 1.26) before any host changes', async () => {
    const res = await runner.play();
    expect(res.code).to.equal(1);
    expect(res.stdout + res.stderr).to.contain("the cluster's Kubernetes is outside 1.13-1.25, the versions this playbook supports");
    const changed = jsonEvents(res.stdout).filter((e) => e.event === 'task' && e.status === 'changed');
    expect(changed, 'changed before the refusal').to.deep.equal([]);
    const left = await lab.exec('node1', ['sh', '-c', 'ls -d /etc/heketi/heketi.json /etc/systemd/system/heketi.service.d /var/lib/heketi 2>/dev/null; true']);
    expect(left.stdout.trim(), 'heketi files after the refusal').to.equal('');
    await setClusterVersion('v1.25.16');
  });

  it('before the run, the packaged unit cannot start heketi (the article\'s bug)', async () => {
    const r = await lab.exec('node1', ['sh', '-c', 'apt-get install -y -q heketi >/dev/null && systemctl start heketi; sleep 0.5; journalctl -u heketi --no-pager | grep -m1 "unknown shorthand"; dpkg --purge heketi >/dev/null']);
    expect(r.stdout).to.contain("Error: unknown shorthand flag: 'c' in -config=/etc/heketi/heketi.json");
  });

  it('does every step of the article (steps checked on the hosts), heketi holds the topology by IP', async () => {
    const res = await runner.play();
    expect(res.code, runner.failures(res.stdout) + res.stderr).to.equal(0);
    expect(res.stdout + res.stderr).to.not.contain(ADMIN_KEY);
    const steps = parse(await fs.readFile(path.join(repoRoot, 'test/playbooks/openshift-heketi.steps.yml'), 'utf8')) as Step[];
    expect(steps.length).to.be.greaterThan(8);
    for (const s of steps) {
      const want = new RegExp(s.expect.replace('HEKETI', address('node1').replace(/\./g, '\\.')).replace('ADMIN_KEY', ADMIN_KEY));
      for (const h of s.hosts) {
        const out = (await lab.exec(h, ['sh', '-c', s.sh])).stdout.trim();
        expect(out, `${s.step} on ${h}`).to.match(want);
      }
    }
    // heketi's own database (the stand-in keeps it as JSON beside heketi.json's db path): the nodes, by IP.
    const db = JSON.parse((await lab.readFile('node1', '/var/lib/heketi/heketi.db.json'))!);
    expect(Object.values(db.nodes as Record<string, { hostnames: { manage: string[] }; zone: number }>).map((n) => `${n.hostnames.manage[0]}:${n.zone}`).sort())
      .to.deep.equal(NODES.map((h, i) => `${address(h)}:${i + 1}`));
    const topology = JSON.parse(await fs.readFile(path.join(folder, topologyName), 'utf8'));
    expect(topology.clusters[0].nodes.map((n: { node: { hostnames: { manage: string[] }; zone: number } }) => `${n.node.hostnames.manage[0]}:${n.node.zone}`))
      .to.deep.equal(NODES.map((h, i) => `${address(h)}:${i + 1}`));
  });

  it('changes nothing on the second run', async () => {
    const res = await runner.play();
    expect(res.code, runner.failures(res.stdout)).to.equal(0);
    const changed = jsonEvents(res.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}: ${e.task}`);
    expect(changed, 'changed on the second run').to.deep.equal([]);
    for (const h of NODES) expect(runner.recap(res.stdout)[h], h).to.include({ changed: 0, failed: 0 });
  });
});
