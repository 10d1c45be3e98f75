// `-i a,b,` host lists: an inventory argument that is no file and has a comma is a list of hosts (Ansible's
// host_list plugin), each `name` or `name:port`, all in `ungrouped`.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { InventoryError } from '../errors.js';
import type { Inventory } from '../load/playbook-types.js';
import { plainMap } from '../plain-map.js';
import { splitHostPort } from './host-ranges.js';
import { addHost } from './inventory-model.js';

/** True when an -i argument is a host list rather than a path. */
export function isHostList(source: string): boolean {
  return source.includes(',') && !existsSync(source);
}

/** -i arguments as loadInventory takes them: paths made absolute (from `cwd`), host lists kept as written. */
export function inventorySources(cwd: string, sources: string[]): string[] {
  return sources.map((s) => (s.includes(',') && !existsSync(path.resolve(cwd, s)) ? s : path.resolve(cwd, s)));
}

/** Add the hosts of a host list to `ungrouped`. */
export function readHostList(inv: Inventory, list: string): void {
  inv.sources.push(`host list '${list}'`);
  for (const word of list.split(',').map((w) => w.trim()).filter(Boolean)) {
    const { pattern, port } = splitHostPort(word);
    if (pattern.includes('[')) throw new InventoryError(`host list '${list}': ranges such as '${word}' are not read in a host list (write the hosts out, or use an INI inventory)`);
    const vars = plainMap<unknown>();
    if (port !== undefined) vars.ansible_port = port;
    addHost(inv, 'ungrouped', pattern, port !== undefined ? vars : null);
  }
}
