// `runbook inventory --list`: the JSON `ansible-inventory --list` prints (groups with hosts/children, `_meta.hostvars`
// with the vars as written, keys sorted, four-space indent), so tools built on Ansible's inventory read ours.

import type { Inventory } from '../load/playbook-types.js';
import { plainMap } from '../plain-map.js';
import { inventoryVars } from './load-inventory.js';

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!value || typeof value !== 'object') return value;
  const out = plainMap<unknown>();
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** The --list document: every group with hosts or children (all always), and each host's vars where it has some. */
export function ansibleInventoryList(inv: Inventory): Record<string, unknown> {
  const listed = new Set(Object.values(inv.groups).flatMap((g) => g.hosts));
  const hostvars = plainMap<unknown>();
  for (const host of Object.keys(inv.hosts).filter((h) => listed.has(h))) {
    const vars = inventoryVars(inv, host);
    if (Object.keys(vars).length > 0) hostvars[host] = vars;
  }
  const out = plainMap<unknown>();
  out._meta = { hostvars };
  for (const [name, group] of Object.entries(inv.groups)) {
    const entry = plainMap<unknown>();
    if (group.hosts.length > 0) entry.hosts = group.hosts;
    if (group.children.length > 0) entry.children = group.children;
    if (name === 'all' || Object.keys(entry).length > 0) out[name] = entry;
  }
  return sortedKeys(out) as Record<string, unknown>;
}
