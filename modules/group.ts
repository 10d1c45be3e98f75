// group: a local group present (with a gid) or absent; revert puts the previous entry, members included, back.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { ACCOUNT_NAME, runTool, type GroupEntry } from './lib/accounts.js';

interface GroupArgs {
  name: string;
  state: 'present' | 'absent';
  gid?: number;
  system: boolean;
}

interface GroupState { group: GroupEntry | null; gidOwner?: string }

const describe = (g: GroupEntry | null) => (g ? `group ${g.name}\ngid: ${g.gid}\nmembers: ${g.members.join(', ')}\n` : '');

async function readGroup(host: Host, name: string, gid: number | undefined): Promise<GroupState> {
  const res = await host.run(['sh', '-c', 'getent group -- "$1"; echo "#gid"; [ -n "$2" ] && getent group -- "$2"; true', 'sh', name, gid === undefined ? '' : String(gid)]);
  const [own, byGid] = res.stdout.split(/^#gid\n?/m);
  const f = own.trim().split(':');
  const group = f.length >= 4 && f[0] === name ? { name, gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] } : null;
  const owner = byGid?.trim().split(':')[0];
  return { group, ...(owner && owner !== name ? { gidOwner: owner } : {}) };
}

/** What apply does: create, remove or modify the group. */
interface GroupData { create?: boolean; remove?: boolean; modify?: boolean }

export default defineModule<GroupArgs, GroupState, GroupData>({
  name: 'group',
  doc: 'Make sure a local group exists with the given gid, or does not exist. Revert restores the previous entry (gid and members), or removes a group the run created.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { ...ACCOUNT_NAME, description: 'The group name.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the group must exist.' },
      gid: { type: 'integer', minimum: 0, maximum: 4294967294, description: 'The group id (another group holding it is an error).' },
      system: { type: 'boolean', default: false, description: 'A system group (gid from the system range) when created without gid.' },
    },
    allOf: [
      { if: { properties: { state: { const: 'absent' } }, required: ['state'] }, then: { properties: { gid: false } } },
    ],
  },
  examples: [
    { name: 'The docker group with a fixed gid', args: { name: 'docker', gid: 998, system: true } },
    { name: 'No more legacy group', args: { name: 'oldteam', state: 'absent' } },
  ],
  reversible: true,
  inspect: (host, args) => readGroup(host, args.name, args.gid),
  // The group's name and gid: members are the user module's (a later member is no conflict).
  readTarget: async (host, args) => {
    const { group } = await readGroup(host, args.name, args.gid);
    return group && { name: group.name, gid: group.gid };
  },
  plan(s, args): Change<GroupData>[] {
    if (args.state === 'absent') return s.group ? [{ msg: `remove group ${args.name}`, diff: { path: `group ${args.name}`, before: describe(s.group), after: '' }, data: { remove: true } }] : [];
    if (s.gidOwner) throw new ModuleError(`gid ${args.gid} is already group ${s.gidOwner}'s: choose another gid`);
    if (!s.group) return [{ msg: `create group ${args.name}${args.gid !== undefined ? ` (gid ${args.gid})` : ''}`, diff: { path: `group ${args.name}`, before: '', after: `group ${args.name}\ngid: ${args.gid ?? '(next free)'}\nmembers: \n` }, data: { create: true } }];
    if (args.gid === undefined || args.gid === s.group.gid) return [];
    return [{ msg: `group ${args.name}: gid ${s.group.gid} → ${args.gid}`, diff: { path: `group ${args.name}`, before: describe(s.group), after: describe({ ...s.group, gid: args.gid }) }, data: { modify: true } }];
  },
  async apply(host, args, changes) {
    const data = changes[0].data;
    if (data.remove) return runTool(host, ['groupdel', '--', args.name]);
    const gid = args.gid !== undefined ? ['-g', String(args.gid)] : [];
    if (data.create) return runTool(host, ['groupadd', ...gid, ...(args.system ? ['-r'] : []), '--', args.name]);
    return runTool(host, ['groupmod', ...gid, '--', args.name]);
  },
  async revert(host, { before, args }) {
    const now = (await readGroup(host, args.name, undefined)).group;
    const was = before.group;
    if (!was) {
      if (now) await runTool(host, ['groupdel', '--', args.name]);
      return;
    }
    if (!now) await runTool(host, ['groupadd', '-g', String(was.gid), '--', args.name]);
    else if (now.gid !== was.gid) await runTool(host, ['groupmod', '-g', String(was.gid), '--', args.name]);
    await runTool(host, ['gpasswd', '-M', was.members.join(','), '--', args.name]);
  },
});
