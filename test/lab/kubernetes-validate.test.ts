// The kubectl stand-in's schema check without a lab: the kubernetes-models generation of the pinned minor version, unknown
// fields found from its schemas, free-form fields (maps, fieldsV1) accepted, and the wording of kubectl (before 1.25) and
// of the API server (after).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderString } from '../../engine/template/render.js';
import { generationFor, resourceName, validateObjects } from '../../lab/stand-ins/kubernetes-validate.js';
import { repoRoot } from '../helpers/paths.js';

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...metadata }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const check = async (minor: number, object: Record<string, unknown>, exists = false, liveResourceVersion?: string) =>
  (await validateObjects({ minor, source: 'm.yaml', items: [{ object, exists, liveResourceVersion }] }))[0];

describe('kubectl stand-in schema check (kubernetes-models, per version)', () => {
  it('checks each minor version against the newest schema generation not newer than it', () => {
    expect([13, 15, 18, 19, 22, 23, 24, 25, 26, 27, 30].map((m) => generationFor(m).kubernetes)).to.deep.equal(
      ['1.15.3', '1.15.3', '1.15.3', '1.19.2', '1.19.2', '1.23.5', '1.23.5', '1.25.2', '1.25.2', '1.27.1', '1.27.1']);
  });

  it('refuses a field newer than the pinned version, in that version\'s wording, and accepts it where it exists', async () => {
    // PodSpec.os came in 1.23 (the 1.23.5 schemas), PodSpec.hostUsers in 1.25 (the 1.25.2 schemas).
    expect(await check(22, pod({ os: { name: 'linux' } }))).to.equal(
      'error: error validating "m.yaml": error validating data: ValidationError(Pod.spec): unknown field "os" in io.k8s.api.core.v1.PodSpec; if you choose to ignore these errors, turn validation off with --validate=false');
    expect(await check(23, pod({ os: { name: 'linux' } }))).to.equal(null);
    expect(await check(24, pod({ hostUsers: false }))).to.contain('ValidationError(Pod.spec): unknown field "hostUsers" in io.k8s.api.core.v1.PodSpec');
    expect(await check(25, pod({ hostUsers: false }))).to.equal(null);
    // PodSpec.schedulingGates came in 1.26 (the 1.27.1 schemas): a 1.25/1.26 server refuses it (server-side field validation).
    expect(await check(26, pod({ schedulingGates: [{ name: 'g' }] }))).to.equal(
      'Error from server (BadRequest): error when creating "m.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.schedulingGates"');
    expect(await check(27, pod({ schedulingGates: [{ name: 'g' }] }))).to.equal(null);
    // PodSpec.setHostnameAsFQDN came in 1.19: refused on 1.13 (the 1.15.3 schemas), in kubectl's client-side wording.
    expect(await check(13, pod({ setHostnameAsFQDN: true }))).to.contain('ValidationError(Pod.spec): unknown field "setHostnameAsFQDN" in io.k8s.api.core.v1.PodSpec');
  });

  it('accepts free-form fields: label maps, resource quantities, managedFields, and what a server returns', async () => {
    const ok = pod({ containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } }, ports: [{ containerPort: 80 }] }], nodeSelector: { 'kubernetes.io/os': 'linux' } },
      { labels: { app: 'x' }, uid: 'u', resourceVersion: '7', managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:containers': {} } } }] });
    expect(await check(28, ok, true, '7')).to.equal(null);
    expect(await check(28, ok)).to.equal('Error from server (BadRequest): error when creating "m.yaml": resourceVersion should not be set on objects to be created');
  });

  it('lists every unknown field, with the definition it is unknown in (client-side, before 1.25)', async () => {
    expect(await check(24, pod({ hostNetwrok: true }, { lables: { a: 'b' } }))).to.equal(
      'error: error validating "m.yaml": error validating data: [ValidationError(Pod.metadata): unknown field "lables" in io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, '
      + 'ValidationError(Pod.spec): unknown field "hostNetwrok" in io.k8s.api.core.v1.PodSpec]; if you choose to ignore these errors, turn validation off with --validate=false');
  });

  it('words a missing required field as the API server does (1.25 on) and as kubectl does (before)', async () => {
    expect(await check(28, pod({ containers: [{ image: 'i' }] }))).to.equal('The Pod "p" is invalid: spec.containers[0].name: Required value');
    expect(await check(24, pod({ containers: [{ image: 'i' }] }))).to.contain('ValidationError(Pod.spec.containers[0]): missing required field "name" in io.k8s.api.core.v1.Container');
  });

  it('uses the patch wording for an object that exists, and says unknown-kind for a kind it has no schema of', async () => {
    const res = await check(28, pod({ foo: 1 }), true);
    expect(res).to.match(/^Error from server \(BadRequest\): error when applying patch:\n/);
    expect(res).to.contain('Resource: "v1, Resource=pods", GroupVersionKind: "v1, Kind=Pod"\nName: "p", Namespace: "default"\nfor: "m.yaml": error when patching "m.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"');
    expect(await check(28, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).to.equal('unknown-kind');
  });

  // Each seed playbook's manifests, rendered with values of the playbooks' kinds, at both ends of its Kubernetes window
  // (flannel's two manifests have their own test: test/playbooks/k8s-glusterfs-heketi-flannel.test.ts).
  const values = {
    heketi_image: 'heketi/heketi:10', heketi_node_port: 30080, heketi_url: 'http://10.0.0.1:30080', heketi_admin_key: 'admin', heketi_user_key: 'user',
    glusterfs_image: 'gluster/gluster-centos:latest', gluster_block: false, probe_initial_delay_seconds: 40, namespace: 'default', secret_namespace: 'default',
    storage_class_name: 'sc', storage_class_default: 'true', volumetype: 'replicate:3', heketi_db_volume: { db: Buffer.from('heketi.db').toString('base64'), volume: { hosts: ['10.0.0.1', '10.0.0.2'] } },
    weave_version: '2.5.1', pod_network_cidr: '10.244.0.0/16', ceph_pool: 'k8s', ceph_admin_key: 'a', ceph_user_key: 'u', ceph_admin_id: 'admin', ceph_user_id: 'k8s',
    ceph_monitors: ['10.0.0.1:6789'], reclaim_policy: 'Retain', etcd: { replicas: 3, image: 'quay.io/coreos/etcd:v3.2.3', storage: '1Gi' },
    zookeeper: { replicas: 3, image: 'zookeeper:3.4.10', storage: '1Gi', heap: '512M' },
  };
  const windows: Array<[string, number[]]> = [
    ['k8s-glusterfs-heketi', [13, 25]], ['openshift-heketi', [13, 25]], ['home-lab-arm', [13, 23]], ['gluster-kubernetes', [13, 25]], ['statefulsets-on-ceph', [21, 30]],
  ];
  for (const [playbook, [first, last]] of windows) {
    it(`accepts every manifest of ${playbook} on Kubernetes 1.${first} and 1.${last}`, async () => {
      const dir = path.join(repoRoot, 'playbooks', playbook, 'manifests');
      for (const file of (await fs.readdir(dir)).filter((f) => !f.startsWith('kube-flannel'))) {
        const text = renderString(await fs.readFile(path.join(dir, file), 'utf8'), values);
        const docs = parseAllDocuments(text).map((d) => d.toJSON() as Record<string, any>).filter(Boolean);
        const objects = docs.flatMap((d) => (d.kind === 'List' ? d.items as Array<Record<string, unknown>> : [d]));
        for (const minor of [first, last]) {
          const verdicts = await validateObjects({ minor, source: file, items: objects.map((object) => ({ object, exists: false })) });
          expect(verdicts, `${file} on 1.${minor}`).to.deep.equal(objects.map(() => null));
        }
      }
    });
  }

  it('names resources as the API server does (Endpoints stays endpoints; group appended)', () => {
    expect([['v1', 'Endpoints'], ['v1', 'Service'], ['storage.k8s.io/v1', 'StorageClass'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['apps/v1', 'DaemonSet']]
      .map(([v, k]) => resourceName(v, k))).to.deep.equal(['endpoints', 'services', 'storageclasses.storage.k8s.io', 'networkpolicies.networking.k8s.io', 'daemonsets.apps']);
  });
});
