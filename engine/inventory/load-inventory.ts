// Inventory: YAML, Ansible's INI, `-i a,b,` host lists and dynamic inventory scripts, plus group_vars/ and
// host_vars/ beside them, merged per host (Ansible's connection variable names read as runbook's).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InventoryError } from '../errors.js';
import type { Inventory } from '../load/playbook-types.js';
import { mergedMap, plainMap, plainMapOf } from '../plain-map.js';
import { readBoundedFile, readYaml } from '../load/yaml-source.js';
import { isInterpreterVariable, withRunbookNames } from './ansible-variables.js';
import { isHostList, readHostList } from './host-list.js';
import { readIniInventory } from './ini-inventory.js';
import { attachOrphansToAll, edgeLocations, emptyInventory, ensureGroup, isObject } from './inventory-model.js';
import { connectionKindOf } from '../connection/settings.js';
import { withSshConfig } from '../connection/ssh-config.js';
import { readScriptInventory } from './script-inventory.js';
import { readYamlInventory } from './yaml-inventory.js';

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

type InventoryFormat = 'yaml' | 'ini' | 'script';

/** Files a folder inventory reads: YAML/JSON, INI, extensionless files (by content) and executables. */
const FOLDER_ENTRY = /^(?!\.)(?:[^.]*|.*\.(?:ya?ml|json|ini))$/;

/** The format of an inventory file: by extension, then executable bit, then content. */
async function formatOf(file: string, mode: number): Promise<{ format: InventoryFormat; text?: string }> {
  if (/\.(ya?ml|json)$/i.test(file)) return { format: 'yaml' };
  if (/\.ini$/i.test(file)) return { format: 'ini', text: await readText(file) };
  if (mode & 0o111) return { format: 'script' };
  const text = await readText(file);
  const first = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#')) ?? '';
  const yamlLike = first === '---' || first.startsWith('$ANSIBLE_VAULT') || first.startsWith('{') || /^[^\s=[\]]+:(\s|$)/.test(first);
  return yamlLike && !/^\S+:\d+(\s|$)/.test(first) ? { format: 'yaml' } : { format: 'ini', text };
}

async function readText(file: string): Promise<string> {
  const bytes = await readBoundedFile(file, 'inventory');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InventoryError(`inventory ${file} is not valid UTF-8 text`, { location: { file, line: 1, col: 1 } });
  }
}

async function readInventoryFile(inv: Inventory, file: string, mode: number): Promise<void> {
  const { format, text } = await formatOf(file, mode);
  inv.sources.push(file);
  if (format === 'yaml') await readYamlInventory(inv, file);
  else if (format === 'ini') readIniInventory(inv, file, text ?? '');
  else await readScriptInventory(inv, file);
}

/** Read every inventory source into `inv`; returns the folders whose group_vars/ and host_vars/ apply. */
async function readSources(inv: Inventory, paths: string[]): Promise<string[]> {
  const varDirs: string[] = [];
  for (const p of paths) {
    if (isHostList(p)) { readHostList(inv, p); continue; }
    const st = await fs.stat(p).catch(() => null);
    if (!st) throw new InventoryError(`inventory not found: ${p}`);
    if (st.isDirectory()) {
      for (const entry of (await fs.readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isFile() || !FOLDER_ENTRY.test(entry.name)) continue;
        const file = path.join(p, entry.name);
        await readInventoryFile(inv, file, (await fs.stat(file)).mode);
      }
      varDirs.push(p);
    } else {
      await readInventoryFile(inv, p, st.mode);
      varDirs.push(path.dirname(p));
    }
  }
  return [...new Set(varDirs)];
}

/** Load inventory files/folders/host lists; none → the implicit inventory: localhost over the local connection. */
export async function loadInventory(paths: string[]): Promise<Inventory> {
  const inv = emptyInventory();
  for (const dir of await readSources(inv, paths)) {
    for (const [group, vars] of Object.entries(await readVarsDir(path.join(dir, 'group_vars')))) {
      const g = ensureGroup(inv, group);
      g.vars = mergedMap(g.vars, vars);
    }
    for (const [host, vars] of Object.entries(await readVarsDir(path.join(dir, 'host_vars')))) {
      if (inv.hosts[host]) inv.hosts[host] = mergedMap(inv.hosts[host], vars);
    }
  }
  attachOrphansToAll(inv);
  // Hosts in no group but all are `ungrouped`.
  const grouped = new Set(Object.entries(inv.groups).filter(([g]) => g !== 'all' && g !== 'ungrouped').flatMap(([, g]) => g.hosts));
  for (const h of Object.keys(inv.hosts)) if (!grouped.has(h) && !inv.groups.ungrouped.hosts.includes(h)) inv.groups.ungrouped.hosts.push(h);
  inv.groups.ungrouped.hosts = inv.groups.ungrouped.hosts.filter((h) => !grouped.has(h));
  inv.groups.all.hosts = inv.groups.all.hosts.filter((h) => !grouped.has(h));
  detectCycles(inv);
  inv.notes = interpreterNotes(inv);
  // The implicit localhost: usable by name, never part of `all` unless an inventory lists it.
  inv.hosts.localhost ??= { connection: 'local' };
  if (paths.length === 0) inv.groups.ungrouped.hosts.push('localhost');
  return inv;
}

/** One note per interpreter variable set anywhere (ansible_python_interpreter, ...): runbook runs no Python there. */
function interpreterNotes(inv: Inventory): string[] {
  const names = new Set([...Object.values(inv.groups).map((g) => g.vars), ...Object.values(inv.hosts)].flatMap((v) => Object.keys(v).filter(isInterpreterVariable)));
  return [...names].sort().map((n) => `${n} is ignored: runbook runs no interpreter of its own on targets (commands and files only)`);
}

function detectCycles(inv: Inventory): void {
  const done = new Set<string>();
  const visit = (g: string, stack: string[]) => {
    if (stack.includes(g)) {
      throw new InventoryError(`group cycle: ${[...stack, g].join(' → ')}`, { location: edgeLocations.get(inv)?.get(`${stack[stack.length - 1]}>${g}`) });
    }
    if (done.has(g)) return;
    for (const c of inv.groups[g]?.children ?? []) visit(c, [...stack, g]);
    done.add(g);
  };
  for (const g of ['all', ...Object.keys(inv.groups)]) visit(g, []);
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

/** Merged vars of one host as the inventory wrote them: group vars all → parent → child, then the host's own. */
export function inventoryVars(inv: Inventory, host: string): Record<string, unknown> {
  return mergedMap(...groupsOfHost(inv, host).map((g) => inv.groups[g.name]?.vars), inv.hosts[host]);
}

/**
 * Merged vars of one host, each level's Ansible connection names (ansible_host, ...) also under runbook's, and for a
 * host reached over ssh what its OpenSSH client config says where the inventory is silent.
 */
export function hostVars(inv: Inventory, host: string): Record<string, unknown> {
  const groups = groupsOfHost(inv, host);
  let merged = mergedMap(...groups.map((g) => withRunbookNames(inv.groups[g.name]?.vars)), withRunbookNames(inv.hosts[host]));
  if (connectionKindOf(host, merged) === 'ssh') merged = withSshConfig(host, merged);
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
