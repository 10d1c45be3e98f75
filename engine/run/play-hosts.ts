// Which hosts a play runs on (its pattern narrowed by --limit), and in which batches (serial).

import { matchHosts } from '../inventory/host-patterns.js';
import type { Inventory, Play } from '../load/playbook-types.js';

export function playHosts(inventory: Inventory, play: Play, limit?: string): string[] {
  const hosts = matchHosts(inventory, play.hosts);
  if (!limit) return hosts;
  const allowed = new Set(matchHosts(inventory, limit));
  return hosts.filter((h) => allowed.has(h));
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
