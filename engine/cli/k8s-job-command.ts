// `runbook k8s-job PLAYBOOK --slices N`: writes the Kubernetes objects of a sliced run (engine/slice/k8s-job.ts) as
// YAML, or with --run-locally DIR runs the Job's N pods here as processes, exactly the script each pod runs.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { listFiles } from '../plan/plan-digest.js';
import { jobManifests, type FileItem, type JobInput } from '../slice/k8s-job.js';
import { runJobLocally } from '../slice/run-job-locally.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { positiveOption } from './options.js';

export interface K8sJobOptions {
  slices: string; inventory: string[]; image: string; name: string; namespace?: string; sshKey?: string; knownHosts?: string;
  vaultPasswordFile?: string; resultsClaim?: string; playArg: string[]; output?: string; runLocally?: string;
}

export async function k8sJobCommand(playbook: string, o: K8sJobOptions, io: CliIO): Promise<number> {
  const input = await jobInput(playbook, o, io.cwd);
  const objects = jobManifests(input);
  if (o.runLocally) {
    const dir = path.resolve(io.cwd, o.runLocally);
    const slices = await runJobLocally(input, objects, dir, process.argv[1]);
    for (const s of slices) io.out(`slice ${s.index + 1}/${input.slices} (JOB_COMPLETION_INDEX=${s.index}): exit ${s.code}\n`);
    io.out(`join them: runbook merge ${path.relative(io.cwd, dir) || '.'}/results/slice-*/.runbook/runs/*\n`);
    return slices.every((s) => s.code === 0) ? EXIT.ok : EXIT.failed;
  }
  const yaml = objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
  if (o.output) await fs.writeFile(path.resolve(io.cwd, o.output), yaml, { mode: 0o600 });
  else io.out(yaml);
  return EXIT.ok;
}

async function jobInput(playbook: string, o: K8sJobOptions, cwd: string): Promise<JobInput> {
  const file = path.resolve(cwd, playbook);
  const projectDir = path.dirname(file);
  if (!/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(o.name)) throw new UsageError(`--name '${o.name}': a Kubernetes name is lowercase letters, digits and '-', at most 52 characters`);
  if (o.inventory.length === 0) throw new UsageError('runbook k8s-job needs -i INVENTORY: the pods get it as a ConfigMap');
  const read = (p: string) => fs.readFile(path.resolve(cwd, p));
  return {
    name: o.name, namespace: o.namespace, image: o.image, slices: positiveOption('--slices', o.slices, true),
    playbook: path.relative(projectDir, file), project: await filesUnder(projectDir),
    inventories: await Promise.all(o.inventory.map(async (inv) => {
      const full = path.resolve(cwd, inv);
      if ((await fs.stat(full)).isDirectory()) return { files: await filesUnder(full) };
      return { files: [{ path: path.basename(full), content: await fs.readFile(full) }], file: path.basename(full) };
    })),
    ssh: o.sshKey ? { key: await read(o.sshKey), ...(o.knownHosts ? { knownHosts: await read(o.knownHosts) } : {}) } : undefined,
    vaultPassword: o.vaultPasswordFile ? await read(o.vaultPasswordFile) : undefined,
    resultsClaim: o.resultsClaim ?? `${o.name}-results`, playArgs: o.playArg,
  };
}

/** The project's files as the plan digest counts them (no .runbook/, .git/, node_modules/, *.plan). */
async function filesUnder(dir: string): Promise<FileItem[]> {
  const files = (await listFiles(dir)).sort();
  return Promise.all(files.map(async (f) => ({ path: path.relative(dir, f), content: await fs.readFile(f) })));
}
