// Dynamic inventories: an executable that speaks Ansible's script protocol (`--list` prints groups as JSON, with
// `_meta.hostvars`; without `_meta`, `--host NAME` is asked per host), run with a time limit and a bounded output.

import { execFile } from 'node:child_process';
import { InventoryError } from '../errors.js';
import type { Inventory } from '../load/playbook-types.js';
import { mergedMap } from '../plain-map.js';
import { addChild, addGroupVars, addHost, checkConnectionVars, ensureGroup, isObject } from './inventory-model.js';

/** How long one call of an inventory script may take. */
export const SCRIPT_TIMEOUT_MS = 60_000;
/** Most bytes of JSON one call may print. */
export const SCRIPT_MAX_OUTPUT = 32 * 1024 * 1024;

/** Run the script with `args`, parse its stdout as JSON; failures say which script, how, and its stderr. */
async function callScript(file: string, args: string[], timeoutMs: number): Promise<unknown> {
  const location = { file, line: 1, col: 1 };
  const { stdout, error } = await new Promise<{ stdout: string; stderr: string; error: (Error & { code?: unknown; killed?: boolean }) | null }>((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: SCRIPT_MAX_OUTPUT, killSignal: 'SIGKILL' }, (err, out, errText) => {
      resolve({ stdout: String(out), stderr: String(errText), error: err ? Object.assign(err, { stderrText: String(errText) }) : null });
    });
  });
  if (error) {
    const stderrText = String((error as { stderrText?: string }).stderrText ?? '').trim().split('\n').slice(0, 5).join('\n');
    const how = error.killed ? `did not finish within ${timeoutMs / 1000} s (killed)`
      : typeof error.code === 'number' ? `exited with code ${error.code}`
        : /maxBuffer/i.test(error.message) ? `printed more than ${SCRIPT_MAX_OUTPUT} bytes` : `could not run: ${error.message}`;
    throw new InventoryError(`inventory script ${file} ${args.join(' ')} ${how}${stderrText ? `: ${stderrText}` : ''}`, { location });
  }
  try {
    return JSON.parse(stdout);
  } catch (e) {
    throw new InventoryError(`inventory script ${file} ${args.join(' ')} printed invalid JSON (${(e as Error).message}); Ansible's script protocol expects one JSON object`, { location });
  }
}

function readScriptGroup(inv: Inventory, file: string, name: string, def: unknown): void {
  const location = { file, line: 1, col: 1 };
  const where = `inventory script ${file}: group '${name}'`;
  ensureGroup(inv, name, location);
  // A bare list is the group's hosts (the protocol's short form).
  const full = Array.isArray(def) ? { hosts: def } : def;
  if (!isObject(full)) throw new InventoryError(`${where} must be a list of hosts or an object with hosts, vars and children`, { location });
  const list = (key: string): string[] => {
    const v = full[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new InventoryError(`${where}: '${key}' must be a list of names`, { location });
    return v as string[];
  };
  for (const host of list('hosts')) addHost(inv, name, host, null, location);
  for (const child of list('children')) addChild(inv, name, child, location);
  if (full.vars !== undefined) {
    if (!isObject(full.vars)) throw new InventoryError(`${where}: 'vars' must be an object`, { location });
    checkConnectionVars(full.vars, where, () => location);
    addGroupVars(inv, name, full.vars);
  }
}

/** Run an executable inventory and read its answer into `inv`. */
export async function readScriptInventory(inv: Inventory, file: string, timeoutMs = SCRIPT_TIMEOUT_MS): Promise<void> {
  const location = { file, line: 1, col: 1 };
  const data = await callScript(file, ['--list'], timeoutMs);
  if (!isObject(data)) throw new InventoryError(`inventory script ${file} --list must print a JSON object of groups`, { location });
  const before = new Set(Object.keys(inv.hosts));
  for (const [name, def] of Object.entries(data)) if (name !== '_meta') readScriptGroup(inv, file, name, def);
  const meta = data._meta;
  if (meta !== undefined && (!isObject(meta) || !isObject(meta.hostvars))) throw new InventoryError(`inventory script ${file}: '_meta' must be {"hostvars": {host: {vars}}}`, { location });
  const hostvars = isObject(meta) ? (meta.hostvars as Record<string, unknown>) : undefined;
  const hosts = Object.keys(inv.hosts).filter((h) => !before.has(h));
  for (const host of hostvars ? Object.keys(hostvars) : hosts) {
    const vars = hostvars ? hostvars[host] : await callScript(file, ['--host', host], timeoutMs);
    if (!isObject(vars)) throw new InventoryError(`inventory script ${file}: the vars of host '${host}' must be a JSON object`, { location });
    checkConnectionVars(vars, `inventory script ${file}: host '${host}'`, () => location);
    // Hostvars of a host no group lists still make it a host (Ansible adds it to `ungrouped`).
    if (inv.hosts[host]) inv.hosts[host] = mergedMap(inv.hosts[host], vars);
    else addHost(inv, 'ungrouped', host, vars, location);
  }
}
