// The shared plan/apply/revert of "this file should have this content and these attributes" (copy, template).

import { createHash } from 'node:crypto';
import type { ApplyResult, Change, Host, JournalRecord } from '../../engine/types.js';
import { backupBeforeChange, removeBackup } from './backup-file.js';
import { attributeChanges, contentBuffer, formatMode, keepLarge, parseMode, readFileState, restoreFile, setAttributes, type FileState } from './file-state.js';
import { ModuleError } from '../../engine/errors.js';
import { uploadFile } from '../../engine/connection/chunked-transfer.js';
import { validateAttributes, validateBeforeWrite } from './validate-file.js';

export interface ContentArgs {
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  force?: boolean;
  validate?: string;
  backup?: boolean;
}

/** What apply does: write the content, or only set attributes. */
export interface ContentData { write?: boolean; attrs?: boolean }

export interface ContentState {
  file: FileState;
  /** The content the file should have (rendered/read at inspect time); absent for a large controller file. */
  desired?: string;
  desiredBinary: boolean;
  /** A controller file over LARGE_FILE_BYTES (copy's src): compared by sha256, streamed at apply, never held whole. */
  desiredFile?: string;
  desiredSha256?: string;
  desiredSize?: number;
  mode?: number;
}

/** A large controller file, named rather than read. */
export interface LargeSource { file: string; sha256: string; size: number }

/** The file as it is and as it should be; a symbolic `mode` is applied to the file's current mode. */
export async function inspectContent(host: Host, dest: string, desired: Buffer | LargeSource, modeArg: unknown): Promise<ContentState> {
  const file = await readFileState(host, dest, 'bounded');
  const mode = parseMode(modeArg, file);
  if (!Buffer.isBuffer(desired)) return { file, desiredBinary: true, desiredFile: desired.file, desiredSha256: desired.sha256, desiredSize: desired.size, mode };
  const binary = desired.subarray(0, 8000).includes(0);
  return { file, desired: binary ? desired.toString('base64') : desired.toString('utf8'), desiredBinary: binary, mode };
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const desiredBuffer = (s: ContentState) => Buffer.from(s.desired ?? '', s.desiredBinary ? 'base64' : 'utf8');

/** Same content? Text against text when both were read; otherwise by sha256 (a large file on either side). */
function sameContent(f: FileState, s: ContentState): boolean {
  if (s.desired !== undefined && f.content !== undefined) return f.content === s.desired && Boolean(f.binary) === s.desiredBinary;
  return (f.sha256 ?? sha256(contentBuffer(f))) === (s.desiredSha256 ?? sha256(desiredBuffer(s)));
}

function describeLarge(size: number | undefined, digest: string | undefined): string {
  return `(large file: ${size} bytes, sha256 ${digest})\n`;
}

function contentDiff(dest: string, f: FileState, s: ContentState) {
  if (f.sha256 !== undefined || s.desiredFile !== undefined) {
    return { path: dest, before: f.sha256 !== undefined ? describeLarge(f.size, f.sha256) : '(content)\n', after: s.desiredFile !== undefined ? describeLarge(s.desiredSize, s.desiredSha256) : '(content)\n' };
  }
  if (f.binary || s.desiredBinary) return { path: dest, before: '(binary content)\n', after: '(binary content differs)\n' };
  return { path: dest, before: f.content ?? '', after: s.desired ?? '' };
}

export function planContent(s: ContentState, args: ContentArgs): Change<ContentData>[] {
  const f = s.file;
  if (f.exists && f.type !== 'file') throw new ModuleError(`${args.dest} exists and is a ${f.type}, not a regular file`);
  const attrs = { mode: s.mode, owner: args.owner, group: args.group };
  if (!f.exists) {
    return [{
      msg: `create ${args.dest} (${s.desiredSize ?? desiredBuffer(s).length} bytes${s.mode !== undefined ? `, mode ${formatMode(s.mode)}` : ''})`,
      diff: { path: args.dest, before: '', after: s.desiredFile !== undefined ? describeLarge(s.desiredSize, s.desiredSha256) : s.desiredBinary ? '(binary content)\n' : s.desired ?? '' },
      data: { write: true },
    }];
  }
  const changes: Change<ContentData>[] = [];
  if (!sameContent(f, s) && args.force !== false) {
    const kept = keepLarge(f);
    const lost = kept.irreversible ? ` (its ${f.size} bytes are more than rollback keeps: this cannot be undone)` : '';
    changes.push({ msg: `update ${args.dest}${lost}`, diff: contentDiff(args.dest, f, s), data: { write: true }, ...kept });
  }
  const attr = attributeChanges(f, attrs);
  if (attr.length > 0) changes.push({ msg: `${args.dest}: ${attr.join(', ')}`, data: { attrs: true } });
  return changes;
}

/** Validates (validate), backs up (backup), then writes; the backup's name is registered and revert removes it. */
export async function applyContent(host: Host, s: ContentState, args: ContentArgs, changes: Change<ContentData>[]): Promise<ApplyResult | undefined> {
  const write = changes.some((c) => c.data.write);
  const attrs = { mode: s.mode, owner: args.owner, group: args.group };
  const run: Parameters<typeof uploadFile>[0] = (argv, opts) => host.run(argv, opts);
  if (write && args.validate) {
    await validateBeforeWrite(host, args.validate, async (tmp) => {
      if (s.desiredFile !== undefined) await uploadFile(run, s.desiredFile, tmp, validateAttributes(attrs), s.desiredSha256);
      else await host.writeFile(tmp, desiredBuffer(s), validateAttributes(attrs));
    }, 'copy');
  }
  const backup = write ? await backupBeforeChange(host, args.dest, args.backup, s.file.exists) : undefined;
  if (write && s.desiredFile !== undefined) await uploadFile(run, s.desiredFile, args.dest, attrs, s.desiredSha256);
  else if (write) await host.writeFile(args.dest, desiredBuffer(s), attrs);
  else await setAttributes(host, args.dest, attrs);
  return backup;
}

export async function revertContent(host: Host, record: JournalRecord<ContentArgs, ContentState, ContentData>): Promise<void> {
  await restoreFile(host, record.before.file, record.kept);
  await removeBackup(host, record.undo);
}
