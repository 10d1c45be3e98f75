// Files with the task's privileges: when a task becomes another user, reads and writes go through the sudo'd
// command runner (the login user's SFTP session would get "Permission denied" on root-owned files).

import { atomicWriteArgv } from '../connection/atomic-write.js';
import { ModuleError } from '../errors.js';
import type { ExecResult, FileStat, RunOptions, WriteFileOptions } from '../types.js';

type Run = (argv: string[], opts?: RunOptions) => Promise<ExecResult>;

const MISSING = 3;

function failure(action: string, file: string, res: ExecResult): ModuleError {
  return new ModuleError(`cannot ${action} ${file}: ${res.stderr.trim() || `exit ${res.code}`}`);
}

export async function becomeReadFile(run: Run, file: string): Promise<Buffer | null> {
  const res = await run(['sh', '-c', `[ -e "$1" ] || exit ${MISSING}; base64 -w0 -- "$1"`, 'sh', file]);
  if (res.code === MISSING) return null;
  if (res.code !== 0) throw failure('read', file, res);
  return Buffer.from(res.stdout, 'base64');
}

export async function becomeWriteFile(run: Run, file: string, data: string | Buffer, opts: WriteFileOptions = {}): Promise<void> {
  // Atomic like the transports' writeFile: a 0600 temp file beside the target, mode/owner as asked or kept, fsync, rename.
  const res = await run(atomicWriteArgv(file, undefined, opts), { stdin: Buffer.isBuffer(data) ? data : Buffer.from(data) });
  if (res.code !== 0) throw failure('write', file, res);
}

const TYPES: Record<string, FileStat['type']> = { 'regular file': 'file', 'regular empty file': 'file', directory: 'directory', 'symbolic link': 'link' };

export async function becomeStat(run: Run, file: string): Promise<FileStat | null> {
  const script = `[ -e "$1" ] || [ -L "$1" ] || exit ${MISSING}; stat -c '%F|%a|%u|%g|%s|%U|%G' -- "$1"; if [ -L "$1" ]; then readlink -- "$1"; fi`;
  const res = await run(['sh', '-c', script, 'sh', file]);
  if (res.code === MISSING) return null;
  if (res.code !== 0) throw failure('stat', file, res);
  const [line, target] = res.stdout.replace(/\n$/, '').split('\n');
  const [kind, mode, uid, gid, size, owner, group] = line.split('|');
  const type = TYPES[kind] ?? 'other';
  return {
    type, mode: parseInt(mode, 8), uid: Number(uid), gid: Number(gid), size: Number(size),
    owner: owner === 'UNKNOWN' ? undefined : owner, group: group === 'UNKNOWN' ? undefined : group,
    target: type === 'link' ? target : undefined,
  };
}
