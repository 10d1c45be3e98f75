// kubectl: manifests applied (or deleted), node labels, generic secrets from files — changed decided by
// `kubectl diff` (server-side), manifests from inline YAML, a templated file, or a file the user fetched already.

import { promises as fs } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host, type ModuleContext } from '../engine/types.js';
import { filePath } from './lib/arg-kinds.js';

interface KubectlArgs {
  state: 'present' | 'absent' | 'labels' | 'secret';
  definition?: string | Record<string, unknown> | Array<Record<string, unknown>>;
  src?: string;
  namespace?: string;
  kubeconfig: string;
  node?: string;
  labels?: Record<string, string>;
  name?: string;
  from_file?: Record<string, string>;
}

/** What apply does: set these node labels, delete the live objects, or apply the desired ones. */
interface KubectlData { labels?: Record<string, string>; delete?: boolean; apply?: boolean }

type KObj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string> } & Record<string, unknown>;

interface KubectlState {
  desired: KObj[];
  /** The live objects (for revert and diffs); absent ones are missing. */
  live: KObj[];
  /** kubectl diff said something differs (live vs. what kubectl apply's three-way merge would leave). */
  differs: boolean;
  /** The files kubectl diff compared and found different (group.version.Kind.namespace.name). */
  differing?: string[];
  nodeLabels?: Record<string, string>;
  /** Why nothing live could be read: no cluster to ask (yet). Everything is then planned as new, and apply refuses. */
  unreachable?: string;
}

/** kubectl found no cluster to ask: not installed, no kubeconfig, or no API server answering it. */
class NoClusterError extends ModuleError {}
const NO_CLUSTER = /The connection to the server .* was refused|Unable to connect to the server|stat .*: no such file or directory/;

const kubernetesName = { type: 'string', title: 'Kubernetes name', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' };
const labelKey = { type: 'string', title: 'label key', pattern: '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$' };
const labelValue = { type: 'string', title: 'label value', pattern: '^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$' };

const list = (items: KObj[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const ref = (o: KObj) => `${o.kind.toLowerCase()}/${o.metadata.name}`;

async function kubectl(host: Host, args: KubectlArgs, argv: string[], stdin?: string, okCodes = [0]) {
  const res = await host.run(['kubectl', '--kubeconfig', args.kubeconfig, ...(args.namespace ? ['-n', args.namespace] : []), ...argv], { stdin, timeoutMs: 5 * 60_000 });
  if (res.code === 127) throw new NoClusterError('kubectl is not installed on this host');
  if (res.code === null || !okCodes.includes(res.code)) {
    const text = (res.stderr || res.stdout).trim();
    throw new (NO_CLUSTER.test(text) ? NoClusterError : ModuleError)(`kubectl ${argv[0]} failed (exit ${res.code}): ${text}`);
  }
  return res;
}

/** What the API server populates (kubectl get returns it): re-applying it would be refused as stale (409 Conflict). */
const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink'];

/** An object as a manifest would declare it: without the server's metadata and status (what revert puts back). */
export function manifestOf(o: KObj): KObj {
  const { status: _status, ...rest } = o as KObj & { status?: unknown };
  const metadata = Object.fromEntries(Object.entries(o.metadata).filter(([k]) => !SERVER_FIELDS.includes(k))) as KObj['metadata'];
  return { ...rest, metadata };
}

/** kubectl apply's record of the manifest it applied last (a Secret's holds its data in clear). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** An object as its manifest reads: no server fields, status or last-applied annotation (what diffs and messages show). */
export function shownOf(o: KObj): KObj {
  const m = manifestOf(o);
  if (!m.metadata.annotations || !(LAST_APPLIED in m.metadata.annotations)) return m;
  const { [LAST_APPLIED]: _applied, ...annotations } = m.metadata.annotations;
  const { annotations: _all, ...metadata } = m.metadata;
  return { ...m, metadata: Object.keys(annotations).length ? { ...metadata, annotations } : metadata };
}

/** Secret values never reach diffs or messages. */
function redactSecrets(o: KObj): KObj {
  if (o.kind !== 'Secret' || !o.data) return o;
  return { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, `<redacted ${Buffer.from(v, 'base64').length} bytes>`])) };
}

async function desiredObjects(args: KubectlArgs, render: (t: string, f?: string) => string, controllerPath: (arg: string, value: string) => Promise<string>): Promise<KObj[]> {
  let docs: unknown[] = [];
  if (args.definition !== undefined) {
    docs = typeof args.definition === 'string' ? parseAllDocuments(args.definition).map((d) => d.toJS()) : Array.isArray(args.definition) ? args.definition : [args.definition];
  } else {
    // The schema requires definition or src for present/absent.
    const file = await controllerPath('src', args.src!);
    const text = await fs.readFile(file, 'utf8').catch(() => { throw new ModuleError(`src ${args.src} not found (looked at ${file})`); });
    docs = parseAllDocuments(file.endsWith('.hbs') ? render(text, args.src!) : text).map((d) => d.toJS());
  }
  const objs = docs.filter((d) => d !== null && d !== undefined) as KObj[];
  for (const o of objs) if (!o?.kind || !o?.metadata?.name) throw new ModuleError('every manifest needs kind and metadata.name');
  return objs;
}

/** Desired and live objects (or the node's labels), and whether kubectl diff finds a difference. */
async function readState(host: Host, args: KubectlArgs, ctx: ModuleContext): Promise<KubectlState> {
  if (args.state === 'labels') {
    const res = await kubectl(host, args, ['get', 'node', args.node!, '-o', 'json']);
    return { desired: [], live: [], differs: false, nodeLabels: (JSON.parse(res.stdout).metadata?.labels ?? {}) as Record<string, string> };
  }
  let desired: KObj[];
  if (args.state === 'secret') {
    const res = await kubectl(host, args, ['create', 'secret', 'generic', args.name!, ...Object.entries(args.from_file!).map(([k, p]) => `--from-file=${k}=${p}`), '--dry-run=client', '-o', 'json']);
    desired = [JSON.parse(res.stdout) as KObj];
  } else desired = await desiredObjects(args, ctx.render, ctx.controllerPath);
  const live = (JSON.parse((await kubectl(host, args, ['get', '-f', '-', '-o', 'json', '--ignore-not-found'], list(desired))).stdout || '{"items":[]}').items ?? []) as KObj[];
  if (args.state === 'absent') return { desired, live, differs: live.length > 0 };
  const diff = await kubectl(host, args, ['diff', '-f', '-'], list(desired), [0, 1]);
  return { desired, live, differs: diff.code === 1, differing: [...diff.stdout.matchAll(/^diff -u -N \S*\/LIVE-[^/\s]*\/(\S+) /gm)].map((m) => m[1]) };
}

/** What applying the manifests or labels changes, from what was read. */
/** A Secret among the live or desired objects: the journal entry (args, before-state) is sealed. */
function withSecrets(s: KubectlState, changes: Change<KubectlData>[]): Change<KubectlData>[] {
  const sensitive = [...s.live, ...s.desired].some((o) => o.kind === 'Secret');
  return sensitive ? changes.map((c) => ({ ...c, sensitive: true })) : changes;
}

function planChanges(s: KubectlState, args: KubectlArgs): Change<KubectlData>[] {
  if (args.state === 'labels') {
    const wrong = Object.entries(args.labels ?? {}).filter(([k, v]) => s.nodeLabels?.[k] !== v);
    return wrong.length ? [{ msg: `label node ${args.node} ${wrong.map(([k, v]) => `${k}=${v}`).join(' ')}`, data: { labels: Object.fromEntries(wrong) } }] : [];
  }
  if (args.state === 'absent') return s.live.length ? [{ msg: `delete ${s.live.map(ref).join(', ')}`, data: { delete: true } }] : [];
  if (!s.differs) return [];
  const liveByRef = new Map(s.live.map((o) => [ref(o), shownOf(o)]));
  // The objects kubectl diff names (a name ends Kind.namespace.name, namespace empty for cluster-scoped kinds); all of
  // them when no diff ran (no cluster to ask).
  const named = (o: KObj) => !s.differing || s.differing.some((f) => f.endsWith(`.${o.kind}.${o.metadata.namespace ?? args.namespace ?? 'default'}.${o.metadata.name}`) || f.endsWith(`.${o.kind}..${o.metadata.name}`));
  const changed = s.desired.filter(named);
  return [{
    msg: `apply ${changed.length ? changed.map((o) => `${ref(o)} (${liveByRef.has(ref(o)) ? 'update' : 'create'})`).join(', ') : s.desired.map(ref).join(', ')}`,
    diff: { path: 'kubernetes objects', before: s.live.length ? stringify(s.live.map((o) => redactSecrets(shownOf(o)))) : '', after: stringify(s.desired.map(redactSecrets)) },
    data: { apply: true },
  }];
}

export default defineModule<KubectlArgs, KubectlState, KubectlData>({
  name: 'kubectl',
  doc: 'Apply or delete Kubernetes manifests (inline YAML, a templated .hbs file, or a file you fetched), label nodes, and create generic secrets from files on the host — changed decided by kubectl diff against the server; secret data never shown, and a change touching a Secret is journaled sealed (0600 side file). Rollback deletes what the run created and puts back what it changed or deleted as it was (kubectl replace or create, last-applied annotation included).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['state'],
    allOf: [
      { if: { properties: { state: { enum: ['present', 'absent'] } }, required: ['state'] }, then: { anyOf: [{ required: ['definition'] }, { required: ['src'] }] } },
      { if: { properties: { state: { const: 'labels' } }, required: ['state'] }, then: { required: ['node', 'labels'] } },
      { if: { properties: { state: { const: 'secret' } }, required: ['state'] }, then: { required: ['name', 'from_file'] } },
    ],
    properties: {
      state: { enum: ['present', 'absent', 'labels', 'secret'], description: 'present: apply; absent: delete; labels: set node labels; secret: a generic secret from files.' },
      definition: { anyOf: [{ type: 'string' }, { type: 'object' }, { type: 'array', items: { type: 'object' } }], description: 'Manifests: multi-document YAML text, an object, or a list.' },
      src: { ...filePath, description: 'A manifest file on the controller, relative to the playbook; *.hbs files are rendered with the task\'s variables.' },
      namespace: { ...kubernetesName, description: 'Namespace for namespaced objects without one.' },
      kubeconfig: { ...filePath, default: '/etc/kubernetes/admin.conf', description: 'kubeconfig on the host.' },
      node: { ...kubernetesName, description: 'labels: the node to label.' },
      labels: { type: 'object', propertyNames: labelKey, additionalProperties: labelValue, description: 'labels: key → value.' },
      name: { ...kubernetesName, description: 'secret: the secret name.' },
      from_file: { type: 'object', propertyNames: { type: 'string', title: 'secret key', pattern: '^[._A-Za-z0-9][-._A-Za-z0-9]*$' }, additionalProperties: filePath, description: 'secret: key → file on the host (e.g. heketi\'s private key).' },
    },
  },
  examples: [
    { name: 'Storage class from the seed', args: { state: 'present', src: 'manifests/storageclass-gfs-mirror.yaml.hbs' } },
    { name: 'heketi SSH key as a secret', args: { state: 'secret', name: 'heketi-ssh-key', namespace: 'default', from_file: { private_key: '/root/.ssh/heketi_key' } } },
    { name: 'A node label', args: { state: 'labels', node: 'pi-2', labels: { 'node-role.kubernetes.io/worker': 'worker' } } },
  ],
  reversible: true,
  renders: (args) => (args.src?.endsWith('.hbs') ? [args.src] : []),
  async inspect(host, args, ctx) {
    try {
      return await readState(host, args, ctx);
    } catch (e) {
      // Check mode on a cluster not made yet (kubeadm init did not run): say so and plan everything as new.
      if (!(e instanceof NoClusterError) || args.state === 'absent') throw e;
      const desired = args.state === 'present' ? await desiredObjects(args, ctx.render, ctx.controllerPath) : [];
      return { desired, live: [], differs: true, nodeLabels: {}, unreachable: e.message };
    }
  },
  plan(s, args): Change<KubectlData>[] {
    if (!s.unreachable) return withSecrets(s, planChanges(s, args));
    const unread = `: ${s.unreachable}, so nothing live could be read and all of it is planned as new`;
    if (args.state === 'secret') return [{ msg: `create secret/${args.name} from ${Object.values(args.from_file ?? {}).join(', ')}${unread}`, data: { apply: true }, sensitive: true }];
    return withSecrets(s, planChanges(s, args)).map((c) => ({ ...c, msg: `${c.msg}${unread}` }));
  },
  async apply(host, args, changes, s) {
    if (s.unreachable) throw new ModuleError(s.unreachable, { untouched: true });
    const d = changes[0].data;
    if (d.labels) await kubectl(host, args, ['label', 'node', args.node!, ...Object.entries(d.labels).map(([k, v]) => `${k}=${v}`), '--overwrite']);
    if (d.delete) await kubectl(host, args, ['delete', '-f', '-', '--ignore-not-found'], list(s.live));
    if (d.apply) await kubectl(host, args, ['apply', '-f', '-'], list(s.desired));
    return { secrets: s.desired.filter((o) => o.kind === 'Secret').flatMap((o) => Object.values(o.data ?? {})) };
  },
  async revert(host, { args, before }) {
    if (before.unreachable) return; // apply refused before any change
    if (args.state === 'labels') {
      const old = before.nodeLabels ?? {};
      const argv = Object.keys(args.labels ?? {}).map((k) => (k in old ? `${k}=${old[k]}` : `${k}-`));
      await kubectl(host, args, ['label', 'node', args.node!, ...argv, '--overwrite']);
      return;
    }
    const liveRefs = new Set(before.live.map(ref));
    const created = before.desired.filter((o) => !liveRefs.has(ref(o)));
    if (created.length) await kubectl(host, args, ['delete', '-f', '-', '--ignore-not-found'], list(created));
    // The saved objects back as they were, last-applied annotation included (an apply would record the whole saved object
    // as applied by hand, and a later apply would then delete what others set): replaced when live, created when the run
    // deleted them. Without the server's fields: their resourceVersion is stale once the run changed them.
    if (!before.live.length) return;
    const now = new Set(((JSON.parse((await kubectl(host, args, ['get', '-f', '-', '-o', 'json', '--ignore-not-found'], list(before.live))).stdout || '{"items":[]}').items ?? []) as KObj[]).map(ref));
    const saved = before.live.map(manifestOf);
    if (saved.some((o) => now.has(ref(o)))) await kubectl(host, args, ['replace', '-f', '-'], list(saved.filter((o) => now.has(ref(o)))));
    if (saved.some((o) => !now.has(ref(o)))) await kubectl(host, args, ['create', '-f', '-'], list(saved.filter((o) => !now.has(ref(o)))));
  },
});
