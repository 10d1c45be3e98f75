// YAML (and JSON) inventories, Ansible-shaped: groups with hosts, children and vars, located to file:line:col.

import { InventoryError, PlaybookError } from '../errors.js';
import type { Inventory } from '../load/playbook-types.js';
import { readYaml, type SourceFile, type YamlPath } from '../load/yaml-source.js';
import { addChild, addGroupVars, addHost, checkConnectionVars, ensureGroup, isObject } from './inventory-model.js';

function checkGroupKeys(src: SourceFile, name: string, def: Record<string, unknown>, at: YamlPath): void {
  for (const key of Object.keys(def)) {
    if (!['hosts', 'children', 'vars'].includes(key)) {
      throw new InventoryError(`unknown key '${key}' in group '${name}' (expected hosts, children or vars)`, { location: src.loc([...at, key], true) });
    }
  }
}

function readHosts(inv: Inventory, src: SourceFile, name: string, hosts: unknown, at: YamlPath): void {
  if (!isObject(hosts)) throw new InventoryError(`hosts of group '${name}' must be a mapping of host names`, { location: src.loc(at) });
  for (const [host, vars] of Object.entries(hosts)) {
    if (vars !== null && !isObject(vars)) throw new InventoryError(`vars of host '${host}' must be a mapping`, { location: src.loc([...at, host]) });
    if (vars) checkConnectionVars(vars, `host '${host}'`, (k) => src.loc([...at, host, k]));
    addHost(inv, name, host, vars, src.loc([...at, host], true));
  }
}

/** Read one group definition (recursively through children). */
function readGroup(inv: Inventory, src: SourceFile, name: string, def: unknown, at: YamlPath): void {
  ensureGroup(inv, name, src.loc(at, true));
  if (def === null || def === undefined) return;
  if (!isObject(def)) throw new InventoryError(`group '${name}' must be a mapping with hosts, children and vars`, { location: src.loc(at) });
  checkGroupKeys(src, name, def, at);
  if (def.vars !== undefined) {
    if (!isObject(def.vars)) throw new InventoryError(`vars of group '${name}' must be a mapping`, { location: src.loc([...at, 'vars']) });
    checkConnectionVars(def.vars, `group '${name}'`, (k) => src.loc([...at, 'vars', k]));
    addGroupVars(inv, name, def.vars);
  }
  if (def.hosts !== undefined) readHosts(inv, src, name, def.hosts, [...at, 'hosts']);
  if (def.children !== undefined) {
    if (!isObject(def.children)) throw new InventoryError(`children of group '${name}' must be a mapping of group names`, { location: src.loc([...at, 'children']) });
    for (const [child, childDef] of Object.entries(def.children)) {
      addChild(inv, name, child, src.loc([...at, 'children', child], true));
      readGroup(inv, src, child, childDef, [...at, 'children', child]);
    }
  }
}

/** Read a YAML inventory file into `inv`. */
export async function readYamlInventory(inv: Inventory, file: string): Promise<void> {
  const src = await readYaml(file, 'inventory').catch((e) => {
    throw e instanceof PlaybookError ? new InventoryError(e.message, { location: e.location }) : e;
  });
  if (src.value === null || src.value === undefined) return;
  if (!isObject(src.value)) throw new InventoryError('an inventory must be a mapping of groups (all: {hosts: …, children: …, vars: …})', { location: src.loc([]) });
  for (const [group, def] of Object.entries(src.value)) readGroup(inv, src, group, def, [group]);
}
