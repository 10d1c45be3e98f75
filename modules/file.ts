// file: a path is a directory, an empty file, a symlink, or absent — with mode and owner.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { isSymbolicMode, MODE_PATTERN } from './lib/symbolic-mode.js';
import { attributeChanges, formatMode, keepLarge, MAX_KEPT_BYTES, parseMode, readFileState, restoreFile, setAttributes, type FileState } from './lib/file-state.js';
import { restoreDirectory } from '../engine/connection/chunked-transfer.js';
import { absolutePath, oneLine, userName } from './lib/arg-kinds.js';
import { mustRun } from './lib/must-run.js';
import { MAX_TREE_KEPT, restoreTree, setTree, treeToChange, wantedMode, type TreeEntry } from './lib/file-recurse.js';

interface FileArgs {
  path: string;
  state: 'file' | 'directory' | 'absent' | 'touch' | 'link';
  mode?: string | number;
  owner?: string;
  group?: string;
  src?: string;
  recurse?: boolean;
  follow: boolean;
}

interface FileInspect {
  file: FileState;
  /** For state absent on a directory: its size in bytes (du -sb); up to MAX_KEPT_BYTES the engine keeps a copy. */
  size?: number;
  /** recurse: the paths under it whose attributes change, with their old ones; only a count when there are too many. */
  tree?: TreeEntry[];
  treeCount?: number;
}

/** What apply does: remove the path, create it, relink it, or set its attributes. */
interface FileData { remove?: boolean; create?: boolean; relink?: boolean; attrs?: boolean; mode?: number; tree?: boolean }

async function run(host: Host, argv: string[]): Promise<string> {
  return (await mustRun(host, argv)).stdout;
}

/** Removing a path: what rollback needs is kept beside the journal (ChangeBase.keep), or said to be lost up front. */
function planRemoval(file: FileState, size: number | undefined, target: string): Change<FileData>[] {
  if (!file.exists) return [];
  const lost = (bytes: number | undefined) => ` (${((bytes ?? 0) / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_KEPT_BYTES / 1024 / 1024} MB rollback keeps: this removal cannot be undone)`;
  if (file.type === 'directory') {
    // Said before it happens (plan, check mode), not discovered at rollback.
    if ((size ?? 0) > MAX_KEPT_BYTES) return [{ msg: `remove directory ${target}${lost(size)}`, data: { remove: true }, irreversible: true }];
    return [{ msg: `remove directory ${target}`, data: { remove: true }, keep: { path: target, kind: 'directory' } }];
  }
  if (file.sha256 !== undefined) {
    const kept = keepLarge(file);
    return [{ msg: `remove file ${target}${kept.irreversible ? lost(file.size) : ''}`, data: { remove: true }, ...kept }];
  }
  return [{ msg: `remove ${file.type} ${target}`, diff: file.type === 'file' && !file.binary ? { path: target, before: file.content ?? '', after: '' } : undefined, data: { remove: true } }];
}

/** The changes for the wanted state, before the mode is attached. */
function planState(file: FileState, size: number | undefined, args: FileArgs, want: { mode?: number; owner?: string; group?: string }): Change<FileData>[] {
  const attrs = (what: string): Change<FileData>[] => {
    const diffs = attributeChanges(file, want);
    return diffs.length ? [{ msg: `${what} ${args.path}: ${diffs.join(', ')}`, data: { attrs: true } }] : [];
  };
  switch (args.state) {
    case 'absent':
      return planRemoval(file, size, args.path);
    case 'directory':
      if (!file.exists) return [{ msg: `create directory ${args.path}${want.mode !== undefined ? ` (mode ${formatMode(want.mode)})` : ''}`, data: { create: true } }];
      if (file.type !== 'directory') throw new ModuleError(`${args.path} exists and is a ${file.type}, not a directory`);
      return attrs('directory');
    case 'touch':
      if (!file.exists) return [{ msg: `create empty file ${args.path}`, data: { create: true } }];
      return attrs('file');
    case 'file':
      if (!file.exists) throw new ModuleError(`${args.path} does not exist (state: file manages an existing file; use touch or copy to create it)`);
      return attrs(file.type ?? 'file');
    case 'link': {
      if (!file.exists) return [{ msg: `link ${args.path} → ${args.src}`, data: { create: true } }];
      if (file.type !== 'link') throw new ModuleError(`${args.path} exists and is a ${file.type}, not a symlink`);
      if (file.target !== args.src) return [{ msg: `relink ${args.path}: ${file.target} → ${args.src}`, data: { relink: true } }];
      return attrs('link');
    }
  }
}

export default defineModule<FileArgs, FileInspect, FileData>({
  name: 'file',
  doc: 'Make a path a directory, an (empty) file, a symlink, or absent, with the given mode and owner. Rollback removes what it created and restores what it removed.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    allOf: [
      { if: { properties: { state: { const: 'link' } }, required: ['state'] }, then: { required: ['src'] } },
      { if: { properties: { recurse: { const: true } }, required: ['recurse'] }, then: { properties: { state: { const: 'directory' } }, required: ['state'] } },
    ],
    properties: {
      path: { ...absolutePath, description: 'Absolute path on the host.' },
      state: { enum: ['file', 'directory', 'absent', 'touch', 'link'], default: 'file', description: 'directory: create (with parents); touch: create an empty file if missing; file: must already exist (only attributes are managed); link: a symlink to src; absent: remove (recursively).' },
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Permissions as an octal string ("0755") or a symbolic mode as chmod takes it ("u=rwx,go=rx", "go-w", "+x"), applied to the current mode.' },
      owner: { ...userName, description: 'Owner user name.' },
      group: { ...userName, description: 'Group name.' },
      src: { ...oneLine, description: 'Link target (state: link).' },
      recurse: { type: 'boolean', default: false, description: 'With state: directory, set mode, owner and group on everything under it too, as Ansible does (an octal mode gives files the directories\' mode: use a symbolic one like "u=rwX,go=rX"). A symlink gets owner and group on itself, and with follow what it points to gets all three (a linked directory\'s contents too).' },
      follow: { type: 'boolean', default: true, description: 'With recurse: also set the attributes of what symlinks under the directory point to, as Ansible\'s follow (its default).' },
    },
  },
  examples: [
    { name: 'A directory for etcd data', args: { path: '/mnt/root/var/lib/etcd', state: 'directory', mode: '0700' } },
    { name: 'Remove a stale file', args: { path: '/etc/yum.repos.d/old.repo', state: 'absent' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const file = await readFileState(host, args.path, args.state === 'absent' ? 'bounded' : false);
    if (args.state === 'absent' && file.exists && file.type === 'directory') {
      return { file, size: Number((await run(host, ['du', '-sb', '--', args.path])).split(/\s/)[0]) };
    }
    if (args.recurse && file.exists && file.type === 'directory' && (args.mode !== undefined || args.owner !== undefined || args.group !== undefined)) {
      const tree = await treeToChange(host, args.path, args);
      return tree.length > MAX_TREE_KEPT ? { file, treeCount: tree.length } : { file, tree };
    }
    return { file };
  },
  readTarget: (host, args) => readFileState(host, args.path, false),
  plan({ file, size, tree, treeCount }, args): Change<FileData>[] {
    const want = { mode: parseMode(args.mode, file, args.state === 'directory' ? 'directory' : 'file'), owner: args.owner, group: args.group };
    const changes = planState(file, size, args, want);
    const count = treeCount ?? tree?.length ?? 0;
    if (count > 0) {
      const what = [args.mode !== undefined ? `mode ${args.mode}` : '', args.owner !== undefined ? `owner ${args.owner}` : '', args.group !== undefined ? `group ${args.group}` : ''].filter(Boolean).join(', ');
      const lost = treeCount ? ` (more than the ${MAX_TREE_KEPT} whose old attributes rollback keeps: this cannot be undone)` : '';
      changes.push({ msg: `set ${what} on ${count} path(s) under ${args.path}${lost}`, data: { tree: true }, ...(treeCount ? { irreversible: true } : {}) });
    }
    // A symbolic mode depends on the mode at plan time: apply sets what was planned.
    return typeof args.mode === 'string' && isSymbolicMode(args.mode) ? changes.map((c) => ({ ...c, data: { ...c.data, mode: want.mode } })) : changes;
  },
  async apply(host, args, changes, current) {
    const data: FileData = Object.assign({}, ...changes.map((c) => c.data));
    // A symbolic mode was resolved against the file's mode at plan time.
    const want = { mode: data.mode ?? parseMode(args.mode), owner: args.owner, group: args.group };
    if (data.remove) await run(host, ['rm', '-rf', '--', args.path]);
    if (data.create && args.state === 'directory') await run(host, ['mkdir', '-p', '--', args.path]);
    if (data.create && args.state === 'touch') await host.writeFile(args.path, '', { mode: want.mode ?? 0o644 });
    if ((data.create || data.relink) && args.state === 'link') await run(host, ['ln', '-sfn', '--', args.src!, args.path]);
    if (data.create || data.attrs || data.relink) await setAttributes(host, args.path, want, args.state === 'link');
    if (data.tree) {
      // The paths inspect listed (no second walk of the tree); re-listed only when there were too many to keep.
      const entries = current.tree ?? await treeToChange(host, args.path, args);
      // Only what differs: a chown that changes nothing would still clear a file's setuid bit.
      await setTree(host, entries.map((e) => ({
        path: e.path, followed: e.followed, owner: args.owner !== e.owner ? args.owner : undefined, group: args.group !== e.group ? args.group : undefined,
        mode: wantedMode(e, args.mode) !== e.mode ? wantedMode(e, args.mode) : undefined,
      })));
    }
  },
  async revert(host, { before, args, kept }) {
    if (before.tree?.length) await restoreTree(host, args.path, before.tree);
    const f = before.file;
    const now = await host.stat(args.path);
    if (!f.exists) {
      if (!now) return;
      // Only what this task created is removed; a directory someone filled since is left (rmdir refuses).
      await run(host, now.type === 'directory' ? ['rmdir', '--', args.path] : ['rm', '-f', '--', args.path]);
      return;
    }
    if (!now) {
      if (f.type === 'file') await restoreFile(host, f, kept);
      else if (f.type === 'link') await run(host, ['ln', '-s', '--', f.target!, args.path]);
      else if (f.type === 'directory') {
        const copy = kept?.[args.path];
        if (!copy) throw new ModuleError(`${args.path} was a directory too large to keep for rollback; it cannot be restored`);
        await restoreDirectory((argv, opts) => host.run(argv, opts), copy, args.path);
      }
    } else if (f.type === 'link' && now.type === 'link' && now.target !== f.target) {
      await run(host, ['ln', '-sfn', '--', f.target!, args.path]);
      return;
    }
    if (f.type !== 'link') await setAttributes(host, args.path, { mode: f.mode, owner: f.owner, group: f.group });
  },
});
