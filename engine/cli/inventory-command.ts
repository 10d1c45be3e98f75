// `runbook inventory` and `runbook facts`: look at the fleet without changing it.

import { plainMap, plainMapOf } from '../plain-map.js';
import PQueue from 'p-queue';
import type { CliIO } from './io.js';
import { openConnection, type ConnectionSettings } from '../connection/index.js';
import { describeFailure } from '../report/describe.js';
import { gatherFacts } from '../run/facts.js';
import { matchHosts } from '../inventory/host-patterns.js';
import { groupMembers, hostVars, loadInventory } from '../inventory/load-inventory.js';
import { ansibleInventoryList } from '../inventory/ansible-list.js';
import { inventorySources } from '../inventory/host-list.js';
import { Redactor, collectSecrets } from '../report/redact.js';
import { currentKeyring } from '../vault/keyring.js';
import type { Inventory } from '../load/playbook-types.js';

function graph(inv: Inventory, group: string, depth: number, seen: Set<string>): string[] {
  const g = inv.groups[group];
  if (!g || seen.has(group)) return [];
  seen.add(group);
  const pad = '  '.repeat(depth);
  const lines = [`${pad}@${group}:`];
  for (const child of g.children) lines.push(...graph(inv, child, depth + 1, seen));
  for (const h of g.hosts) lines.push(`${pad}  ${h}`);
  return lines;
}

export async function inventoryCommand(o: { inventory: string[]; graph?: boolean; host?: string; list?: boolean }, io: CliIO): Promise<void> {
  const inv = await loadInventory(inventorySources(io.cwd, o.inventory));
  const redactor = new Redactor();
  redactor.add(currentKeyring().revealed);
  for (const note of inv.notes ?? []) io.err(`note: ${note}\n`);
  if (o.list) {
    for (const h of Object.keys(inv.hosts)) redactor.add(collectSecrets(hostVars(inv, h)));
    io.out(`${JSON.stringify(redactor.value(ansibleInventoryList(inv)), null, 4)}\n`);
    return;
  }
  if (o.graph) {
    const roots = ['all'];
    io.out(`${roots.flatMap((r) => graph(inv, r, 0, new Set())).join('\n')}\n`);
    return;
  }
  if (o.host) {
    const vars = hostVars(inv, o.host);
    if (!(o.host in inv.hosts)) throw new (await import('../errors.js')).InventoryError(`host '${o.host}' is not in the inventory`);
    redactor.add(collectSecrets(vars));
    io.out(`${JSON.stringify(redactor.value(vars), null, 2)}\n`);
    return;
  }
  const hostvars = plainMapOf(Object.keys(inv.hosts).map((h) => {
    const v = hostVars(inv, h);
    redactor.add(collectSecrets(v));
    return [h, v] as const;
  }));
  io.out(`${JSON.stringify(redactor.value({ groups: groupMembers(inv), hostvars }), null, 2)}\n`);
}

/** Gather facts of matching hosts in parallel; unreachable hosts are reported and make the exit code 1. */
export async function factsCommand(pattern: string, inventories: string[], settings: ConnectionSettings, io: CliIO): Promise<number> {
  const inv = await loadInventory(inventorySources(io.cwd, inventories));
  const hosts = matchHosts(inv, pattern);
  const out = plainMap<unknown>();
  let failed = false;
  const queue = new PQueue({ concurrency: 50 });
  await Promise.all(hosts.map((h) => queue.add(async () => {
    const vars = hostVars(inv, h);
    try {
      const conn = await openConnection(h, vars, settings);
      try {
        out[h] = await gatherFacts(conn);
      } finally {
        await conn.close();
      }
    } catch (e) {
      failed = true;
      out[h] = { unreachable: true, msg: describeFailure(e) };
    }
  })));
  const ordered = plainMapOf(hosts.map((h) => [h, out[h]] as const));
  io.out(`${JSON.stringify(ordered, null, 2)}\n`);
  return failed ? 1 : 0;
}
