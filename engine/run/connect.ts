// Connecting hosts and gathering their facts, once per host per run, shared by every task that needs them.

import { hostIdentity, loginUserOf, openConnection } from '../connection/index.js';
import { emptyFacts, gatherFacts } from './facts.js';
import type { HostState, RunContext } from './run-state.js';
import type { Connection, Facts } from '../types.js';

/** The host's one connection for this run (opened on first use; concurrent callers share the attempt). */
export async function ensureConnected(rc: RunContext, hs: HostState): Promise<Connection> {
  if (hs.conn) return hs.conn;
  const started = Date.now();
  const opening = !hs.connecting;
  hs.connecting ??= openConnection(hs.name, hs.vars, rc.settings.connection);
  try {
    hs.conn = await hs.connecting;
    if (opening) rc.emit(rc.redactor.value({ event: 'connection', host: hs.name, msg: describeRoute(hs), duration_ms: Date.now() - started }));
    return hs.conn;
  } finally {
    hs.connecting = undefined;
  }
}

/** "ssh root@10.0.0.2:22 (host key checked against known_hosts)" or "local, as user alice": what -vvv shows. */
function describeRoute(hs: HostState): string {
  const route = hostIdentity(hs.name, hs.vars);
  if (route.startsWith('local:')) return `local connection on ${route.slice('local:'.length)}, as ${loginUserOf(hs.vars)}`;
  const key = typeof hs.vars.key === 'string' ? `, key ${hs.vars.key}` : '';
  return `ssh ${loginUserOf(hs.vars)}@${route.slice('ssh:'.length)}${key}`;
}

/** Facts of the host: gathered once (one round trip) when asked, else empty placeholders. */
export async function ensureFacts(rc: RunContext, hs: HostState, gather: boolean): Promise<Facts> {
  if (hs.facts) return hs.facts;
  if (!gather) return emptyFacts(hs.name);
  hs.facts = await gatherFacts(await ensureConnected(rc, hs));
  return hs.facts;
}

export async function closeAll(rc: RunContext): Promise<void> {
  await Promise.all([...rc.hosts.values()].map(async (hs) => {
    const c = hs.conn;
    hs.conn = undefined;
    await c?.close().catch(() => {});
  }));
}
