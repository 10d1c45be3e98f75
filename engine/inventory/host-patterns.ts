// Host patterns, Ansible-style: all, *, group, host, globs (web*), a:b / a,b (union), a:!b (except), a:&b (and).

import { InventoryError } from '../errors.js';
import { groupMembers } from './load-inventory.js';
import type { Inventory } from '../load/playbook-types.js';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Hosts matching a pattern, in inventory order; a name that matches nothing is an InventoryError naming it. */
export function matchHosts(inv: Inventory, pattern: string): string[] {
  const groups = groupMembers(inv);
  const order = Object.keys(inv.hosts);
  const terms = pattern.split(/[:,]/).map((t) => t.trim()).filter(Boolean);
  if (terms.length === 0) throw new InventoryError(`empty host pattern '${pattern}'`);
  const unknown: string[] = [];
  const resolve = (term: string): Set<string> => {
    if (term === 'all' || term === '*') return new Set(groups.all);
    if (term in groups) return new Set(groups[term]);
    if (term in inv.hosts) return new Set([term]);
    if (/[*?]/.test(term)) {
      const re = globToRegExp(term);
      return new Set([...order.filter((h) => re.test(h)), ...Object.keys(groups).filter((g) => re.test(g)).flatMap((g) => groups[g])]);
    }
    unknown.push(term);
    return new Set();
  };
  let selected = new Set<string>();
  // Unions first, then intersections (&), then exclusions (!), as Ansible does.
  for (const t of terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'))) for (const h of resolve(t)) selected.add(h);
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const other = resolve(t.slice(1));
    selected = new Set([...selected].filter((h) => other.has(h)));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) for (const h of resolve(t.slice(1))) selected.delete(h);
  if (unknown.length > 0) {
    throw new InventoryError(`host pattern '${pattern}': no host or group named ${unknown.map((u) => `'${u}'`).join(', ')} in the inventory${inv.sources.length ? ` (${inv.sources.join(', ')})` : ' (no inventory given: only localhost)'}`);
  }
  return order.filter((h) => selected.has(h));
}
