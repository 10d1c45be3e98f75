// Ansible's INI inventories: [group], [group:vars], [group:children], host ranges, `host key=value` (shlex words,
// Python-literal values), `#`/`;` comment lines, read as Ansible's plugins/inventory/ini.py reads them.

import { InventoryError, type SourceLocation } from '../errors.js';
import type { Inventory } from '../load/playbook-types.js';
import { plainMap } from '../plain-map.js';
import { expandHostRanges, splitHostPort } from './host-ranges.js';
import { addChild, addGroupVars, addHost, checkConnectionVars, ensureGroup } from './inventory-model.js';
import { parsePythonLiteral } from './python-literal.js';
import { shlexSplit } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface IniState {
  inv: Inventory;
  file: string;
  group: string;
  kind: 'hosts' | 'vars' | 'children';
  /** Groups that got a [name] or [name:children] section (defined, as Ansible counts them). */
  defined: Set<string>;
  /** Groups named by [x:vars] or as a child before they were defined: must be defined by the end. */
  pending: Map<string, { location: SourceLocation; what: string }>;
}

/** Read an INI inventory's text into `inv`; every error names file:line:col. */
export function readIniInventory(inv: Inventory, file: string, text: string): void {
  const state: IniState = { inv, file, group: 'ungrouped', kind: 'hosts', defined: new Set(['all', 'ungrouped']), pending: new Map() };
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const location = { file, line: index + 1, col: raw.length - raw.trimStart().length + 1 };
    readLine(state, line, location);
  }
  for (const [group, { location, what }] of state.pending) {
    if (!state.defined.has(group)) throw new InventoryError(`${what} names group '${group}', which no [${group}] section defines`, { location });
  }
}

function readLine(state: IniState, line: string, location: SourceLocation): void {
  const section = SECTION.exec(line);
  if (section) return enterSection(state, section[1], section[2], location);
  if (line.startsWith('[') && line.endsWith(']')) {
    throw new InventoryError(`invalid section '${line}': write [group], [group:vars] or [group:children], with no spaces`, { location });
  }
  if (state.kind === 'hosts') return readHostLine(state, line, location);
  if (state.kind === 'vars') return readVarLine(state, line, location);
  const child = GROUP_LINE.exec(line);
  if (!child) throw new InventoryError(`expected a group name in [${state.group}:children], got '${line}'`, { location });
  if (!state.defined.has(child[1])) state.pending.set(child[1], { location, what: `[${state.group}:children]` });
  addChild(state.inv, state.group, child[1], location);
}

function enterSection(state: IniState, group: string, kind: string | undefined, location: SourceLocation): void {
  if (kind !== undefined && kind !== 'vars' && kind !== 'children') {
    throw new InventoryError(`section [${group}:${kind}] has an unknown type '${kind}' (expected vars or children)`, { location });
  }
  state.group = group;
  state.kind = (kind ?? 'hosts') as IniState['kind'];
  ensureGroup(state.inv, group, location);
  if (state.kind !== 'vars') state.defined.add(group);
  else if (!state.defined.has(group) && !state.pending.has(group)) state.pending.set(group, { location, what: `[${group}:vars]` });
}

/** `[group:vars]` lines: `key=value`, the value as Python's literal_eval reads it (no shlex: quotes are Python's). */
function readVarLine(state: IniState, line: string, location: SourceLocation): void {
  const eq = line.indexOf('=');
  if (eq < 0) throw new InventoryError(`expected key=value in [${state.group}:vars], got '${line}'`, { location });
  const vars = plainMap<unknown>();
  vars[line.slice(0, eq).trim()] = parsePythonLiteral(line.slice(eq + 1).trim());
  checkConnectionVars(vars, `group '${state.group}'`, () => location);
  addGroupVars(state.inv, state.group, vars);
}

/** `name[01:03]:port key=value ...`: shell-like words, each value a Python literal or the word itself. */
function readHostLine(state: IniState, line: string, location: SourceLocation): void {
  let words: string[];
  try {
    words = shlexSplit(line);
  } catch (e) {
    throw new InventoryError(`cannot read host line '${line}': ${(e as Error).message}`, { location });
  }
  if (words.length === 0) return;
  const { pattern, port } = splitHostPort(words[0]);
  if (words[0].endsWith(':') && port === undefined) throw new InventoryError(`host '${words[0]}' ends in ':' with no port after it`, { location });
  const vars = plainMap<unknown>();
  if (port !== undefined) vars.ansible_port = port;
  for (const word of words.slice(1)) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new InventoryError(`expected key=value after host '${words[0]}', got '${word}'`, { location });
    vars[word.slice(0, eq)] = parsePythonLiteral(word.slice(eq + 1));
  }
  let hosts: string[];
  try {
    hosts = expandHostRanges(pattern);
  } catch (e) {
    throw new InventoryError((e as Error).message, { location });
  }
  checkConnectionVars(vars, `host '${words[0]}'`, () => location);
  for (const host of hosts) addHost(state.inv, state.group, host, vars, location);
}
