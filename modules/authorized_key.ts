// authorized_key: SSH public keys present in (or absent from) a user's authorized_keys, optionally the only ones;
// the file 0600 and the .ssh directory 0700, both owned by the user.

import path from 'node:path';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { ACCOUNT_NAME, readAccounts, runTool } from './lib/accounts.js';
import { attributeChanges, readFileState, restoreFile, setAttributes, type FileState } from './lib/file-state.js';
import { formatKeyLine, parseKeyLine, type KeyLine } from './lib/ssh-keys.js';

interface KeyArgs {
  user: string;
  key: string;
  state: 'present' | 'absent';
  path?: string;
  manage_dir: boolean;
  exclusive: boolean;
  key_options?: string;
  comment?: string;
}

interface KeyState {
  owner: { name: string; group: string; home: string } | null;
  file: FileState;
  dirExists: boolean;
}

/** The keys the arguments name, each with the options and comment it must carry. */
function wantedKeys(args: KeyArgs): KeyLine[] {
  const keys: KeyLine[] = [];
  for (const line of args.key.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
    const k = parseKeyLine(line);
    if (!k) throw new ModuleError(`not an SSH public key: '${line.trim().slice(0, 40)}...' (expected 'ssh-ed25519 AAAA... comment')`);
    keys.push({ ...k, ...(args.key_options !== undefined ? { options: args.key_options } : {}), ...(args.comment !== undefined ? { comment: args.comment } : {}) });
  }
  return keys;
}

/** The new file text (pure): keys matched by type and blob; other keys kept unless exclusive (comments always are). */
export function editKeys(text: string, args: KeyArgs): string {
  const wanted = wantedKeys(args);
  const same = (a: KeyLine, b: KeyLine) => a.type === b.type && a.blob === b.blob;
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  const placed = new Set<KeyLine>();
  for (const line of lines) {
    const k = parseKeyLine(line);
    const match = k && wanted.find((w) => same(w, k));
    if (args.state === 'absent') {
      if (!match) out.push(line);
    } else if (match) {
      // The line becomes the wanted one (its options and comment, as Ansible does); a duplicate of it goes.
      if (!placed.has(match)) out.push(formatKeyLine(match));
      placed.add(match);
    } else if (!args.exclusive || (!k && line.trim().startsWith('#'))) out.push(line);
  }
  if (args.state === 'present') for (const w of wanted) if (!placed.has(w)) out.push(formatKeyLine(w));
  return out.length ? `${out.join('\n')}\n` : '';
}

function keysPath(s: KeyState, args: KeyArgs): string {
  return args.path ?? path.posix.join(s.owner?.home ?? `/home/${args.user}`, '.ssh', 'authorized_keys');
}

/** The keys file, its owner and whether its directory exists. */
async function readKeys(host: Host, args: KeyArgs): Promise<KeyState> {
  const accounts = await readAccounts(host, args.user, `/home/${args.user}`);
  const owner = accounts.user ? { name: args.user, group: accounts.user.group, home: accounts.user.home } : null;
  const file = keysPath({ owner, file: { path: '', exists: false }, dirExists: false }, args);
  return { owner, file: await readFileState(host, file), dirExists: (await host.stat(path.posix.dirname(file)))?.type === 'directory' };
}

/** What apply does: create ~/.ssh, write the file (its new text), set attributes. */
interface KeyData { mkdir?: boolean; write?: string; attrs?: boolean }

export default defineModule<KeyArgs, KeyState, KeyData>({
  name: 'authorized_key',
  doc: 'Make sure SSH public keys are in a user\'s authorized_keys (with options and comment), or not; with exclusive, the only keys there. Keys are matched by type and key, so a changed comment or option updates the line. The file is 0600 and .ssh 0700, owned by the user; rollback restores the file.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['user', 'key'],
    properties: {
      user: { ...ACCOUNT_NAME, description: 'The account whose keys these are (must exist).' },
      key: { type: 'string', minLength: 1, description: 'One public key line (ssh-ed25519 AAAA... comment), or several, one per line.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the keys must be there.' },
      path: { type: 'string', pattern: '^/', patternHint: 'an absolute path', description: 'The file (default ~USER/.ssh/authorized_keys).' },
      manage_dir: { type: 'boolean', default: true, description: 'Create the directory of the file (0700, owned by the user) when missing.' },
      exclusive: { type: 'boolean', default: false, description: 'Remove every other key from the file.' },
      key_options: { type: 'string', title: 'single line', pattern: '^[^\\n]*$', patternHint: 'one line', description: 'sshd options for the keys (from="10.0.0.0/8",no-agent-forwarding).' },
      comment: { type: 'string', title: 'single line', pattern: '^[^\\n]*$', patternHint: 'one line', description: 'The comment after the key, instead of the key\'s own.' },
    },
    allOf: [
      { if: { properties: { state: { const: 'absent' } }, required: ['state'] }, then: { properties: { exclusive: { const: false }, key_options: false, comment: false } } },
    ],
  },
  examples: [
    { name: 'Deploy key for deploy', args: { user: 'deploy', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEx7gY1Jd1ZXcJxNk8rN2aK7bQ6yS3m0cX2mH6n0s8pQ deploy@ci' } },
    { name: 'Only the admin keys, from the office network', args: { user: 'root', key: '{{ lookup_admin_keys }}', exclusive: true, key_options: 'from="10.0.0.0/8"' } },
  ],
  reversible: true,
  // The keys file (and its owner) is all inspect reads: rollback's conflict check reads it again.
  readTarget: readKeys,
  inspect: (host, args) => readKeys(host, args),
  plan(s, args): Change<KeyData>[] {
    if (!s.owner) throw new ModuleError(`user ${args.user} does not exist on this host: create it first (user module)`);
    const file = keysPath(s, args);
    if (s.file.exists && s.file.type !== 'file') throw new ModuleError(`${file} is a ${s.file.type}, not a regular file`);
    const before = s.file.content ?? '';
    const after = editKeys(before, args);
    const changes: Change<KeyData>[] = [];
    if (!s.dirExists && after !== before) {
      if (!args.manage_dir) throw new ModuleError(`${path.posix.dirname(file)} does not exist (manage_dir: true creates it)`);
      changes.push({ msg: `create ${path.posix.dirname(file)} (0700, owner ${args.user})`, data: { mkdir: true } });
    }
    if (after !== before) {
      const verb = args.state === 'absent' ? 'remove keys from' : s.file.exists ? 'update' : 'create';
      changes.push({ msg: `${verb} ${file}`, diff: { path: file, before, after }, data: { write: after } });
    } else if (s.file.exists) {
      const attrs = attributeChanges(s.file, { mode: 0o600, owner: args.user, group: s.owner.group });
      if (attrs.length) changes.push({ msg: `${file}: ${attrs.join(', ')}`, data: { attrs: true } });
    }
    return changes;
  },
  async apply(host: Host, args, changes, s) {
    const file = keysPath(s, args);
    const owner = { owner: args.user, group: s.owner!.group };
    for (const c of changes) {
      const d = c.data;
      if (d.mkdir) await runTool(host, ['install', '-d', '-m', '0700', '-o', owner.owner, '-g', owner.group, '--', path.posix.dirname(file)]);
      if (d.write !== undefined) await host.writeFile(file, d.write, { mode: 0o600, ...owner });
      if (d.attrs) await setAttributes(host, file, { mode: 0o600, ...owner });
    }
  },
  async revert(host, { before, args, changes }) {
    await restoreFile(host, before.file);
    if (changes.some((c) => c.data.mkdir)) await host.run(['rmdir', '--', path.posix.dirname(keysPath(before, args))]);
  },
});
