// State runbook keeps on the controller (.runbook/, the per-user lock folder) is private whatever the umask:
// folders 0700 and files 0600, owned by the user running runbook; state owned by someone else, or writable by
// others, is refused, since another local user could plant a run whose rollback root would then carry out.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '../errors.js';

export class StateError extends RunbookError {
  constructor(message: string) { super('STATE', message); }
}

const uid = () => (typeof process.getuid === 'function' ? process.getuid() : -1);

/** Refuse a file or folder not owned by this user, or writable by group or others, or (for folders) a symlink. */
export async function checkPrivate(target: string, kind: 'folder' | 'file'): Promise<void> {
  const st = await fs.lstat(target);
  const what = kind === 'folder' ? 'state folder' : 'state file';
  if (st.isSymbolicLink()) throw new StateError(`refusing ${what} ${target}: it is a symbolic link`);
  if (kind === 'folder' ? !st.isDirectory() : !st.isFile()) throw new StateError(`refusing ${what} ${target}: not a ${kind}`);
  if (uid() >= 0 && st.uid !== uid()) {
    throw new StateError(`refusing ${what} ${target}: owned by uid ${st.uid}, not by you (uid ${uid()}); another user may have planted it`);
  }
  if ((st.mode & 0o022) !== 0) {
    throw new StateError(`refusing ${what} ${target}: writable by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); check its content, then chmod go-w it`);
  }
}

/** Create (0700, whatever the umask) or check each folder from `base` down to `base/...parts`; returns the last. */
export async function privateFolder(base: string, ...parts: string[]): Promise<string> {
  let dir = base;
  for (const part of parts) {
    dir = path.join(dir, part);
    const made = await fs.mkdir(dir, { mode: 0o700 }).then(() => true, (e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return false;
      throw e;
    });
    if (made) await fs.chmod(dir, 0o700);
    await checkPrivate(dir, 'folder');
  }
  return dir;
}

/** Check a run folder and the state files in it before trusting them (rollback, runs). */
export async function checkRunFolder(projectDir: string, runDir: string, files: string[]): Promise<void> {
  for (const dir of [path.join(projectDir, '.runbook'), path.dirname(runDir), runDir]) await checkPrivate(dir, 'folder');
  for (const f of files) {
    const exists = await fs.lstat(path.join(runDir, f)).then(() => true, () => false);
    if (exists) await checkPrivate(path.join(runDir, f), 'file');
  }
}
