// Per-host run locks under .runbook/locks: a second run against the same hosts fails clearly instead of racing.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LockError } from '../errors.js';

interface LockInfo { pid: number; run: string; since: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockFile(projectDir: string, host: string): string {
  return path.join(projectDir, '.runbook', 'locks', `${encodeURIComponent(host)}.lock`);
}

/** Take every host's lock or none; a lock left by a dead process is taken over. */
export async function acquireHostLocks(projectDir: string, hosts: string[], run: string): Promise<() => Promise<void>> {
  await fs.mkdir(path.join(projectDir, '.runbook', 'locks'), { recursive: true });
  const taken: string[] = [];
  const release = async () => {
    await Promise.all(taken.map((f) => fs.rm(f, { force: true })));
  };
  const info: LockInfo = { pid: process.pid, run, since: new Date().toISOString() };
  for (const host of hosts) {
    const file = lockFile(projectDir, host);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.writeFile(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
        taken.push(file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const held = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}')) as Partial<LockInfo>;
        if (held.pid && alive(held.pid) && attempt === 0) {
          await release();
          throw new LockError(
            `host '${host}' is locked by run ${held.run} (pid ${held.pid}, since ${held.since}); wait for it to finish, or remove ${file} if that process is gone`,
            { host },
          );
        }
        await fs.rm(file, { force: true }); // stale: its process is gone
      }
    }
  }
  return release;
}
