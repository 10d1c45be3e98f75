// Per-host run locks in the user's state folder ($XDG_STATE_HOME/runbook/locks, else ~/.local/state/runbook/locks),
// keyed by the host's identity (how it is reached: ssh address:port, or the local machine), so two project folders
// or two inventory names for one machine never run it at once.

import { randomBytes, createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LockError } from '../errors.js';
import { privateFolder } from '../journal/private-state.js';

/** A host to lock: its inventory name (for messages) and its identity (the key). */
export interface LockTarget { name: string; identity: string }

interface Holder { pid: number; started: string; run: string; host: string; identity: string; since: string; project: string }

/** The per-user state folder runbook keeps locks in. */
export function userStateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'runbook');
}

/** When a process started (clock ticks since boot, /proc/PID/stat field 22): a reused pid is not the holder. */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function isAlive(h: Holder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTimeOf(h.pid);
  return now === '' || h.started === '' || now === h.started;
}

/**
 * One host's lock is a folder; each contender writes its own uniquely named holder file into it (complete, by
 * rename), then lists the folder. It holds the lock only if no other LIVE holder file is there; otherwise it removes
 * its file and backs off. Why two can never both hold: each checks after its own file exists, and a holder's file
 * stays until it releases, so of two overlapping contenders the one that checks second sees the other. Files of
 * dead processes are simply removed: nothing is ever taken over, so there is no takeover to race.
 */
async function tryLock(folder: string, holder: Holder): Promise<{ file?: string; other?: Holder }> {
  const name = `${holder.pid}-${randomBytes(6).toString('hex')}.json`;
  const temp = path.join(path.dirname(folder), `.${name}`);
  await fs.writeFile(temp, JSON.stringify(holder), { mode: 0o600 });
  await fs.rename(temp, path.join(folder, name));
  let other: Holder | undefined;
  for (const entry of await fs.readdir(folder)) {
    if (entry === name) continue;
    const text = await fs.readFile(path.join(folder, entry), 'utf8').catch(() => null);
    if (text === null) continue; // released meanwhile
    let h: Holder | undefined;
    try { h = JSON.parse(text) as Holder; } catch { h = undefined; }
    if (h && typeof h.pid === 'number' && isAlive(h)) other ??= h;
    else await fs.rm(path.join(folder, entry), { force: true }); // a dead holder's (or garbage): never valid again
  }
  if (!other) return { file: path.join(folder, name) };
  await fs.rm(path.join(folder, name), { force: true });
  return { other };
}

/** Take every host's lock or none. Contenders arriving together retry a few times (bounded) before giving up. */
export async function acquireHostLocks(stateDir: string, hosts: LockTarget[], run: string, projectDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(path.dirname(stateDir), { recursive: true, mode: 0o700 });
  const locks = await privateFolder(path.dirname(stateDir), path.basename(stateDir), 'locks');
  const taken: string[] = [];
  const release = async () => { await Promise.all(taken.map((f) => fs.rm(f, { force: true }))); };
  const started = startTimeOf(process.pid);
  // Several inventory names for one machine in the same run share its one lock.
  const unique = [...new Map(hosts.map((h) => [h.identity, h])).values()];
  for (const host of unique) {
    const key = createHash('sha256').update(host.identity).digest('hex').slice(0, 32);
    const folder = await privateFolder(locks, key);
    const holder: Holder = { pid: process.pid, started, run, host: host.name, identity: host.identity, since: new Date().toISOString(), project: projectDir };
    let result = await tryLock(folder, holder);
    for (let attempt = 1; !result.file && attempt < 5; attempt++) {
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 80)));
      result = await tryLock(folder, holder);
    }
    if (!result.file) {
      await release();
      const h = result.other!;
      throw new LockError(
        `host '${host.name}' is locked by run ${h.run} (pid ${h.pid}, since ${h.since}; it holds ${h.identity} as '${h.host}' from ${h.project}); wait for it to finish`,
        { host: host.name },
      );
    }
    taken.push(result.file);
  }
  return release;
}
