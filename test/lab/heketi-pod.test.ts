// heketi as a pod on a lab host (kubectl stand-in + heketi stand-in, `--with kubernetes,heketi`): reachable only at
// its NodePort and only once ready (rollout status waits for it), backing its database up into the heketi-db-backup
// Secret and restoring it from /backupdb when a new pod starts, so a restarted pod keeps its topology; without the
// Secret mounted, the emptyDir database is lost with the pod, as on Kubernetes.

import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost } from '../helpers/stand-ins.js';
import { heketiClient } from '../../modules/lib/heketi-api.js';

const KEY = 'pod-admin-Key-3';
const PORT = 30081;
const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

/** The heketi Deployment (database on emptyDir), with or without the backup Secret at /backupdb, and its NodePort Service. */
function manifests(withBackup: boolean): string {
  const container = {
    name: 'heketi', image: 'heketi/heketi:10',
    env: [{ name: 'HEKETI_ADMIN_KEY', value: KEY }, { name: 'HEKETI_EXECUTOR', value: 'ssh' }, ...(withBackup ? [{ name: 'HEKETI_BACKUP_DB_TO_KUBE_SECRET', value: 'true' }] : [])],
    readinessProbe: { httpGet: { path: '/hello', port: 8080 }, initialDelaySeconds: 4, timeoutSeconds: 3 },
    volumeMounts: [{ mountPath: '/var/lib/heketi', name: 'db' }, ...(withBackup ? [{ mountPath: '/backupdb', name: 'heketi-db-secret' }] : [])],
  };
  const volumes = [{ name: 'db', emptyDir: {} }, ...(withBackup ? [{ name: 'heketi-db-secret', secret: { secretName: 'heketi-db-backup' } }] : [])];
  return JSON.stringify({
    apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'heketi', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { name: 'heketi' } }, template: { metadata: { labels: { name: 'heketi' } }, spec: { containers: [container], volumes } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'heketi', namespace: 'default' }, spec: { type: 'NodePort', selector: { name: 'heketi' }, ports: [{ port: 8080, targetPort: 8080, nodePort: PORT }] } },
    ],
  });
}

describe('heketi pod on the lab (kubectl and heketi stand-ins)', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let url: string;

  const sh = async (script: string) => {
    const r = await lab.exec('node1', ['sh', '-c', script]);
    return { code: r.code, out: `${r.stdout}${r.stderr}`.trim() };
  };
  const deploy = async (withBackup: boolean) => {
    await lab.writeFile('node1', '/root/heketi-pod.json', manifests(withBackup));
    const r = await sh(`${KUBECTL} apply -f /root/heketi-pod.json`);
    expect(r.code, r.out).to.equal(0);
  };
  const restart = async () => {
    const r = await sh(`${KUBECTL} rollout restart deployment/heketi && ${KUBECTL} rollout status deployment/heketi --timeout=60s`);
    expect(r.code, r.out).to.equal(0);
  };
  const hostnamesOfNodes = async () => {
    const api = heketiClient(url, 'admin', KEY);
    const { clusters } = await api.get<{ clusters: string[] }>('/clusters');
    const names: string[] = [];
    for (const c of clusters) {
      for (const n of (await api.get<{ nodes: string[] }>(`/clusters/${c}`)).nodes) names.push((await api.get<{ hostnames: { manage: string[] } }>(`/nodes/${n}`)).hostnames.manage[0]);
    }
    return names;
  };
  /** The database heketi last wrote into the Secret (heketi.db.gz), or undefined (also while kubectl is writing it). */
  const backedUp = async (): Promise<string | undefined> => {
    let secret: { data?: Record<string, string> };
    try {
      secret = JSON.parse((await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/objects/default/Secret/heketi-db-backup.json')) ?? '{}');
    } catch {
      return undefined;
    }
    const gz = secret.data?.['heketi.db.gz'];
    return gz ? gunzipSync(Buffer.from(gz, 'base64')).toString('utf8') : undefined;
  };

  before(async function () {
    lab = await acquireLab(1, this);
    await lab.withFeatures(['kubernetes', 'heketi']);
    await resetLabHost(lab, 'node1');
    url = `http://${lab.hosts[0].address}:${PORT}`;
    const r = await sh(`mkdir -p /etc/kubernetes && echo 'apiVersion: v1' > /etc/kubernetes/admin.conf && ${KUBECTL} create secret generic heketi-db-backup --from-file=heketi.db=/dev/null`);
    expect(r.code, r.out).to.equal(0);
  });
  after(async () => {
    if (lab) await sh('systemctl stop runbook-lab-pod-default-heketi; rm -rf /var/lib/runbook-lab/kubernetes /etc/kubernetes /root/heketi-pod.json; true');
  });

  it('opens its NodePort only once the pod is ready; rollout status waits for it', async () => {
    await deploy(true);
    const early = await sh(`curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${PORT}/hello; echo " exit=$?"`);
    expect(early.out, 'not ready yet: the connection is refused').to.match(/ exit=7$/);
    const wait = await sh(`${KUBECTL} rollout status deployment/heketi --timeout=60s`);
    expect(wait.out).to.equal('deployment "heketi" successfully rolled out');
    expect((await fetch(`${url}/hello`)).status).to.equal(200);
  });

  it('a restarted pod keeps its clusters and nodes: heketi backs its database up into the Secret and restores it from /backupdb', async () => {
    const api = heketiClient(url, 'admin', KEY, 50);
    const cluster = await api.call<{ id: string }>('POST', '/clusters', {});
    await api.call('POST', '/nodes', { cluster: cluster!.id, zone: 1, hostnames: { manage: ['10.0.0.11'], storage: ['10.0.0.11'] } });
    // The backup is written after the change, asynchronously: wait for it (bounded).
    for (let i = 0; i < 100 && !(await backedUp())?.includes('10.0.0.11'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await backedUp(), 'the Secret holds the database').to.contain('10.0.0.11');
    // heketi replaces the Secret's data (an Update): the empty heketi.db the Secret was created with is gone.
    const secret = JSON.parse((await lab.readFile('node1', '/var/lib/runbook-lab/kubernetes/objects/default/Secret/heketi-db-backup.json')) ?? '{}');
    expect(Object.keys(secret.data ?? {})).to.deep.equal(['heketi.db.gz']);
    await restart();
    expect(await hostnamesOfNodes()).to.deep.equal(['10.0.0.11']);
  });

  it('without the Secret mounted, a restarted pod starts from an empty database (emptyDir)', async () => {
    await deploy(false);
    await restart();
    expect(await hostnamesOfNodes()).to.deep.equal([]);
  });
});
