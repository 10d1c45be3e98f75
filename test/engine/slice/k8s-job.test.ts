// runbook k8s-job: the objects validate against the Kubernetes schemas (kubernetes-models; no API server here, so
// `kubectl apply --dry-run=client` cannot run: it needs one for discovery), the Job is Indexed with one pod per
// slice, and each pod's script maps JOB_COMPLETION_INDEX to --slice I+1/N.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { ConfigMap, Secret } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { jobManifests, POD_PATHS, sliceScript, type JobInput } from '../../../engine/slice/k8s-job.js';

const input: JobInput = {
  name: 'site-rollout', namespace: 'ops', image: 'registry.example/runbook:1', slices: 4, playbook: 'site.yml',
  project: [{ path: 'site.yml', content: Buffer.from('- hosts: all\n') }, { path: 'files/blob.bin', content: Buffer.from([0xff, 0x00, 0xfe]) }],
  inventories: [{ files: [{ path: 'hosts.yml', content: Buffer.from('all: {}\n') }], file: 'hosts.yml' }],
  ssh: { key: Buffer.from('KEY'), knownHosts: Buffer.from('KNOWN') }, vaultPassword: Buffer.from('vault-pw'),
  resultsClaim: 'rollout-results', playArgs: ['-e', 'release=2 and more'],
};

describe('slice: the Kubernetes Indexed Job of a sliced run', () => {
  const objects = jobManifests(input);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind) as Array<Record<string, any>>;

  it('every object validates against its Kubernetes schema', () => {
    for (const o of byKind('ConfigMap')) new ConfigMap(o as never).validate();
    for (const o of byKind('Secret')) new Secret(o as never).validate();
    new Job(byKind('Job')[0] as never).validate();
    // The validator is real: a wrong type is refused.
    expect(() => new Job({ ...byKind('Job')[0], spec: { ...byKind('Job')[0].spec, completions: 'four' } } as never).validate()).to.throw(/completions must be integer/);
  });

  it('is an Indexed Job with one pod per slice; project, inventory, secrets and results mounted', () => {
    const job = byKind('Job')[0];
    expect(job.spec).to.include({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0 });
    const volumes = Object.fromEntries(job.spec.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes.results.persistentVolumeClaim.claimName).to.equal('rollout-results');
    expect(volumes.project.configMap.items).to.deep.equal([{ key: 'f0', path: 'site.yml' }, { key: 'f1', path: 'files/blob.bin' }]);
    expect(volumes.secrets.secret.items.map((i: any) => i.path)).to.deep.equal(['.ssh/id', '.ssh/known_hosts', 'vault-password']);
    const project = byKind('ConfigMap')[0];
    expect(project.data.f0).to.equal('- hosts: all\n');
    expect(Buffer.from(project.binaryData.f1, 'base64')).to.deep.equal(Buffer.from([0xff, 0x00, 0xfe]));
    // Secrets never appear outside the Secret.
    const outside = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    expect(outside).to.not.contain('vault-pw').and.to.not.contain(Buffer.from('vault-pw').toString('base64'));
  });

  it('each pod runs slice JOB_COMPLETION_INDEX+1 of N in a results folder of its own', () => {
    const script = sliceScript(input, POD_PATHS);
    for (const index of [0, 3]) {
      const traced = execFileSync('/bin/sh', ['-c', script.replace(/^exec /m, 'echo ').replace(/^(mkdir|cd) .*$/gm, ':')], { env: { JOB_COMPLETION_INDEX: String(index), PATH: process.env.PATH }, encoding: 'utf8' });
      expect(traced.trim()).to.equal(`runbook play /project/site.yml --slice ${index + 1}/4 -i /inventory/i0/hosts.yml --private-key /run/runbook/home/.ssh/id --vault-password-file /run/runbook/home/vault-password -e release=2 and more`);
    }
    expect(script).to.contain("-e 'release=2 and more'");
    expect(script).to.contain('cd /results/slice-$slice');
  });
});
