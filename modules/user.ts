// user: a local account present (uid, primary and supplementary groups, shell, home, password hash, lock) or absent;
// revert puts the previous passwd/shadow/group entries back exactly.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Diff } from '../engine/types.js';
import { ACCOUNT_NAME, readAccounts, runTool, setAging, setHash, type Accounts, type UserEntry } from './lib/accounts.js';

interface UserArgs {
  name: string;
  state: 'present' | 'absent';
  uid?: number;
  group?: string;
  groups?: string[];
  append: boolean;
  comment?: string;
  shell?: string;
  home?: string;
  create_home: boolean;
  system: boolean;
  password?: string;
  password_lock?: boolean;
  remove: boolean;
}

/** The entry as diff text: the hash itself is never shown, only whether one is set and locked. */
function describeEntry(e: Partial<UserEntry> | null): string {
  if (!e) return '';
  const password = e.hash === undefined ? '(unknown)' : e.hash === '' ? '(none)' : `${e.hash.startsWith('!') ? 'locked, ' : ''}${/^!?[*!]?$/.test(e.hash) ? 'no password' : `hash ${hashDigest(e.hash.replace(/^!/, ''))}`}`;
  return [`user ${e.name}`, `uid: ${e.uid ?? '(next free)'}`, `group: ${e.group ?? '(default)'}`, `groups: ${(e.groups ?? []).join(', ')}`, `comment: ${e.comment ?? ''}`, `home: ${e.home}`, `shell: ${e.shell ?? '(default)'}`, `password: ${password}`].join('\n') + '\n';
}

/** A hash's identity without its secret: the method and length ("$6$, 106 chars"), so a diff shows that it changes. */
function hashDigest(hash: string): string {
  const method = /^\$[^$]+\$/.exec(hash)?.[0] ?? 'DES';
  return `${method}, ${hash.length} chars`;
}

/** The hash the account must end with, or undefined when the arguments leave it alone. */
function wantedHash(current: string | undefined, args: UserArgs): string | undefined {
  if (args.password !== undefined) return `${args.password_lock ? '!' : ''}${args.password}`;
  if (args.password_lock === undefined || current === undefined) return undefined;
  if (args.password_lock && !current.startsWith('!')) return `!${current}`;
  if (!args.password_lock && current.startsWith('!')) return current.slice(1);
  return undefined;
}

/** What apply does: create, remove or modify the user, set its groups, or its password hash. */
interface UserData { create?: boolean; remove?: boolean; modify?: boolean; groups?: string[]; hash?: boolean }

function planCreate(s: Accounts, args: UserArgs): Change<UserData>[] {
  const home = args.home ?? `/home/${args.name}`;
  const hash = wantedHash('', args);
  const after: Partial<UserEntry> = { name: args.name, uid: args.uid, group: args.group, groups: [...(args.groups ?? [])].sort(), comment: args.comment ?? '', home, shell: args.shell, hash: hash ?? '!' };
  const details = [args.uid !== undefined ? `uid ${args.uid}` : '', args.groups?.length ? `groups ${args.groups.join(', ')}` : '', args.create_home && !s.homeExists ? `home ${home} created` : `home ${home}`].filter(Boolean).join(', ');
  return [{ msg: `create user ${args.name} (${details})`, diff: { path: `user ${args.name}`, before: '', after: describeEntry(after) }, data: { create: true } }];
}

function planModify(u: UserEntry, args: UserArgs): Change<UserData>[] {
  const words: string[] = [];
  if (args.uid !== undefined && args.uid !== u.uid) words.push(`uid ${u.uid} → ${args.uid}`);
  if (args.group !== undefined && args.group !== u.group) words.push(`group ${u.group} → ${args.group}`);
  const groups = args.groups === undefined ? u.groups : [...new Set(args.append ? [...u.groups, ...args.groups] : args.groups)].sort();
  const added = groups.filter((g) => !u.groups.includes(g));
  const removed = u.groups.filter((g) => !groups.includes(g));
  if (added.length) words.push(`add to ${added.join(', ')}`);
  if (removed.length) words.push(`remove from ${removed.join(', ')}`);
  if (args.comment !== undefined && args.comment !== u.comment) words.push(`comment '${u.comment}' → '${args.comment}'`);
  if (args.home !== undefined && args.home !== u.home) words.push(`home ${u.home} → ${args.home}`);
  if (args.shell !== undefined && args.shell !== u.shell) words.push(`shell ${u.shell} → ${args.shell}`);
  const hash = wantedHash(u.hash, args);
  if (args.password !== undefined && u.hash === undefined) throw new ModuleError(`cannot read /etc/shadow for ${args.name}: the user module needs become: true to compare passwords`);
  const hashChanges = hash !== undefined && hash !== u.hash;
  if (hashChanges && args.password !== undefined && args.password !== u.hash?.replace(/^!/, '')) words.push('set password');
  if (hashChanges && hash!.startsWith('!') !== Boolean(u.hash?.startsWith('!'))) words.push(hash!.startsWith('!') ? 'lock password' : 'unlock password');
  if (words.length === 0) return [];
  const after: UserEntry = { ...u, uid: args.uid ?? u.uid, group: args.group ?? u.group, groups, comment: args.comment ?? u.comment, home: args.home ?? u.home, shell: args.shell ?? u.shell, hash: hashChanges ? hash : u.hash };
  const diff: Diff = { path: `user ${args.name}`, before: describeEntry(u), after: describeEntry(after) };
  return [{ msg: `user ${args.name}: ${words.join(', ')}`, diff, data: { modify: true, groups, hash: hashChanges ? true : undefined } }];
}

/** useradd/usermod options for the fields the arguments set. */
function fieldOptions(args: UserArgs, groups: string[] | undefined): string[] {
  const o: string[] = [];
  if (args.uid !== undefined) o.push('-u', String(args.uid));
  if (args.group !== undefined) o.push('-g', args.group);
  if (groups !== undefined) o.push('-G', groups.join(','));
  if (args.comment !== undefined) o.push('-c', args.comment);
  if (args.home !== undefined) o.push('-d', args.home);
  if (args.shell !== undefined) o.push('-s', args.shell);
  return o;
}

export default defineModule<UserArgs, Accounts, UserData>({
  name: 'user',
  doc: 'Make sure a local user exists with the given uid, groups, shell, home and password hash (or does not exist). The hash is set through chpasswd\'s stdin and never shown; diffs show the entry with the hash as its method and length. Revert restores the previous passwd, shadow and group entries exactly.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { ...ACCOUNT_NAME, description: 'The login name.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the account must exist.' },
      uid: { type: 'integer', minimum: 0, maximum: 4294967294, description: 'The user id.' },
      group: { ...ACCOUNT_NAME, description: 'The primary group (must exist). Default: a new group named after the user, or the default group when one by that name already exists (as Ansible).' },
      groups: { type: 'array', items: ACCOUNT_NAME, description: 'Supplementary groups (must exist). The exact set, unless append: true.' },
      append: { type: 'boolean', default: false, description: 'Add the user to groups and keep the other groups it is in.' },
      comment: { type: 'string', title: 'passwd field', pattern: '^[^:\\n]*$', patternHint: 'one line without ":"', description: 'The GECOS field (full name).' },
      shell: { type: 'string', pattern: '^/[^:\\n]*$', patternHint: 'an absolute path without ":"', description: 'The login shell.' },
      home: { type: 'string', pattern: '^/[^:\\n]*$', patternHint: 'an absolute path without ":"', description: 'The home directory (default /home/NAME). Changing it on an existing user does not move files.' },
      create_home: { type: 'boolean', default: true, description: 'Create the home directory (from /etc/skel) when the user is created.' },
      system: { type: 'boolean', default: false, description: 'A system account (uid from the system range) when created.' },
      password: { type: 'string', writeOnly: true, pattern: '^(\\$[0-9a-z]+\\$[^:\\n]+|[!*][^:\\n]*)$', patternHint: 'a crypt(3) hash such as $6$... or $y$... (never the clear password), or * / ! for none', description: 'The password as a crypt(3) hash (mkpasswd -m sha-512). A secret: never shown or logged.' },
      password_lock: { type: 'boolean', description: 'Lock the password (a "!" before the hash: no password login) or unlock it.' },
      remove: { type: 'boolean', default: false, description: 'With state: absent, also remove the home directory and mail spool (userdel -r).' },
    },
    allOf: [
      { if: { properties: { state: { const: 'absent' } }, required: ['state'] }, then: { properties: { uid: false, group: false, groups: false, comment: false, shell: false, home: false, password: false, password_lock: false } } },
      { if: { properties: { state: { const: 'present' } } }, then: { properties: { remove: { const: false } } } },
      { if: { properties: { append: { const: true } }, required: ['append'] }, then: { required: ['groups'] } },
    ],
  },
  examples: [
    { name: 'A deploy user in docker', args: { name: 'deploy', uid: 1500, groups: ['docker'], append: true, shell: '/bin/bash' } },
    { name: 'An operator with a password (a hash from mkpasswd -m sha-512; keep it in an encrypted vars file)', args: { name: 'ops', password: '$6$runbooksalt$EpUeJzu3.caFxXoSRv13VZM2ZrBGXUcdvtjv6oy83mQQvswsnOi4Q1EP.DyY2mhok2.sNrJx.N7ZgEsNPBn/m1', groups: ['sudo'] } },
    { name: 'No more legacy account', args: { name: 'olduser', state: 'absent', remove: true } },
  ],
  reversible: true,
  inspect: (host, args) => readAccounts(host, args.name, args.home ?? `/home/${args.name}`),
  // Only this account (its entry, groups, hash, home): other accounts changing since is no conflict.
  readTarget: async (host, args) => {
    const { user, homeExists } = await readAccounts(host, args.name, args.home ?? `/home/${args.name}`);
    return { user, homeExists };
  },
  plan(s, args): Change<UserData>[] {
    if (args.state === 'absent') {
      return s.user ? [{ msg: `remove user ${args.name}${args.remove ? ` and its home ${s.user.home}` : ''}`, diff: { path: `user ${args.name}`, before: describeEntry(s.user), after: '' }, data: { remove: true } }] : [];
    }
    return s.user ? planModify(s.user, args) : planCreate(s, args);
  },
  async apply(host, args, changes, s) {
    const data = changes[0].data;
    if (data.remove) return runTool(host, ['userdel', ...(args.remove ? ['-r'] : []), '--', args.name]);
    if (data.create) {
      const ownGroup = args.group === undefined && s.groups.some((g) => g.name === args.name) ? ['-N'] : [];
      await runTool(host, ['useradd', ...fieldOptions(args, args.groups?.length ? args.groups : undefined), ...ownGroup, args.create_home ? '-m' : '-M', ...(args.system ? ['-r'] : []), '--', args.name]);
    } else {
      const options = fieldOptions(args, data.groups);
      if (options.length > 0) await runTool(host, ['usermod', ...options, '--', args.name]);
    }
    const hash = wantedHash(s.user?.hash ?? '', args);
    if (hash !== undefined && (data.create || data.hash)) await setHash(host, args.name, hash);
  },
  async revert(host, { before, args }) {
    const now = await readAccounts(host, args.name, args.home ?? `/home/${args.name}`);
    const was = before.user;
    if (!was) {
      // Created by the run: remove it, with the home only when the run made that too.
      if (now.user) await runTool(host, ['userdel', ...(before.homeExists ? [] : ['-r']), '--', args.name]);
      return;
    }
    // userdel took the user's own group with it: that group comes back first, with its gid.
    if (!now.groups.some((g) => g.gid === was.gid)) await runTool(host, ['groupadd', '-g', String(was.gid), '--', was.group]);
    const options = ['-u', String(was.uid), '-g', String(was.gid), '-G', was.groups.join(','), '-c', was.comment, '-d', was.home, '-s', was.shell];
    await runTool(host, now.user ? ['usermod', ...options, '--', args.name] : ['useradd', ...options, '-M', '--', args.name]);
    if (was.hash !== undefined) await setHash(host, args.name, was.hash);
    if (was.aging) await setAging(host, args.name, was.aging);
  },
});
