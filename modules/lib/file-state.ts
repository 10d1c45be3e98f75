// What modules know about one file on a host, and how to put it back: shared by copy, template, lineinfile, file.

import { ModuleError } from '../../engine/errors.js';
import type { FileStat, Host } from '../../engine/types.js';
import { mustRun } from './must-run.js';
import { applySymbolicMode, isSymbolicMode } from './symbolic-mode.js';
import { sha256OnHost, uploadFile } from '../../engine/connection/chunked-transfer.js';

/** Files larger than this are compared by sha256 and kept for rollback as files beside the journal, not read into it. */
export const LARGE_FILE_BYTES = 4 * 1024 * 1024;
/** The most rollback keeps of one file or directory; removing or replacing more is marked irreversible before it happens. */
export const MAX_KEPT_BYTES = 256 * 1024 * 1024;

export interface FileState {
  path: string;
  exists: boolean;
  type?: FileStat['type'];
  /** Text content (utf8) of a regular file; base64 when binary. */
  content?: string;
  binary?: boolean;
  /** A regular file over LARGE_FILE_BYTES read with 'bounded': its sha256 and size instead of its content. */
  sha256?: string;
  size?: number;
  mode?: number;
  owner?: string;
  group?: string;
  target?: string;
}

/**
 * Normalise a mode given as "0644", "644", 0o644 or the YAML 1.2 integer 644 to its permission bits; a symbolic mode
 * ("u=rw,go=r", "go-w", "+x") is applied to the file's current mode, or to the default of one still to be created
 * (0644 for a file, 0755 for a directory).
 */
export function parseMode(mode: unknown, file?: Pick<FileState, 'exists' | 'mode' | 'type'>, creating: 'file' | 'directory' = 'file'): number | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  const text = typeof mode === 'number' ? String(mode) : String(mode).trim();
  if (typeof mode === 'string' && isSymbolicMode(text)) {
    const directory = file?.exists ? file.type === 'directory' : creating === 'directory';
    const current = file?.exists && file.mode !== undefined ? file.mode : directory ? 0o755 : 0o644;
    return applySymbolicMode(text, current, directory);
  }
  if (!/^0?[0-7]{3,4}$/.test(text)) throw new ModuleError(`invalid mode ${JSON.stringify(mode)}: use an octal string like "0644" or a symbolic mode like "u=rw,go=r"`);
  return parseInt(text, 8);
}

export function formatMode(mode: number | undefined): string {
  return mode === undefined ? '-' : `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/**
 * Read a file's state (content included for regular files). 'bounded': a file over LARGE_FILE_BYTES gets its sha256
 * and size instead, so a large file never passes through memory or the journal.
 */
export async function readFileState(host: Host, path: string, withContent: boolean | 'bounded' = true): Promise<FileState> {
  const st = await host.stat(path);
  if (!st) return { path, exists: false };
  const state: FileState = { path, exists: true, type: st.type, mode: st.mode, owner: st.owner ?? String(st.uid), group: st.group ?? String(st.gid), target: st.target };
  if (withContent === 'bounded' && st.type === 'file' && st.size > LARGE_FILE_BYTES) {
    state.sha256 = await sha256OnHost((argv, opts) => host.run(argv, opts), path);
    state.size = st.size;
  } else if (withContent && st.type === 'file') {
    const buf = (await host.readFile(path)) ?? Buffer.alloc(0);
    state.binary = isBinary(buf);
    state.content = state.binary ? buf.toString('base64') : buf.toString('utf8');
  }
  return state;
}

export function contentBuffer(s: Pick<FileState, 'content' | 'binary'>): Buffer {
  return Buffer.from(s.content ?? '', s.binary ? 'base64' : 'utf8');
}

/** The large file's copy kept for rollback, for the plan to ask for (keep) or to mark irreversible when too large. */
export function keepLarge(file: FileState): { keep?: { path: string; kind: 'file' }; irreversible?: boolean } {
  if (file.sha256 === undefined) return {};
  return (file.size ?? 0) > MAX_KEPT_BYTES ? { irreversible: true } : { keep: { path: file.path, kind: 'file' } };
}

/**
 * Put a regular file back as it was (or remove it when it did not exist). A large file comes back from the copy the
 * engine kept (`kept`, from the journal record), checked against its recorded sha256.
 */
export async function restoreFile(host: Host, before: FileState, kept?: Record<string, string>): Promise<void> {
  if (!before.exists) {
    await mustRun(host, ['rm', '-f', '--', before.path], `removing ${before.path}`);
    return;
  }
  if (before.type !== 'file') throw new ModuleError(`cannot restore ${before.path}: it was a ${before.type}, not a regular file`);
  if (before.sha256 !== undefined) {
    const copy = kept?.[before.path];
    if (!copy) throw new ModuleError(`${before.path} (${before.size} bytes) was too large to keep for rollback; it cannot be restored`);
    await uploadFile((argv, opts) => host.run(argv, opts), copy, before.path, { mode: before.mode, owner: before.owner, group: before.group }, before.sha256);
    return;
  }
  await host.writeFile(before.path, contentBuffer(before), { mode: before.mode, owner: before.owner, group: before.group });
}

/** chmod / chown through commands (argv, never a shell line). */
export async function setAttributes(host: Host, path: string, attrs: { mode?: number; owner?: string; group?: string }, symlink = false): Promise<void> {
  if (attrs.owner !== undefined || attrs.group !== undefined) {
    const spec = `${attrs.owner ?? ''}${attrs.group !== undefined ? `:${attrs.group}` : ''}`;
    await mustRun(host, ['chown', ...(symlink ? ['-h'] : []), spec, '--', path], `chown ${spec} ${path}`);
  }
  if (attrs.mode !== undefined && !symlink) {
    await mustRun(host, ['chmod', formatMode(attrs.mode), '--', path], `chmod ${formatMode(attrs.mode)} ${path}`);
  }
}

/** Human messages for mode/owner/group differences. */
export function attributeChanges(current: FileState, want: { mode?: number; owner?: string; group?: string }): string[] {
  const out: string[] = [];
  if (want.mode !== undefined && current.mode !== want.mode) out.push(`mode ${formatMode(current.mode)} → ${formatMode(want.mode)}`);
  if (want.owner !== undefined && current.owner !== want.owner) out.push(`owner ${current.owner} → ${want.owner}`);
  if (want.group !== undefined && current.group !== want.group) out.push(`group ${current.group} → ${want.group}`);
  return out;
}
