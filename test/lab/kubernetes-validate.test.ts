// The kubectl stand-in's schema check without a lab: kubernetes-models' validators, unknown fields found from what they
// read, free-form fields (maps, fieldsV1) accepted, and the wording of kubectl (before 1.25) and of the API server (after).

import { expect } from 'chai';
import { definitionName, validateObjects } from '../../lab/stand-ins/kubernetes-validate.js';

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...metadata }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const check = async (minor: number, object: Record<string, unknown>, exists = false, liveResourceVersion?: string) =>
  (await validateObjects({ minor, source: 'm.yaml', items: [{ object, exists, liveResourceVersion }] }))[0];

describe('kubectl stand-in schema check (kubernetes-models)', () => {
  it('names OpenAPI definitions as kubectl does', () => {
    expect(definitionName('IoK8sApiAppsV1DeploymentSpec')).to.equal('io.k8s.api.apps.v1.DeploymentSpec');
    expect(definitionName('IoK8sApimachineryPkgApisMetaV1ObjectMeta')).to.equal('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(definitionName('IoK8sApiStorageV1beta1StorageClass')).to.equal('io.k8s.api.storage.v1beta1.StorageClass');
    expect(definitionName('IoK8sApiextensionsApiserverPkgApisApiextensionsV1CustomResourceDefinition')).to.equal('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
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
});
