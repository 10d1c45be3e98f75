// etc_hosts: "servers see each other by name" — one /etc/hosts line per address, from a list or an inventory group.

import { isIP } from 'node:net';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { absolutePath, hostName, ipAddress, simpleName } from './lib/arg-kinds.js';

interface HostsEntry { ip: string; names: string[] }

interface EtcHostsArgs {
  entries?: HostsEntry[];
  group?: string;
  address_var: string;
  state: 'present' | 'absent';
  path: string;
}

interface EtcHostsState { file: FileState; entries: HostsEntry[] }

/** The text with each entry's line set (or removed); names an entry claims are taken off other lines. */
export function setHostsEntries(text: string, entries: HostsEntry[], state: 'present' | 'absent'): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const byIp = new Map(entries.map((e) => [e.ip, e]));
  const claimed = new Set(entries.flatMap((e) => e.names));
  const written = new Set<string>();
  const out: string[] = [];
  for (const l of lines) {
    const t = l.trim();
    if (!t || t.startsWith('#')) { out.push(l); continue; }
    const [ip, ...names] = t.split(/\s+/);
    const mine = byIp.get(ip);
    if (mine) {
      if (state === 'present' && !written.has(ip)) {
        const same = names.join(' ') === mine.names.join(' ');
        out.push(same ? l : `${ip} ${mine.names.join(' ')}`);
        written.add(ip);
      }
      continue;
    }
    if (state === 'present') {
      const rest = names.filter((n) => !claimed.has(n));
      if (rest.length === names.length) out.push(l);
      else if (rest.length > 0) out.push(`${ip} ${rest.join(' ')}`);
    } else out.push(l);
  }
  if (state === 'present') for (const e of entries) if (!written.has(e.ip)) out.push(`${e.ip} ${e.names.join(' ')}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

export default defineModule<EtcHostsArgs, EtcHostsState, { after: string }>({
  name: 'etc_hosts',
  doc: 'Make hosts resolve each other by name: one /etc/hosts line per address, given as entries or built from an inventory group (each host\'s address var and name). Other lines are kept; a name moved to a new address is taken off its old line.',
  schema: {
    type: 'object',
    additionalProperties: false,
    anyOf: [{ required: ['entries'] }, { required: ['group'] }],
    properties: {
      entries: { type: 'array', minItems: 1, items: { type: 'object', required: ['ip', 'names'], additionalProperties: false, properties: { ip: ipAddress, names: { type: 'array', items: hostName, minItems: 1 } } }, description: 'Lines to manage: {ip, names}.' },
      group: { ...simpleName, description: 'An inventory group: one line per host, "<address> <inventory name>".' },
      address_var: { ...simpleName, default: 'address', description: 'With group: the host var holding each host\'s address (e.g. storage_address).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'absent removes the lines of those addresses.' },
      path: { ...absolutePath, default: '/etc/hosts', description: 'The hosts file.' },
    },
  },
  examples: [
    { name: 'Gluster peers by name', args: { group: 'gluster' } },
    { name: 'Explicit lines', args: { entries: [{ ip: '10.0.0.11', names: ['gluster1', 'gluster1.lab'] }] } },
  ],
  reversible: true,
  readTarget: (host, args) => readFileState(host, args.path),
  async inspect(host, args, ctx) {
    const entries = [...(args.entries ?? [])];
    if (args.group !== undefined) {
      const members = ctx.groups[args.group];
      if (!members) throw new ModuleError(`etc_hosts: no inventory group '${args.group}'`);
      for (const h of members) {
        const addr = ctx.hostvars[h]?.[args.address_var];
        if (typeof addr !== 'string') throw new ModuleError(`etc_hosts: host ${h} has no '${args.address_var}' var`);
        // Inventory values become lines of /etc/hosts too: the same kinds as entries.
        if (isIP(addr) === 0) throw new ModuleError(`etc_hosts: host ${h} has '${args.address_var}: ${JSON.stringify(addr)}', not an IP address`);
        if (!new RegExp(hostName.pattern).test(h)) throw new ModuleError(`etc_hosts: inventory name ${JSON.stringify(h)} is not a valid host name`);
        entries.push({ ip: addr, names: [h] });
      }
      if (members.length === 0) throw new ModuleError(`etc_hosts: inventory group '${args.group}' has no hosts`);
    }
    return { file: await readFileState(host, args.path), entries };
  },
  plan(s, args): Change<{ after: string }>[] {
    const before = s.file.content ?? '';
    const after = setHostsEntries(before, s.entries, args.state);
    if (after === before) return [];
    return [{ msg: `${args.state === 'present' ? 'set' : 'remove'} ${s.entries.length} line(s) in ${args.path}`, diff: { path: args.path, before, after }, data: { after } }];
  },
  async apply(host, args, changes) {
    await host.writeFile(args.path, changes[0].data.after);
  },
  revert: (host, { before }) => restoreFile(host, before.file),
});
