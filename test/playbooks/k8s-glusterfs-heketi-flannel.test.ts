// k8s-glusterfs-heketi's two flannel manifests (upstream kube-flannel.yml of v0.20.2 and v0.13.0) are valid objects
// for the Kubernetes versions the playbook applies them to (the kubectl stand-in's schema check, kubernetes-models),
// at both edges of each range, and carry what flannel needs to run (RBAC, env, mounts, init containers, toleration).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validateObjects } from '../../lab/stand-ins/kubernetes-validate.js';
import { repoRoot } from '../helpers/paths.js';

type Json = Record<string, any>;

async function manifest(file: string): Promise<Json[]> {
  const text = (await fs.readFile(path.join(repoRoot, 'playbooks/k8s-glusterfs-heketi/manifests', file), 'utf8')).split('{{pod_network_cidr}}').join('10.244.0.0/16');
  // Templated only where needed: the pod network is the one placeholder.
  expect(text).to.not.contain('{{');
  return parseAllDocuments(text).map((d) => d.toJSON() as Json).filter(Boolean);
}

describe('playbook k8s-glusterfs-heketi: the flannel manifests', () => {
  const cases: Array<[string, string, number[]]> = [
    ['kube-flannel.yml.hbs', 'v0.20.2', [17, 25]],
    ['kube-flannel-v0.13.0.yml.hbs', 'v0.13.0', [13, 16]],
  ];
  for (const [file, version, minors] of cases) {
    it(`${version} (${file}) is valid on Kubernetes 1.${minors[0]} and 1.${minors[1]} and has what flannel needs to run`, async () => {
      const objects = await manifest(file);
      for (const minor of minors) {
        const verdicts = await validateObjects({ minor, source: file, items: objects.map((object) => ({ object, exists: false })) });
        expect(verdicts, `1.${minor}`).to.deep.equal(objects.map(() => null));
      }
      const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
      expect(kinds).to.include.members(['ClusterRole/flannel', 'ClusterRoleBinding/flannel', 'ServiceAccount/flannel', 'ConfigMap/kube-flannel-cfg', 'DaemonSet/kube-flannel-ds']);
      const pod = objects.find((o) => o.kind === 'DaemonSet')!.spec.template.spec;
      const container = pod.containers[0];
      expect(container.image).to.match(new RegExp(`flannel:${version}$`));
      expect(container.env.filter((e: Json) => e.valueFrom).map((e: Json) => e.name)).to.deep.equal(['POD_NAME', 'POD_NAMESPACE']);
      expect(container.volumeMounts.map((m: Json) => m.mountPath)).to.include.members(['/run/flannel', '/etc/kube-flannel/']);
      expect(pod.initContainers.map((c: Json) => c.name)).to.include('install-cni');
      expect(pod.tolerations).to.deep.include({ operator: 'Exists', effect: 'NoSchedule' });
      expect(JSON.parse(objects.find((o) => o.kind === 'ConfigMap')!.data['net-conf.json']).Network).to.equal('10.244.0.0/16');
    });
  }
});
