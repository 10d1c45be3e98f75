// firewalld: ports, services and sources in a zone, runtime and permanent decided separately (so re-runs never
// hit ALREADY_ENABLED and both configurations end up the same). Offline mode edits the permanent config only.

import { ModuleError } from '../engine/errors.js';
import { quoteArgv } from '../engine/template/shell-quote.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { simpleName } from './lib/arg-kinds.js';
import { mustRun } from './lib/must-run.js';

type Kind = 'port' | 'service' | 'source';

interface FirewalldArgs {
  port?: string | string[];
  service?: string | string[];
  source?: string | string[];
  zone: string;
  permanent: boolean;
  immediate: boolean;
  state: 'enabled' | 'disabled';
  offline: boolean;
}

interface Item { kind: Kind; value: string }
/** One item to open or close, in the scopes where it differs. */
interface FirewalldData { kind: Kind; value: string; scopes: string[] }
/** stopped: why firewall-cmd could not be used (firewalld not running); items were then read offline. */
interface FirewalldState { items: Array<Item & { runtime?: boolean; permanent?: boolean }>; running: boolean; stopped?: string }

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The schema guarantees at least one item, each of its kind (port/protocol, service name, source). */
function itemsOf(args: FirewalldArgs): Item[] {
  return [
    ...list(args.port).map((value) => ({ kind: 'port' as const, value })),
    ...list(args.service).map((value) => ({ kind: 'service' as const, value })),
    ...list(args.source).map((value) => ({ kind: 'source' as const, value })),
  ];
}

const port = { type: 'string', title: 'port/protocol (24007/tcp, 49152-49251/tcp)', pattern: '^[0-9]{1,5}(-[0-9]{1,5})?/(tcp|udp|sctp|dccp)$' };
const source = { type: 'string', title: 'source (CIDR, MAC or ipset:NAME)', pattern: '^[A-Za-z0-9_:][A-Za-z0-9_:./-]*$' };
const oneOrMany = (item: object) => ({ anyOf: [item, { type: 'array', items: item, minItems: 1 }] });

function cli(args: FirewalldArgs, scope: 'runtime' | 'permanent'): string[] {
  if (args.offline) return ['firewall-offline-cmd', `--zone=${args.zone}`];
  return ['firewall-cmd', ...(scope === 'permanent' ? ['--permanent'] : []), `--zone=${args.zone}`];
}

/** Every query in one round trip: one line of exit codes. */
async function queryAll(host: Host, args: FirewalldArgs, items: Item[], scope: 'runtime' | 'permanent'): Promise<boolean[]> {
  const script = items.map((i) => `${quoteArgv([...cli(args, scope), `--query-${i.kind}=${i.value}`])} >/dev/null 2>&1; printf '%s ' $?`).join('\n');
  const res = await host.run(['sh', '-c', script]);
  const codes = res.stdout.trim().split(/\s+/).map(Number);
  return items.map((i, n) => {
    if (codes[n] !== 0 && codes[n] !== 1) throw new ModuleError(`${cli(args, scope).join(' ')} --query-${i.kind}=${i.value} failed (exit ${codes[n]})`);
    return codes[n] === 0;
  });
}

export default defineModule<FirewalldArgs, FirewalldState, FirewalldData>({
  name: 'firewalld',
  doc: 'Open (or close) ports, services and sources in a firewalld zone, runtime and permanent by default so both agree. Each is queried separately, so a re-run changes nothing and never fails with ALREADY_ENABLED. With offline: true (firewalld not running) the permanent configuration is edited with firewall-offline-cmd.',
  schema: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['port'] }, { required: ['service'] }, { required: ['source'] }],
    properties: {
      port: { ...oneOrMany(port), description: 'Port or range with protocol: 24007/tcp, 49152-49251/tcp; or a list.' },
      service: { ...oneOrMany(simpleName), description: 'firewalld service name(s): nfs, samba, glusterfs.' },
      source: { ...oneOrMany(source), description: 'Source network(s) in CIDR form.' },
      zone: { ...simpleName, default: 'public', description: 'The zone.' },
      permanent: { type: 'boolean', default: true, description: 'Change the permanent configuration.' },
      immediate: { type: 'boolean', default: true, description: 'Change the running configuration.' },
      state: { enum: ['enabled', 'disabled'], default: 'enabled', description: 'Open or closed.' },
      offline: { type: 'boolean', default: false, description: 'firewalld is not running: edit the permanent configuration with firewall-offline-cmd.' },
    },
  },
  examples: [
    { name: 'GlusterFS ports (seed 000)', args: { port: ['24007-24008/tcp', '24009/tcp', '49152-49251/tcp', '111/tcp', '111/udp', '2049/tcp', '38465-38469/tcp'] } },
    { name: 'NFS and Samba services', args: { service: ['nfs', 'samba'] } },
  ],
  reversible: true,
  async inspect(host, args) {
    const items = itemsOf(args);
    if (args.offline) {
      const perm = await queryAll(host, args, items, 'permanent');
      return { running: false, items: items.map((i, n) => ({ ...i, permanent: perm[n] })) };
    }
    const state = await host.run(['firewall-cmd', '--state']);
    if (state.code !== 0) return readStopped(host, args, items, `firewalld is not running on ${host.name} (firewall-cmd --state: ${(state.stdout + state.stderr).trim() || `exit ${state.code}`}): start it first, or set offline: true to edit the permanent configuration`);
    const runtime = args.immediate ? await queryAll(host, args, items, 'runtime') : [];
    const perm = args.permanent ? await queryAll(host, args, items, 'permanent') : [];
    return { running: true, items: items.map((i, n) => ({ ...i, runtime: args.immediate ? runtime[n] : undefined, permanent: args.permanent ? perm[n] : undefined })) };
  },
  plan(s, args): Change<FirewalldData>[] {
    const want = args.state === 'enabled';
    const changes: Change<FirewalldData>[] = [];
    for (const i of s.items) {
      const scopes = (['runtime', 'permanent'] as const).filter((sc) => i[sc] !== undefined && i[sc] !== want);
      const stopped = s.stopped && changes.length === 0 ? '; firewalld is not running now: read from its permanent configuration' : '';
      if (scopes.length) changes.push({ msg: `${want ? 'open' : 'close'} ${i.kind} ${i.value} in zone ${args.zone} (${scopes.join(', ')}${stopped})`, data: { kind: i.kind, value: i.value, scopes } });
    }
    return changes;
  },
  async apply(host, args, changes, s) {
    // firewall-cmd cannot change a stopped firewalld (a task before may be meant to start it, as in check mode).
    if (s.stopped) throw new ModuleError(s.stopped, { untouched: true });
    await applyItems(host, args, changes, args.state === 'enabled');
  },
  async revert(host, { args, changes, before }) {
    if (before.stopped) return; // apply refused before any change
    await applyItems(host, args, changes, args.state !== 'enabled');
  },
});

/**
 * firewalld not running: the permanent configuration read with firewall-offline-cmd, and the runtime one as firewalld
 * will load it when it starts (the same). Check mode, where the task that starts firewalld did not run, then reports
 * what would change; apply refuses with `why`. When even that cannot be read, the task fails with `why`.
 */
async function readStopped(host: Host, args: FirewalldArgs, items: Item[], why: string): Promise<FirewalldState> {
  let perm: boolean[];
  try {
    perm = await queryAll(host, { ...args, offline: true }, items, 'permanent');
  } catch {
    throw new ModuleError(why);
  }
  return { running: false, stopped: why, items: items.map((i, n) => ({ ...i, runtime: args.immediate ? perm[n] : undefined, permanent: args.permanent ? perm[n] : undefined })) };
}

/** One firewall-cmd call per scope and kind (firewall-cmd refuses --add-port and --add-service together). */
async function applyItems(host: Host, args: FirewalldArgs, changes: Change<FirewalldData>[], open: boolean): Promise<void> {
  const items = changes.map((c) => c.data);
  for (const scope of ['runtime', 'permanent'] as const) {
    for (const kind of ['port', 'service', 'source'] as const) {
      const flags = items.filter((d) => d.kind === kind && d.scopes.includes(scope)).map((d) => `--${open ? 'add' : 'remove'}-${kind}=${d.value}`);
      if (flags.length === 0) continue;
      await mustRun(host, [...cli(args, scope), ...flags]);
    }
  }
}
