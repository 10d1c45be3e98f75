// Inventory: Ansible-shaped YAML (all/hosts/children/vars) plus group_vars/ and host_vars/, merged per host.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InventoryError, PlaybookError, type SourceLocation } from '../errors.js';
import { parseJumpHost } from '../connection/jump-host.js';
import type { Inventory } from '../load/playbook-types.js';
import { mergedMap, plainMap, plainMapOf } from '../plain-map.js';
import { readYaml, type SourceFile, type YamlPath } from '../load/yaml-source.js';

type Group = Inventory['groups'][string];

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function ensureGroup(inv: Inventory, name: string): Group {
  return (inv.groups[name] ??= { hosts: [], children: [], vars: plainMap() });
}

/** Where each parent → child edge was written, so a group cycle can point at the line that closes it. */
const edgeLocations = new WeakMap<Inventory, Map<string, SourceLocation>>();

/** Connection variables are read by the engine itself: a wrong type is an input error here, not a failed connect. */
const CONNECTION_VARS: Record<string, (v: unknown) => string | undefined> = {
  address: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a host name or IP address (a string)'),
  port: (v) => ((typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) || (typeof v === 'string' && (/^\d+$/.test(v) ? Number(v) >= 1 && Number(v) <= 65535 : v.includes('{{'))) ? undefined : 'must be a TCP port, 1-65535'),
  user: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a user name (a string)'),
  key: (v) => (typeof v === 'string' ? undefined : 'must be the path of a private key file (a string)'),
  known_hosts: (v) => (typeof v === 'string' ? undefined : 'must be the path of a known_hosts file (a string)'),
  connection: (v) => (v === 'ssh' || v === 'local' ? undefined : "must be 'ssh' or 'local'"),
  become: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  jump_host: (v) => (typeof v === 'string' && parseJumpHost(v) ? undefined : 'must be [user@]address[:port], as ssh -J takes it'),
};

function checkConnectionVars(vars: Record<string, unknown>, src: SourceFile, at: YamlPath, owner: string): void {
  for (const [k, check] of Object.entries(CONNECTION_VARS)) {
    if (!(k in vars)) continue;
    const problem = check(vars[k]);
    if (problem) throw new InventoryError(`${owner}: '${k}' ${problem}, got ${JSON.stringify(vars[k])}`, { location: src.loc([...at, k]) });
  }
}

/** Read one group definition (recursively through children). */
function readGroup(inv: Inventory, src: SourceFile, name: string, def: unknown, at: YamlPath): void {
  const g = ensureGroup(inv, name);
  if (def === null || def === undefined) return;
  if (!isObject(def)) throw new InventoryError(`group '${name}' must be a mapping with hosts, children and vars`, { location: src.loc(at) });
  for (const key of Object.keys(def)) {
    if (!['hosts', 'children', 'vars'].includes(key)) {
      throw new InventoryError(`unknown key '${key}' in group '${name}' (expected hosts, children or vars)`, { location: src.loc([...at, key], true) });
    }
  }
  if (def.vars !== undefined) {
    if (!isObject(def.vars)) throw new InventoryError(`vars of group '${name}' must be a mapping`, { location: src.loc([...at, 'vars']) });
    checkConnectionVars(def.vars, src, [...at, 'vars'], `group '${name}'`);
    g.vars = mergedMap(g.vars, def.vars);
  }
  if (def.hosts !== undefined) {
    if (!isObject(def.hosts)) throw new InventoryError(`hosts of group '${name}' must be a mapping of host names`, { location: src.loc([...at, 'hosts']) });
    for (const [host, vars] of Object.entries(def.hosts)) {
      if (vars !== null && !isObject(vars)) throw new InventoryError(`vars of host '${host}' must be a mapping`, { location: src.loc([...at, 'hosts', host]) });
      if (vars) checkConnectionVars(vars as Record<string, unknown>, src, [...at, 'hosts', host], `host '${host}'`);
      inv.hosts[host] = mergedMap(inv.hosts[host], vars as Record<string, unknown> | null);
      if (!g.hosts.includes(host)) g.hosts.push(host);
    }
  }
  if (def.children !== undefined) {
    if (!isObject(def.children)) throw new InventoryError(`children of group '${name}' must be a mapping of group names`, { location: src.loc([...at, 'children']) });
    for (const [child, cdef] of Object.entries(def.children)) {
      if (!g.children.includes(child)) g.children.push(child);
      if (!edgeLocations.has(inv)) edgeLocations.set(inv, new Map());
      edgeLocations.get(inv)!.set(`${name}>${child}`, src.loc([...at, 'children', child], true));
      readGroup(inv, src, child, cdef, [...at, 'children', child]);
    }
  }
}

async function readInventoryFile(inv: Inventory, file: string): Promise<void> {
  const src = await readYaml(file, 'inventory').catch((e) => {
    throw e instanceof PlaybookError ? new InventoryError(e.message, { location: e.location }) : e;
  });
  inv.sources.push(file);
  if (src.value === null || src.value === undefined) return;
  if (!isObject(src.value)) throw new InventoryError('an inventory must be a mapping of groups (all: {hosts: …, children: …, vars: …})', { location: src.loc([]) });
  for (const [group, def] of Object.entries(src.value)) {
    readGroup(inv, src, group, def, [group]);
    if (group !== 'all' && !inv.groups.all.children.includes(group)) inv.groups.all.children.push(group);
  }
}

async function readVarsDir(dir: string): Promise<Record<string, Record<string, unknown>>> {
  const out = plainMap<Record<string, unknown>>();
  for (const entry of (await fs.readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const f of (await fs.readdir(full)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
        const v = (await readYaml(path.join(full, f), 'vars file')).value;
        out[entry.name] = mergedMap(out[entry.name], isObject(v) ? v : null);
      }
    } else if (/\.ya?ml$/.test(entry.name)) {
      const v = (await readYaml(full, 'vars file')).value;
      if (v !== null && !isObject(v)) throw new InventoryError(`${full} must be a mapping of variables`, { location: { file: full, line: 1, col: 1 } });
      const name = entry.name.replace(/\.ya?ml$/, '');
      out[name] = mergedMap(out[name], v as Record<string, unknown> | null);
    }
  }
  return out;
}

/** Load inventory files/folders; no paths → the implicit inventory: localhost over the local connection. */
export async function loadInventory(paths: string[]): Promise<Inventory> {
  const inv: Inventory = { hosts: plainMap(), groups: plainMap(), sources: [] };
  inv.groups.all = { hosts: [], children: ['ungrouped'], vars: plainMap() };
  inv.groups.ungrouped = { hosts: [], children: [], vars: plainMap() };
  const varDirs: string[] = [];
  for (const p of paths) {
    const st = await fs.stat(p).catch(() => null);
    if (!st) throw new InventoryError(`inventory not found: ${p}`);
    if (st.isDirectory()) {
      const files = (await fs.readdir(p)).filter((f) => /\.ya?ml$/.test(f)).sort();
      for (const f of files) await readInventoryFile(inv, path.join(p, f));
      varDirs.push(p);
    } else {
      await readInventoryFile(inv, p);
      varDirs.push(path.dirname(p));
    }
  }
  for (const dir of [...new Set(varDirs)]) {
    for (const [group, vars] of Object.entries(await readVarsDir(path.join(dir, 'group_vars')))) {
      const g = ensureGroup(inv, group);
      g.vars = mergedMap(g.vars, vars);
    }
    for (const [host, vars] of Object.entries(await readVarsDir(path.join(dir, 'host_vars')))) {
      if (inv.hosts[host]) inv.hosts[host] = mergedMap(inv.hosts[host], vars);
    }
  }
  // Hosts in no group but all are `ungrouped`.
  const grouped = new Set(Object.entries(inv.groups).filter(([g]) => g !== 'all' && g !== 'ungrouped').flatMap(([, g]) => g.hosts));
  for (const h of Object.keys(inv.hosts)) if (!grouped.has(h) && !inv.groups.ungrouped.hosts.includes(h)) inv.groups.ungrouped.hosts.push(h);
  inv.groups.all.hosts = inv.groups.all.hosts.filter((h) => !grouped.has(h));
  detectCycles(inv);
  // The implicit localhost: usable by name, never part of `all` unless an inventory lists it.
  inv.hosts.localhost ??= { connection: 'local' };
  if (paths.length === 0) inv.groups.ungrouped.hosts.push('localhost');
  return inv;
}

function detectCycles(inv: Inventory): void {
  const visit = (g: string, stack: string[]) => {
    if (stack.includes(g)) {
      throw new InventoryError(`group cycle: ${[...stack, g].join(' → ')}`, { location: edgeLocations.get(inv)?.get(`${stack[stack.length - 1]}>${g}`) });
    }
    for (const c of inv.groups[g]?.children ?? []) visit(c, [...stack, g]);
  };
  visit('all', []);
}

/** Every group a host belongs to (ancestors included) with its depth from `all`. */
function groupsOfHost(inv: Inventory, host: string): Array<{ name: string; depth: number }> {
  const depth = new Map<string, number>();
  const walk = (g: string, d: number, chain: string[]) => {
    const grp = inv.groups[g];
    if (!grp) return;
    const contains = (name: string): boolean => inv.groups[name]?.hosts.includes(host) || (inv.groups[name]?.children ?? []).some(contains);
    if (!contains(g)) return;
    depth.set(g, Math.max(depth.get(g) ?? 0, d));
    for (const c of grp.children) if (!chain.includes(c)) walk(c, d + 1, [...chain, c]);
  };
  walk('all', 0, ['all']);
  if (!depth.has('all')) depth.set('all', 0);
  return [...depth.entries()].map(([name, d]) => ({ name, depth: d })).sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
}

/** Merged vars of one host: group vars all → parent → child, then the host's own. */
export function hostVars(inv: Inventory, host: string): Record<string, unknown> {
  const groups = groupsOfHost(inv, host);
  const merged = mergedMap(...groups.map((g) => inv.groups[g.name]?.vars), inv.hosts[host]);
  merged.inventory_hostname = host;
  merged.group_names = groups.map((g) => g.name).filter((g) => g !== 'all' && g !== 'ungrouped');
  return merged;
}

/** Group → every host in it, children included, in inventory order. */
export function groupMembers(inv: Inventory): Record<string, string[]> {
  const memo = new Map<string, string[]>();
  const members = (g: string, seen: Set<string>): string[] => {
    if (memo.has(g)) return memo.get(g)!;
    if (seen.has(g)) return [];
    seen.add(g);
    const grp = inv.groups[g];
    const list = [...new Set([...(grp?.hosts ?? []), ...(grp?.children ?? []).flatMap((c) => members(c, seen))])];
    memo.set(g, list);
    return list;
  };
  return plainMapOf(Object.keys(inv.groups).map((g) => [g, members(g, new Set())] as const));
}

/** Defaults below every inventory variable (command-line -u, -b, ...): merged under the `all` group's vars. */
export function withHostDefaults(inventory: Inventory, defaults: Record<string, unknown> | undefined): Inventory {
  if (!defaults || Object.keys(defaults).length === 0) return inventory;
  const all = inventory.groups.all;
  inventory.groups.all = { ...all, vars: mergedMap(plainMapOf(Object.entries(defaults)), all.vars) };
  return inventory;
}
