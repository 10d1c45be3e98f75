// The shared inspect/plan/apply/revert of a module that edits a text file in place (blockinfile, ini_file): the file
// (a symlink followed), missing parent folders created, mode/owner/group, Ansible's backup and validate; rollback
// puts the file back byte for byte and removes what the edit created.

import path from 'node:path';
import { ModuleError } from '../../engine/errors.js';
import type { Change, Host, JournalRecord } from '../../engine/types.js';
import { attributeChanges, formatMode, parseMode, readFileState, restoreFile, setAttributes, type FileState } from './file-state.js';
import { backupBeforeChange, removeBackup } from './backup-file.js';
import { mustRun } from './must-run.js';
import { validateBeforeWrite } from './validate-file.js';

export interface TextEditArgs {
  path: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
  validate?: string;
}

export interface TextEditState {
  /** The file edited: the symlink's target when `path` is a symlink. */
  file: FileState;
  /** The topmost folder above a missing file that does not exist either (created by apply, removed by revert). */
  missingDirectory?: string;
  /** `path` was a symlink to this target, which the edit replaces by a regular file (ini_file without follow). */
  replacedLink?: string;
}

export interface TextEditData { after?: string; attrs?: boolean }

/** What the module's own edit makes of the text; `changed` false: leave the file alone. */
export interface EditOutcome { text: string; changed: boolean; msg: string }

/**
 * Read the file (through a symlink) and find the first missing folder above it. follow false: the edit replaces the
 * symlink by a regular file (as Ansible's ini_file without follow does), with the content and attributes read through it.
 */
export async function inspectTextFile(host: Host, file: string, follow = true): Promise<TextEditState> {
  let state = await readFileState(host, file);
  if (state.exists && state.type === 'link') {
    const link = state.target;
    const real = (await mustRun(host, ['readlink', '-f', '--', file], `resolving the symlink ${file}`)).stdout.trim();
    state = await readFileState(host, real);
    if (!follow && state.exists) return { file: { ...state, path: file }, replacedLink: link };
  }
  if (state.exists) return { file: state };
  let missingDirectory: string | undefined;
  for (let dir = path.posix.dirname(file); dir !== '/' && dir !== '.' && !(await host.stat(dir)); dir = path.posix.dirname(dir)) missingDirectory = dir;
  return { file: state, missingDirectory };
}

/** The attributes asked for (a symbolic mode applied to the file's current mode). */
function wantedAttributes(state: TextEditState, args: TextEditArgs) {
  return { mode: parseMode(args.mode, state.file), owner: args.owner, group: args.group };
}

/** The changes: the new text (diff of the whole file) and the attributes that differ. */
export function planTextEdit(state: TextEditState, args: TextEditArgs, edit: (text: string | undefined) => EditOutcome): Change<TextEditData>[] {
  const file = state.file;
  if (file.exists && file.type === 'directory') throw new ModuleError(`${args.path} is a directory, not a file`);
  if (file.exists && (file.type !== 'file' || file.binary)) throw new ModuleError(`${args.path} is not a text file`);
  const before = file.exists ? file.content ?? '' : undefined;
  const outcome = edit(before);
  const changes: Change<TextEditData>[] = [];
  const attrs = wantedAttributes(state, args);
  if (outcome.changed) {
    const created = before === undefined ? ` (created${attrs.mode !== undefined ? `, mode ${formatMode(attrs.mode)}` : ''})` : '';
    changes.push({ msg: `${outcome.msg} in ${args.path}${created}`, diff: { path: args.path, before: before ?? '', after: outcome.text }, data: { after: outcome.text } });
  }
  const differs = file.exists ? attributeChanges(file, attrs) : [];
  if (differs.length > 0) changes.push({ msg: `${args.path}: ${differs.join(', ')}`, data: { attrs: true } });
  return changes;
}

/** Carry out the plan; the backup file, when one was made, is registered and removed again by revert. */
export async function applyTextEdit(host: Host, state: TextEditState, args: TextEditArgs, changes: Change<TextEditData>[]) {
  const after = changes.find((change) => change.data.after !== undefined)?.data.after;
  const attrs = wantedAttributes(state, args);
  const target = state.file.path;
  if (after === undefined) {
    await setAttributes(host, target, attrs);
    return;
  }
  if (args.validate !== undefined) await validateBeforeWrite(host, args.validate, (tmp) => host.writeFile(tmp, after, { mode: 0o600 }), 'edit');
  const backup = await backupBeforeChange(host, target, args.backup, state.file.exists);
  if (state.missingDirectory !== undefined) await mustRun(host, ['mkdir', '-p', '--', path.posix.dirname(target)], `creating the folder of ${target}`);
  const kept = state.replacedLink !== undefined ? { mode: attrs.mode ?? state.file.mode, owner: attrs.owner ?? state.file.owner, group: attrs.group ?? state.file.group } : attrs;
  await host.writeFile(target, after, state.file.exists ? kept : { ...attrs, mode: attrs.mode ?? 0o644 });
  return backup;
}

/** The folders apply created above the file, deepest first. */
function createdFolders(file: string, top: string): string[] {
  const out: string[] = [];
  for (let dir = path.posix.dirname(file); dir.length >= top.length && dir !== '/'; dir = path.posix.dirname(dir)) out.push(dir);
  return out;
}

/** The file back as it was (byte for byte), the folders and the backup apply created removed. */
export async function revertTextEdit(host: Host, record: JournalRecord<TextEditArgs, TextEditState, TextEditData>): Promise<void> {
  const link = record.before.replacedLink;
  if (link !== undefined) await mustRun(host, ['ln', '-sfn', '--', link, record.before.file.path], `restoring the symlink ${record.before.file.path}`);
  else await restoreFile(host, record.before.file);
  const top = record.before.missingDirectory;
  if (top !== undefined) await mustRun(host, ['rmdir', '--', ...createdFolders(record.before.file.path, top)], `removing the folders created for ${record.before.file.path}`);
  await removeBackup(host, record.undo);
}

/** What the engine fingerprints after apply and before revert: the edited file. */
export async function readEditedFile(host: Host, file: string, follow = true): Promise<FileState> {
  return (await inspectTextFile(host, file, follow)).file;
}
