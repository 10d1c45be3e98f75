// `runbook k8s-job --run-locally DIR`: the Job's pods as local processes: the ConfigMaps and Secrets written out as
// the pod would see them mounted, then N `sh -c SCRIPT` side by side with JOB_COMPLETION_INDEX 0..N-1.

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { quoteArgv } from '../template/shell-quote.js';
import { sliceScript, type JobInput, type SlicePaths } from './k8s-job.js';

type K8sObject = Record<string, any>;

export interface LocalSlice { index: number; code: number | null; output: string }

export async function runJobLocally(input: JobInput, objects: K8sObject[], dir: string, cliEntry: string): Promise<LocalSlice[]> {
  const at: SlicePaths = {
    runbook: quoteArgv([process.execPath, cliEntry]), project: path.join(dir, 'project'), inventory: path.join(dir, 'inventory'),
    results: path.join(dir, 'results'), home: path.join(dir, 'home'),
  };
  const job = objects.find((o) => o.kind === 'Job')!;
  for (const volume of job.spec.template.spec.volumes as K8sObject[]) {
    const mount = volume.name === 'project' ? at.project : volume.name === 'inventory' ? at.inventory : volume.name === 'secrets' ? at.home : undefined;
    const source = volume.configMap ?? volume.secret;
    if (!mount || !source) continue;
    const object = objects.find((o) => o.metadata.name === (source.name ?? source.secretName))!;
    await writeItems(object, source.items, mount, volume.secret ? 0o400 : 0o644);
  }
  await fs.mkdir(at.results, { recursive: true });
  const script = sliceScript(input, at);
  return Promise.all(Array.from({ length: input.slices }, (_, index) => runSlice(index, script, at.home)));
}

async function writeItems(object: K8sObject, items: Array<{ key: string; path: string }>, root: string, mode: number): Promise<void> {
  for (const item of items) {
    const file = path.join(root, item.path);
    const text = object.data?.[item.key];
    const content = object.kind === 'Secret' ? Buffer.from(text, 'base64') : text !== undefined ? Buffer.from(text, 'utf8') : Buffer.from(object.binaryData[item.key], 'base64');
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.writeFile(file, content, { mode });
  }
}

function runSlice(index: number, script: string, home: string): Promise<LocalSlice> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script], { env: { ...process.env, JOB_COMPLETION_INDEX: String(index), HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ index, code, output }));
  });
}
