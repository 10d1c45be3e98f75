// The shared plan/apply/revert of "this file should have this content and these attributes" (copy, template).

import type { Change, Host, JournalRecord } from '../../engine/types.js';
import { attributeChanges, formatMode, readFileState, restoreFile, setAttributes, type FileState } from './file-state.js';
import { ModuleError } from '../../engine/errors.js';

export interface ContentArgs {
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  force?: boolean;
}

/** What apply does: write the content, or only set attributes. */
export interface ContentData { write?: boolean; attrs?: boolean }

export interface ContentState {
  file: FileState;
  /** The content the file should have (rendered/read at inspect time). */
  desired: string;
  desiredBinary: boolean;
  mode?: number;
}

export async function inspectContent(host: Host, dest: string, desired: Buffer, mode: number | undefined): Promise<ContentState> {
  const binary = desired.subarray(0, 8000).includes(0);
  return { file: await readFileState(host, dest), desired: binary ? desired.toString('base64') : desired.toString('utf8'), desiredBinary: binary, mode };
}

export function planContent(s: ContentState, args: ContentArgs): Change<ContentData>[] {
  const f = s.file;
  if (f.exists && f.type !== 'file') throw new ModuleError(`${args.dest} exists and is a ${f.type}, not a regular file`);
  const attrs = { mode: s.mode, owner: args.owner, group: args.group };
  if (!f.exists) {
    return [{
      msg: `create ${args.dest} (${Buffer.byteLength(s.desired, s.desiredBinary ? 'base64' : 'utf8')} bytes${s.mode !== undefined ? `, mode ${formatMode(s.mode)}` : ''})`,
      diff: { path: args.dest, before: '', after: s.desiredBinary ? '(binary content)\n' : s.desired },
      data: { write: true },
    }];
  }
  const changes: Change<ContentData>[] = [];
  const differs = f.content !== s.desired || Boolean(f.binary) !== s.desiredBinary;
  if (differs && args.force !== false) {
    changes.push({
      msg: `update ${args.dest}`,
      diff: f.binary || s.desiredBinary ? { path: args.dest, before: '(binary content)\n', after: '(binary content differs)\n' } : { path: args.dest, before: f.content ?? '', after: s.desired },
      data: { write: true },
    });
  }
  const attr = attributeChanges(f, attrs);
  if (attr.length > 0) changes.push({ msg: `${args.dest}: ${attr.join(', ')}`, data: { attrs: true } });
  return changes;
}

export async function applyContent(host: Host, s: ContentState, args: ContentArgs, changes: Change<ContentData>[]): Promise<void> {
  const write = changes.some((c) => c.data.write);
  const attrs = { mode: s.mode, owner: args.owner, group: args.group };
  if (write) await host.writeFile(args.dest, Buffer.from(s.desired, s.desiredBinary ? 'base64' : 'utf8'), attrs);
  else await setAttributes(host, args.dest, attrs);
}

export async function revertContent(host: Host, record: JournalRecord<ContentArgs, ContentState, ContentData>): Promise<void> {
  await restoreFile(host, record.before.file);
}
