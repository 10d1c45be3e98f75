// `runbook rollback` reaches each host only by the route its journal recorded (connection kind, address:port, user,
// host key): a host gone from the inventory, or now pointing at another machine or account, is refused, never
// localised. One connection per host, opened on first use and closed at the end.

import { hostIdentity, loginUserOf, openConnection, type ConnectionSettings } from '../connection/index.js';
import { RollbackError } from '../errors.js';
import { hostVars } from '../inventory/load-inventory.js';
import type { HostRoute, JournalEntry } from '../journal/journal.js';
import type { Inventory } from '../load/playbook-types.js';
import { emptyFacts } from '../run/facts.js';
import { createRollbackHost } from '../run/host.js';
import type { Connection, Host } from '../types.js';

export interface RouteKeeper {
  hostFor: (entry: JournalEntry) => Promise<Host>;
  closeAll: () => Promise<void>;
}

export function recordedRoutes(inventory: Inventory, settings: ConnectionSettings): RouteKeeper {
  const opened = new Map<string, Promise<{ host: Host; conn: Connection }>>();
  return {
    async hostFor(entry) {
      if (!opened.has(entry.host)) opened.set(entry.host, openByRoute(entry.host, entry.route, inventory, settings));
      return (await opened.get(entry.host)!).host;
    },
    async closeAll() {
      for (const p of opened.values()) await p.then((o) => o.conn.close(), () => undefined);
    },
  };
}

async function openByRoute(name: string, recorded: HostRoute | undefined, inventory: Inventory, settings: ConnectionSettings): Promise<{ host: Host; conn: Connection }> {
  const was = recorded ? `; the journal reached it as ${recorded.identity} as user ${recorded.user}` : '';
  if (!(name in inventory.hosts)) {
    throw new RollbackError(`host '${name}' is not in the inventory (${inventory.sources.join(', ') || 'none given'})${was}: refusing to reach it any other way (never over the local connection); put it back in the inventory to roll it back`, { host: name });
  }
  const vars = hostVars(inventory, name);
  const now = { identity: hostIdentity(name, vars), user: loginUserOf(vars) };
  if (recorded && (recorded.identity !== now.identity || recorded.user !== now.user)) {
    throw new RollbackError(`host '${name}': the journal reached it as ${recorded.identity} as user ${recorded.user}, but the inventory now says ${now.identity} as user ${now.user}: refusing to roll back on another machine or account; restore its inventory entry to roll it back`, { host: name });
  }
  const conn = await openConnection(name, vars, settings);
  if (recorded?.hostKey && conn.hostKey !== recorded.hostKey) {
    await conn.close();
    throw new RollbackError(`host '${name}' presents host key ${conn.hostKey ?? '(none)'}, not ${recorded.hostKey} that the run saw: refusing to roll back on what may be another machine`, { host: name });
  }
  return { host: createRollbackHost(name, conn, emptyFacts(name), vars, now.user), conn };
}
