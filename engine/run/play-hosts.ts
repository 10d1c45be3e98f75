// Which hosts a play runs on (its pattern narrowed by --limit), and in which batches (serial).

import { InventoryError } from '../errors.js';
import { matchHosts } from '../inventory/host-patterns.js';
import { suggest } from '../load/validate-args.js';
import type { Inventory, Play } from '../load/playbook-types.js';

export function playHosts(inventory: Inventory, play: Play, limit?: string): string[] {
  const hosts = matchHosts(inventory, play.hosts);
  if (!limit) return hosts;
  const allowed = new Set(matchLimit(inventory, limit));
  return hosts.filter((h) => allowed.has(h));
}

/** --limit: a pattern that matches no host at all is a mistake (exit 2), never a run that does nothing. */
export function matchLimit(inventory: Inventory, limit: string): string[] {
  const hosts = matchHosts(inventory, limit);
  if (hosts.length > 0) return hosts;
  const names = [...Object.keys(inventory.hosts), ...Object.keys(inventory.groups)];
  const stem = limit.replace(/[*?!&]/g, '').split(/[:,]/)[0];
  const near = [...new Set([suggest(stem, names), ...names.filter((n) => stem.length > 1 && n.startsWith(stem.slice(0, 2)))].filter(Boolean))].slice(0, 5);
  throw new InventoryError(`--limit '${limit}' matches no host in the inventory${near.length ? `; nearest names: ${near.join(', ')}` : ''}`);
}

/** serial: a count or a percentage of the play's hosts per batch; one batch when unset. */
export function batchesOf(hosts: string[], serial: number | string | undefined): string[][] {
  if (serial === undefined || hosts.length === 0) return [hosts];
  const size = typeof serial === 'string' && serial.endsWith('%')
    ? Math.max(1, Math.floor((hosts.length * Number(serial.slice(0, -1))) / 100))
    : Math.max(1, Number(serial));
  const out: string[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}
