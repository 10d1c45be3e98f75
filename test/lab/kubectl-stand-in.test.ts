// The kubectl stand-in refuses what a real API server of the pinned version refuses (unknown fields, wrong types, unserved
// API versions, a stale resourceVersion), returns the server's fields, leaves a claim of a removed in-tree provisioner
// Pending, applies as kubectl's client-side apply does (last-applied annotation, three-way merge, kubectl's output lines),
// honours --validate; and the kubectl module is idempotent over server-set fields and restores objects on rollback.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost } from '../helpers/stand-ins.js';

const KUBE = '/var/lib/runbook-lab/kubernetes';

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } }, ...spec },
});

const configMap = (name: string, data: string, rest = '') => `
- hosts: node1
  gather_facts: false
  tasks:
    - name: settings
      kubectl:
        state: present
        definition: { apiVersion: v1, kind: ConfigMap, metadata: { name: ${name}, namespace: default }, data: { ${data} } }
${rest}`;

describe('kubectl stand-in: refusals of the pinned API server, client-side apply, --validate, and the kubectl module', function () {
  this.timeout(240_000);
  let lab: TestLab;
  let dir: string;

  const pin = (version: string) => lab.exec('node1', ['sh', '-c', `printf 'version=${version}\\n' > ${KUBE}/kubeadm-init`]);
  const kubectl = (argv: string[], stdin?: unknown) => lab.exec('node1', ['kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', ...argv], stdin === undefined ? {} : { stdin: JSON.stringify(stdin) });
  const object = async (rel: string) => JSON.parse((await lab.readFile('node1', `${KUBE}/objects/${rel}.json`))!);
  /** Another client (or the server) changes the live object behind kubectl apply's back. */
  const edit = async (rel: string, change: (o: any) => void) => {
    const o = await object(rel);
    change(o);
    const r = await lab.exec('node1', ['sh', '-c', `cat > ${KUBE}/objects/${rel}.json`], { stdin: JSON.stringify(o) });
    expect(r.code, r.stderr).to.equal(0);
  };
  const lastApplied = (o: any) => o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const recap = (stdout: string) => jsonEvents(stdout).find((e) => e.event === 'recap')!.hosts.node1;
  const play = (text: string, ...args: string[]) => fs.writeFile(path.join(dir, 'site.yml'), text)
    .then(() => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir, timeoutMs: 120_000 }));

  before(async function () {
    lab = await acquireLab(1, this);
    await lab.withFeatures(['kubernetes']);
    await resetLabHost(lab, 'node1');
    const r = await lab.exec('node1', ['sh', '-c', `mkdir -p /etc/kubernetes ${KUBE}/objects && printf 'apiVersion: v1\\nkind: Config\\n' > /etc/kubernetes/admin.conf`]);
    expect(r.code, r.stderr).to.equal(0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-kubectl-'));
  });
  after(async () => {
    if (lab) await lab.exec('node1', ['rm', '-rf', KUBE, '/etc/kubernetes']);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses an unknown field and a wrong type as the 1.28 API server does (server-side field validation), storing nothing', async () => {
    await pin('v1.28.2');
    const unknown = await kubectl(['apply', '-f', '-'], deployment({ foo: 1 }));
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim()).to.equal('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"');
    const wrongType = await kubectl(['apply', '-f', '-'], deployment({ replicas: 'two' }));
    expect(wrongType.stderr.trim()).to.equal('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(await lab.readFile('node1', `${KUBE}/objects/default/Deployment/web.json`)).to.equal(null);
  });

  it('refuses them as kubectl\'s client-side validation does against a 1.24 server', async () => {
    await pin('v1.24.17');
    const res = await kubectl(['apply', '-f', '-'], deployment({ template: { spec: { containers: [{ name: 'web', image: 'nginx', foo: 1 }] } } }));
    expect(res.code).to.equal(1);
    expect(res.stderr.trim()).to.equal('error: error validating "STDIN": error validating data: ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "foo" in io.k8s.api.core.v1.Container; if you choose to ignore these errors, turn validation off with --validate=false');
  });

  it('refuses an API version the server no longer serves (policy/v1beta1 on 1.25)', async () => {
    await pin('v1.25.16');
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    const res = await kubectl(['apply', '-f', '-'], pdb);
    expect(res.code).to.equal(1);
    expect(res.stderr.trim()).to.equal('error: resource mapping not found for name: "pdb" namespace: "default" from "STDIN": no matches for kind "PodDisruptionBudget" in version "policy/v1beta1"\nensure CRDs are installed first');
    expect((await kubectl(['apply', '-f', '-'], { ...pdb, apiVersion: 'policy/v1' })).stdout).to.equal('poddisruptionbudget.policy/pdb created\n');
  });

  it('accepts a StorageClass of a removed in-tree provisioner, but its claim stays Pending with ProvisioningFailed', async () => {
    const sc = (name: string, provisioner: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner });
    const pvc = (name: string, cls: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await pin('v1.25.16');
    expect((await kubectl(['apply', '-f', '-'], { apiVersion: 'v1', kind: 'List', items: [sc('gfs', 'kubernetes.io/glusterfs'), sc('ceph', 'kubernetes.io/rbd'), pvc('old', 'gfs')] })).code).to.equal(0);
    expect(await object('default/PersistentVolumeClaim/old')).to.not.have.property('status');
    await pin('v1.30.14');
    expect((await kubectl(['apply', '-f', '-'], { apiVersion: 'v1', kind: 'List', items: [pvc('data', 'gfs'), pvc('rbd', 'ceph')] })).stdout).to.equal('persistentvolumeclaim/data created\npersistentvolumeclaim/rbd created\n');
    const data = await object('default/PersistentVolumeClaim/data');
    expect(data.status).to.deep.equal({ phase: 'Pending' });
    expect(await object('default/PersistentVolumeClaim/rbd')).to.not.have.property('status');
    const events = (await lab.exec('node1', ['sh', '-c', `cat ${KUBE}/objects/default/Event/*.json`])).stdout;
    const event = JSON.parse(events);
    expect(event).to.deep.include({ reason: 'ProvisioningFailed', type: 'Warning', message: 'no volume plugin matched name: kubernetes.io/glusterfs' });
    expect(event.involvedObject).to.include({ kind: 'PersistentVolumeClaim', name: 'data', uid: data.metadata.uid });
  });

  it('returns the server\'s fields and refuses an apply carrying a stale resourceVersion (409 Conflict)', async () => {
    await pin('v1.28.2');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'default' }, data: { a: '1' } };
    expect((await kubectl(['apply', '-f', '-'], cm)).stdout).to.equal('configmap/conf created\n');
    const live = JSON.parse((await kubectl(['get', '-f', '-', '-o', 'json'], cm)).stdout).items[0];
    expect(live.metadata).to.include.keys('resourceVersion', 'uid', 'creationTimestamp', 'managedFields');
    expect(live.metadata.managedFields[0]).to.include({ manager: 'kubectl-client-side-apply', operation: 'Update', fieldsType: 'FieldsV1' });
    expect((await kubectl(['apply', '-f', '-'], cm)).stdout).to.equal('configmap/conf unchanged\n');
    expect((await kubectl(['apply', '-f', '-'], { ...cm, data: { a: '2' } })).stdout).to.equal('configmap/conf configured\n');
    const now = await object('default/ConfigMap/conf');
    expect(Number(now.metadata.resourceVersion)).to.be.greaterThan(Number(live.metadata.resourceVersion));
    expect(now.metadata.uid).to.equal(live.metadata.uid);
    const stale = await kubectl(['apply', '-f', '-'], live);
    expect(stale.code).to.equal(1);
    expect(stale.stderr.trim()).to.equal([
      'Error from server (Conflict): error when applying patch:', JSON.stringify(live), 'to:',
      'Resource: "v1, Resource=configmaps", GroupVersionKind: "v1, Kind=ConfigMap"', 'Name: "conf", Namespace: "default"',
      'for: "STDIN": error when patching "STDIN": Operation cannot be fulfilled on configmaps "conf": the object has been modified; please apply your changes to the latest version and try again',
    ].join('\n'));
    expect((await object('default/ConfigMap/conf')).data).to.deep.equal({ a: '2' });
  });

  it('rolls a changed object back after a later failure, and `runbook rollback RUN` restores it too', async () => {
    await pin('v1.28.2');
    expect((await play(configMap('settings', 'mode: old'))).code).to.equal(0);
    const failed = await play(configMap('settings', 'mode: new', '    - name: boom\n      fail: { msg: stop here }\n'));
    expect(failed.code, failed.stdout + failed.stderr).to.equal(1);
    expect(jsonEvents(failed.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ failed: 1, rolled_back: 1 });
    expect((await object('default/ConfigMap/settings')).data).to.deep.equal({ mode: 'old' });
    const changed = await play(configMap('settings', 'mode: new'));
    expect(changed.code, changed.stdout + changed.stderr).to.equal(0);
    expect((await object('default/ConfigMap/settings')).data).to.deep.equal({ mode: 'new' });
    const run = jsonEvents(changed.stdout).find((e) => e.event === 'run_start')!.run;
    const rb = await runCli(['rollback', run], { cwd: dir, timeoutMs: 120_000 });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect((await object('default/ConfigMap/settings')).data).to.deep.equal({ mode: 'old' });
  });

  const web = (container: Record<string, unknown>, spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels },
    spec: { ...spec, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ...container }] } } },
  });

  it('records the manifest in the last-applied annotation, deletes what the manifest dropped, keeps what others set', async () => {
    await pin('v1.28.2');
    const first = web({ image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { replicas: 2 }, { app: 'web', tier: 'front' });
    const created = await kubectl(['apply', '-f', '-'], first);
    expect(created.stdout).to.equal('deployment.apps/web created\n');
    let live = await object('default/Deployment/web');
    expect(lastApplied(live)).to.equal('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web","tier":"front"},"name":"web","namespace":"default"},'
      + '"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"nginx:1.25","name":"web"}]}}}}\n');
    expect(live.metadata.generation).to.equal(1);
    // The server and other clients: status, a label, an env entry and a sidecar container kubectl apply never set.
    await edit('default/Deployment/web', (o) => {
      o.status = { replicas: 2, readyReplicas: 2 };
      o.metadata.labels.owner = 'ops';
      o.spec.template.spec.containers[0].env.push({ name: 'DEBUG', value: 'on' });
      o.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    });
    const before = await object('default/Deployment/web');
    expect((await kubectl(['diff', '-f', '-'], first)).code).to.equal(0);
    expect((await kubectl(['apply', '-f', '-'], first)).stdout).to.equal('deployment.apps/web unchanged\n');
    expect(await object('default/Deployment/web')).to.deep.equal(before);

    const second = web({ image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] });
    const diff = await kubectl(['diff', '-f', '-'], second);
    expect(diff.code).to.equal(1);
    expect(diff.stdout).to.include('\n-    "replicas": 2,\n').and.include('\n-            "image": "nginx:1.25",\n+            "image": "nginx:1.26",\n');
    expect(await object('default/Deployment/web')).to.deep.equal(before);
    expect((await kubectl(['apply', '-f', '-'], second)).stdout).to.equal('deployment.apps/web configured\n');
    live = await object('default/Deployment/web');
    expect(live.metadata.labels).to.deep.equal({ app: 'web', owner: 'ops' });
    expect(live.spec).to.not.have.property('replicas');
    expect(live.spec.template.spec.containers).to.deep.equal([
      { name: 'web', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }, { name: 'DEBUG', value: 'on' }] },
      { name: 'sidecar', image: 'busybox' },
    ]);
    expect(live.status).to.deep.equal({ replicas: 2, readyReplicas: 2 });
    expect(JSON.parse(lastApplied(live))).to.deep.equal({ ...second, metadata: { ...second.metadata, annotations: {} } });
    expect(live.metadata.generation).to.equal(2);
    expect(live.metadata.uid).to.equal(before.metadata.uid);
    expect((await kubectl(['delete', '-f', '-'], second)).stdout).to.equal('deployment.apps "web" deleted\n');
  });

  it('names objects as kubectl does and warns when the live object was not applied (kubectl create)', async () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'kubernetes.io/no-provisioner' };
    expect((await kubectl(['apply', '-f', '-'], sc)).stdout).to.equal('storageclass.storage.k8s.io/fast created\n');
    expect((await kubectl(['apply', '-f', '-'], sc)).stdout).to.equal('storageclass.storage.k8s.io/fast unchanged\n');
    await lab.exec('node1', ['sh', '-c', 'printf one > /tmp/kubectl-one']);
    expect((await kubectl(['create', 'secret', 'generic', 'keys', '--from-file=one=/tmp/kubectl-one'])).stdout).to.equal('secret/keys created\n');
    const applied = await kubectl(['apply', '-f', '-'], { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'default' }, data: { two: 'dHdv' } });
    expect(applied.stdout).to.equal('secret/keys configured\n');
    expect(applied.stderr).to.equal('Warning: resource secrets/keys is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n');
    expect((await object('default/Secret/keys')).data).to.deep.equal({ one: 'b25l', two: 'dHdv' });
  });

  it('honours --validate: false/ignore drop unknown fields silently, warn warns (from 1.25), the server still refuses wrong types', async () => {
    const bad = web({ image: 'nginx', foo: 1 });
    await kubectl(['delete', '--ignore-not-found', '-f', '-'], bad);
    const strict = await kubectl(['apply', '-f', '-'], bad);
    expect(strict.code).to.equal(1);
    expect(strict.stderr).to.include('strict decoding error: unknown field "spec.template.spec.containers[0].foo"');
    const off = await kubectl(['apply', '--validate=false', '-f', '-'], bad);
    expect([off.code, off.stdout, off.stderr]).to.deep.equal([0, 'deployment.apps/web created\n', '']);
    const live = await object('default/Deployment/web');
    expect(live.spec.template.spec.containers[0]).to.deep.equal({ name: 'web', image: 'nginx' });
    expect(JSON.parse(lastApplied(live)).spec.template.spec.containers[0]).to.deep.equal({ name: 'web', image: 'nginx', foo: 1 });
    expect((await kubectl(['apply', '--validate=ignore', '-f', '-'], bad)).stdout).to.equal('deployment.apps/web unchanged\n');
    const warn = await kubectl(['apply', '--validate=warn', '-f', '-'], web({ image: 'nginx:2', bar: true }));
    expect([warn.code, warn.stdout, warn.stderr]).to.deep.equal([0, 'deployment.apps/web configured\n', 'Warning: unknown field "spec.template.spec.containers[0].bar"\n']);
    expect((await object('default/Deployment/web')).spec.template.spec.containers[0]).to.deep.equal({ name: 'web', image: 'nginx:2' });
    const wrongType = await kubectl(['apply', '--validate=false', '-f', '-'], web({ image: 'nginx' }, { replicas: 'two' }));
    expect(wrongType.code).to.equal(1);
    expect(wrongType.stderr).to.include('cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    const typo = await kubectl(['apply', '--validate=foo', '-f', '-'], bad);
    expect([typo.code, typo.stderr]).to.deep.equal([1, 'error: invalid - validate option "foo"; must be one of: strict (or true), warn, ignore (or false)\n']);
    await lab.exec('node1', ['sh', '-c', `printf 'version=v1.24.17\\n' > ${KUBE}/kubeadm-init`]);
    try {
      expect((await kubectl(['apply', '-f', '-'], bad)).stderr).to.include('error validating data: ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "foo"');
      const old = await kubectl(['apply', '--validate=warn', '-f', '-'], bad);
      expect([old.code, old.stdout, old.stderr]).to.deep.equal([0, 'deployment.apps/web configured\n', '']);
    } finally {
      await lab.exec('node1', ['sh', '-c', `printf 'version=v1.28.2\\n' > ${KUBE}/kubeadm-init`]);
    }
    await kubectl(['delete', '-f', '-'], bad);
  });

  it('kubectl module: a second run changes nothing over server-set fields, check mode applies nothing, and rollback removes what the run added or recreates what it deleted', async () => {
    const first = await play(configMap('app-settings', 'mode: old'));
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(recap(first.stdout)).to.include({ changed: 1 });
    await edit('default/ConfigMap/app-settings', (o) => { o.metadata.labels = { owner: 'ops' }; });
    const saved = await object('default/ConfigMap/app-settings');
    const again = await play(configMap('app-settings', 'mode: old'));
    expect(recap(again.stdout)).to.include({ changed: 0, failed: 0 });
    expect(await object('default/ConfigMap/app-settings')).to.deep.equal(saved);
    // Check mode: the change is reported and shown without the annotation, nothing is applied.
    const check = await play(configMap('app-settings', 'mode: new, extra: "yes"'), '--check', '--diff');
    expect(recap(check.stdout)).to.include({ changed: 1, failed: 0 });
    expect(check.stdout).to.include('extra').and.not.include('last-applied-configuration');
    expect(await object('default/ConfigMap/app-settings')).to.deep.equal(saved);

    const failed = await play(configMap('app-settings', 'mode: new, extra: "yes"', '    - name: boom\n      fail: { msg: stop here }\n'));
    expect(recap(failed.stdout)).to.include({ failed: 1, rolled_back: 1 });
    let now = await object('default/ConfigMap/app-settings');
    expect(now.data).to.deep.equal({ mode: 'old' });
    expect(now.metadata.labels).to.deep.equal({ owner: 'ops' });
    expect(lastApplied(now)).to.equal(lastApplied(saved));

    const changed = await play(configMap('app-settings', 'mode: new, extra: "yes"'));
    expect(recap(changed.stdout)).to.include({ changed: 1 });
    expect((await object('default/ConfigMap/app-settings')).data).to.deep.equal({ mode: 'new', extra: 'yes' });
    const rb = await runCli(['rollback', jsonEvents(changed.stdout).find((e) => e.event === 'run_start')!.run], { cwd: dir, timeoutMs: 120_000 });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    now = await object('default/ConfigMap/app-settings');
    expect([now.data, now.metadata.labels, lastApplied(now)]).to.deep.equal([{ mode: 'old' }, { owner: 'ops' }, lastApplied(saved)]);
    // Ownership is as before the run: applying the first manifest again changes nothing and keeps the other client's label.
    expect(recap((await play(configMap('app-settings', 'mode: old'))).stdout)).to.include({ changed: 0, failed: 0 });
    expect((await object('default/ConfigMap/app-settings')).metadata.labels).to.deep.equal({ owner: 'ops' });
    // A deletion rolled back: the object is created again as it was, annotation and the other client's label included.
    const absent = await play(configMap('app-settings', 'mode: old', '    - name: boom\n      fail: { msg: stop here }\n').replace('state: present', 'state: absent'));
    expect(recap(absent.stdout)).to.include({ failed: 1, rolled_back: 1 });
    now = await object('default/ConfigMap/app-settings');
    expect([now.data, now.metadata.labels, lastApplied(now)]).to.deep.equal([{ mode: 'old' }, { owner: 'ops' }, lastApplied(saved)]);
  });

  it('kubectl module: the change names only the objects kubectl diff found different', async () => {
    const pair = (mode: string, tier: string) => `
- hosts: node1
  gather_facts: false
  tasks:
    - name: pair
      kubectl:
        state: present
        namespace: default
        definition:
          - { apiVersion: v1, kind: ConfigMap, metadata: { name: pair }, data: { mode: ${mode} } }
          - { apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: { name: pair-class, labels: { tier: ${tier} } }, provisioner: kubernetes.io/no-provisioner }
`;
    const msg = async (text: string) => {
      const res = await play(text);
      expect(res.code, res.stdout + res.stderr).to.equal(0);
      return jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === 'pair')!.msg;
    };
    expect(await msg(pair('a', 'gold'))).to.equal('apply configmap/pair (create), storageclass/pair-class (create)');
    expect(await msg(pair('b', 'gold'))).to.equal('apply configmap/pair (update)');
    expect(await msg(pair('b', 'silver'))).to.equal('apply storageclass/pair-class (update)');
  });

  it('kubectl module: a Secret\'s live and new data never reach the journal in clear (sealed 0600 side file), and rollback restores the old data', async () => {
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const created = await kubectl(['create', '-f', '-'], { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-token', namespace: 'default' }, data: { blob: b64('old-bearer-4711') } });
    expect(created.code, created.stderr).to.equal(0);
    const res = await play(`
- hosts: node1
  gather_facts: false
  tasks:
    - name: token
      kubectl:
        state: present
        definition: { apiVersion: v1, kind: Secret, metadata: { name: api-token, namespace: default }, data: { blob: ${b64('new-bearer-4712')} } }
    - name: boom
      fail: { msg: stop here }
`);
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    const runDir = path.join(dir, '.runbook', 'runs', run);
    const journal = await fs.readFile(path.join(runDir, 'journal.jsonl'), 'utf8');
    for (const secret of ['old-bearer-4711', 'new-bearer-4712']) {
      expect(journal).to.not.include(secret);
      expect(journal).to.not.include(b64(secret));
    }
    const sealed = await fs.readdir(path.join(runDir, 'sealed'));
    expect(sealed).to.have.length(1);
    expect((await fs.stat(path.join(runDir, 'sealed', sealed[0]))).mode & 0o777).to.equal(0o600);
    expect(res.stdout).to.not.include(b64('old-bearer-4711'));
    expect((await object('default/Secret/api-token')).data).to.deep.equal({ blob: b64('old-bearer-4711') });
  });

  it('diff masks a Secret\'s data as kubectl does: *** for kept keys, *** (before) / *** (after) for a changed one', async () => {
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'masked', namespace: 'default' }, data });
    expect((await kubectl(['apply', '-f', '-'], secret({ keep: b64('kept-value-1'), turn: b64('old-value-2') }))).code).to.equal(0);
    const diff = await kubectl(['diff', '-f', '-'], secret({ keep: b64('kept-value-1'), turn: b64('new-value-3'), added: b64('added-value-4') }));
    expect(diff.code, diff.stderr).to.equal(1);
    for (const value of ['kept-value-1', 'old-value-2', 'new-value-3', 'added-value-4']) expect(diff.stdout.split('\n').filter((l) => !l.includes('last-applied-configuration')).join('\n')).to.not.include(b64(value));
    expect(diff.stdout).to.include('-    "turn": "*** (before)"').and.include('+    "turn": "*** (after)"').and.include('+    "added": "***",');
    expect(diff.stdout).to.match(/\n {5}"keep": "\*\*\*",\n/);
  });
});
