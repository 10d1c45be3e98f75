// `backup: true` (copy, template, lineinfile, replace): before an existing file changes, a copy beside it named as
// Ansible names it (FILE.PID.YYYY-MM-DD@HH:MM:SS~), registered as Ansible's module does (backup_file; lineinfile:
// backup). Rollback removes that copy too.

import type { ApplyResult, Host } from '../../engine/types.js';
import { mustRun } from './must-run.js';

export const backupArgument = {
  type: 'boolean',
  default: false,
  description: 'Before changing an existing file, copy it beside itself (FILE.PID.YYYY-MM-DD@HH:MM:SS~, as Ansible names it; mode and owner kept), registered as backup_file (lineinfile: backup, as in Ansible). Rollback removes the copy with the change.',
} as const;

/** Copies path when asked and it exists; what apply returns so the name is registered and rollback can remove it. */
export async function backupBeforeChange(host: Host, path: string, wanted: boolean | undefined, exists: boolean, key = 'backup_file'): Promise<ApplyResult | undefined> {
  if (!wanted || !exists) return undefined;
  const backup = await backupCopy(host, path);
  return { result: { [key]: backup }, undo: { backup_file: backup } };
}

/** The copy itself; its name. The remote shell's PID and the host's local time, as Ansible uses its module's. */
export async function backupCopy(host: Host, path: string): Promise<string> {
  const script = 'b="$1.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$1" "$b" && printf %s "$b"';
  return (await mustRun(host, ['sh', '-c', script, 'sh', path], `back up ${path}`)).stdout;
}

/** Rollback: the copy this change made goes with it. */
export async function removeBackup(host: Host, undo: unknown): Promise<void> {
  const backup = (undo as { backup_file?: string } | undefined)?.backup_file;
  if (backup) await mustRun(host, ['rm', '-f', '--', backup], `remove the backup ${backup}`);
}
