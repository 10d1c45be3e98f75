// `runbook k8s-job`: the Kubernetes objects of a sliced run: the project and the inventory as ConfigMaps, the SSH
// key (+ known_hosts) and the vault password as Secrets, and an Indexed Job whose pod I runs `play --slice I+1/N`
// into a results volume that `runbook merge` reads. Pure: files in, objects out (engine/cli/k8s-job-command.ts).

import { UsageError } from '../errors.js';
import { quoteArg, quoteArgv } from '../template/shell-quote.js';

export interface FileItem { path: string; content: Buffer }

export interface JobInput {
  name: string;
  namespace?: string;
  image: string;
  slices: number;
  /** The playbook, relative to the project folder. */
  playbook: string;
  project: FileItem[];
  /** Each -i: its files (relative to it) and, for a file, its name. */
  inventories: Array<{ files: FileItem[]; file?: string }>;
  ssh?: { key: Buffer; knownHosts?: Buffer };
  vaultPassword?: Buffer;
  resultsClaim: string;
  /** Further `play` flags (-e, -l, -t, ...), passed as given. */
  playArgs: string[];
}

/** Where things are inside the pod; the local runner uses its own folders in the same script. */
export interface SlicePaths { runbook: string; project: string; inventory: string; results: string; home: string }

export const POD_PATHS: SlicePaths = { runbook: 'runbook', project: '/project', inventory: '/inventory', results: '/results', home: '/run/runbook/home' };
const CONFIG_MAP_LIMIT = 1_000_000;

/** The script each pod runs (sh, JOB_COMPLETION_INDEX from Kubernetes): its slice, in a results folder of its own. */
export function sliceScript(input: Pick<JobInput, 'slices' | 'playbook' | 'inventories' | 'ssh' | 'vaultPassword' | 'playArgs'>, at: SlicePaths): string {
  const inventories = input.inventories.flatMap((inv, n) => ['-i', `${at.inventory}/i${n}${inv.file ? `/${inv.file}` : ''}`]);
  const flags = [
    ...inventories,
    ...(input.ssh ? ['--private-key', `${at.home}/.ssh/id`] : []),
    ...(input.vaultPassword ? ['--vault-password-file', `${at.home}/vault-password`] : []),
    ...input.playArgs,
  ];
  return [
    'set -eu',
    'slice=$((JOB_COMPLETION_INDEX + 1))',
    `mkdir -p ${quoteArg(at.results)}/slice-$slice`,
    `cd ${quoteArg(at.results)}/slice-$slice`,
    `exec ${at.runbook} play ${quoteArg(`${at.project}/${input.playbook}`)} --slice "$slice/${input.slices}" ${quoteArgv(flags)}`,
  ].join('\n');
}

export function jobManifests(input: JobInput): Array<Record<string, unknown>> {
  const labels = { 'app.kubernetes.io/name': 'runbook', 'app.kubernetes.io/instance': input.name };
  const meta = (suffix: string) => ({ name: `${input.name}${suffix}`, ...(input.namespace ? { namespace: input.namespace } : {}), labels });
  const project = configMap(meta('-project'), input.project);
  const inventory = configMap(meta('-inventory'), input.inventories.flatMap((inv, n) => inv.files.map((f) => ({ ...f, path: `i${n}/${f.path}` }))));
  const homeItems: FileItem[] = [
    ...(input.ssh ? [{ path: '.ssh/id', content: input.ssh.key }] : []),
    ...(input.ssh?.knownHosts ? [{ path: '.ssh/known_hosts', content: input.ssh.knownHosts }] : []),
    ...(input.vaultPassword ? [{ path: 'vault-password', content: input.vaultPassword }] : []),
  ];
  const secret = homeItems.length > 0 ? secretOf(meta('-secrets'), homeItems) : undefined;
  const job = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta(''),
    spec: {
      completionMode: 'Indexed', completions: input.slices, parallelism: input.slices,
      // A slice that failed is not run again: its journal and recap say what happened; `runbook merge` reports it.
      backoffLimit: 0,
      template: { metadata: { labels }, spec: podSpec(input, project.items, inventory.items, secret?.items) },
    },
  };
  return [project.object, inventory.object, ...(secret ? [secret.object] : []), job];
}

function podSpec(input: JobInput, projectItems: Item[], inventoryItems: Item[], secretItems: Item[] | undefined): Record<string, unknown> {
  const mounts = [
    { name: 'project', mountPath: POD_PATHS.project, readOnly: true },
    { name: 'inventory', mountPath: POD_PATHS.inventory, readOnly: true },
    { name: 'results', mountPath: POD_PATHS.results },
    ...(secretItems ? [{ name: 'secrets', mountPath: POD_PATHS.home, readOnly: true }] : []),
  ];
  const volumes = [
    { name: 'project', configMap: { name: `${input.name}-project`, items: projectItems } },
    { name: 'inventory', configMap: { name: `${input.name}-inventory`, items: inventoryItems } },
    { name: 'results', persistentVolumeClaim: { claimName: input.resultsClaim } },
    ...(secretItems ? [{ name: 'secrets', secret: { secretName: `${input.name}-secrets`, items: secretItems, defaultMode: 0o400 } }] : []),
  ];
  return {
    restartPolicy: 'Never',
    containers: [{
      name: 'runbook', image: input.image, command: ['/bin/sh', '-c', sliceScript(input, POD_PATHS)],
      // HOME holds the mounted secrets (read-only); host locks go to a writable folder of the pod.
      env: [{ name: 'HOME', value: POD_PATHS.home }, { name: 'XDG_STATE_HOME', value: '/tmp/runbook-state' }], volumeMounts: mounts,
    }],
    volumes,
  };
}

interface Item { key: string; path: string }

/** Keys f0, f1, ... (a key cannot hold '/'); items put each back at its path. Text as data, the rest as binaryData. */
function configMap(metadata: Record<string, unknown>, files: FileItem[]): { object: Record<string, unknown>; items: Item[] } {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const items = files.map((f, i) => ({ key: `f${i}`, path: f.path }));
  let size = 0;
  for (const [i, f] of files.entries()) {
    size += f.content.length;
    const text = f.content.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(f.content)) data[`f${i}`] = text;
    else binaryData[`f${i}`] = f.content.toString('base64');
  }
  if (size > CONFIG_MAP_LIMIT) {
    throw new UsageError(`${String(metadata.name)}: ${size} bytes is over the ${CONFIG_MAP_LIMIT} a ConfigMap holds; build an image with the project instead`);
  }
  return { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata, data, ...(Object.keys(binaryData).length ? { binaryData } : {}) }, items };
}

function secretOf(metadata: Record<string, unknown>, files: FileItem[]): { object: Record<string, unknown>; items: Item[] } {
  const items = files.map((f, i) => ({ key: `s${i}`, path: f.path }));
  const data = Object.fromEntries(files.map((f, i) => [`s${i}`, f.content.toString('base64')]));
  return { object: { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata, data }, items };
}
