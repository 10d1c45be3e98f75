// Building an Inventory from any format (YAML, INI, host lists, dynamic scripts): groups, hosts, edges, safe names.

import { InventoryError, type SourceLocation } from '../errors.js';
import type { Inventory } from '../load/playbook-types.js';
import { mergedMap, plainMap } from '../plain-map.js';
import { connectionVarProblem } from './ansible-variables.js';

export type Group = Inventory['groups'][string];

export function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function emptyInventory(): Inventory {
  const inv: Inventory = { hosts: plainMap(), groups: plainMap(), sources: [], notes: [] };
  inv.groups.all = { hosts: [], children: ['ungrouped'], vars: plainMap() };
  inv.groups.ungrouped = { hosts: [], children: [], vars: plainMap() };
  return inv;
}

/** Where each parent → child edge was written, so a group cycle can point at the line that closes it. */
export const edgeLocations = new WeakMap<Inventory, Map<string, SourceLocation>>();

/**
 * Host and group names become map keys, log words, lock names and --limit patterns: whitespace, control characters,
 * pattern operators (`,` `:` `!` `&`) and a leading `-` (read as an option) have no place in them.
 */
export function checkName(kind: 'host' | 'group', name: string, location?: SourceLocation): void {
  const problem = name.length === 0 ? 'is empty'
    : /[\s\p{Cc}\p{Cf}]/u.test(name) ? 'contains whitespace or a control character'
      : name.startsWith('-') ? "starts with '-'"
        : kind === 'group' && /[,:!&*?[\]]/.test(name) ? "contains one of , : ! & * ? [ ] (host pattern operators)"
          : kind === 'host' && /[,!&*?]/.test(name) ? "contains one of , ! & * ? (host pattern operators)"
            : name.length > 253 ? 'is longer than 253 characters' : undefined;
  if (problem) throw new InventoryError(`${kind} name ${JSON.stringify(name)} ${problem}`, { location });
}

export function ensureGroup(inv: Inventory, name: string, location?: SourceLocation): Group {
  if (!inv.groups[name]) checkName('group', name, location);
  return (inv.groups[name] ??= { hosts: [], children: [], vars: plainMap() });
}

/** Check connection vars (runbook's or Ansible's names); `locate` gives the location of one key. */
export function checkConnectionVars(vars: Record<string, unknown>, owner: string, locate: (key: string) => SourceLocation | undefined): void {
  const found = connectionVarProblem(vars);
  if (found) throw new InventoryError(`${owner}: '${found.key}' ${found.problem}, got ${JSON.stringify(vars[found.key])}`, { location: locate(found.key) });
}

/** Add a host (with vars merged over what it had) to a group. */
export function addHost(inv: Inventory, group: string, host: string, vars: Record<string, unknown> | null, location?: SourceLocation): void {
  if (!inv.hosts[host]) checkName('host', host, location);
  const g = ensureGroup(inv, group, location);
  inv.hosts[host] = mergedMap(inv.hosts[host], vars);
  if (!g.hosts.includes(host)) g.hosts.push(host);
}

/** Make `child` a child group of `parent`, remembering where the edge was written. */
export function addChild(inv: Inventory, parent: string, child: string, location?: SourceLocation): void {
  const g = ensureGroup(inv, parent, location);
  ensureGroup(inv, child, location);
  if (!g.children.includes(child)) g.children.push(child);
  if (!edgeLocations.has(inv)) edgeLocations.set(inv, new Map());
  if (location) edgeLocations.get(inv)!.set(`${parent}>${child}`, location);
}

/** Merge vars into a group's. */
export function addGroupVars(inv: Inventory, group: string, vars: Record<string, unknown>, location?: SourceLocation): void {
  const g = ensureGroup(inv, group, location);
  g.vars = mergedMap(g.vars, vars);
}

/** Every group with no parent is a child of `all`, as Ansible's reconcile makes it. */
export function attachOrphansToAll(inv: Inventory): void {
  const parented = new Set(Object.values(inv.groups).flatMap((g) => g.children));
  for (const name of Object.keys(inv.groups)) {
    if (name !== 'all' && !parented.has(name)) inv.groups.all.children.push(name);
  }
}
