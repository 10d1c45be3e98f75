// The rollback journal: .runbook/runs/<run>/journal.jsonl, one line per change, fsynced BEFORE the change is made.

import { promises as fs, openSync, closeSync, write, fdatasync, fstatSync, readSync, ftruncateSync } from 'node:fs';
import path from 'node:path';
import { RollbackError } from '../errors.js';
import type { Change } from '../types.js';
import type { KeptCopy } from './kept-copies.js';

/** How a host was reached when a change was made: rollback reaches it the same way or refuses. */
export interface HostRoute {
  /** hostIdentity(): `local:<machine>` or `ssh:[jump>]address:port`. */
  identity: string;
  user: string;
  /** ssh: fingerprint of the host key verified at connect. */
  hostKey?: string;
}

/** Written before apply: everything revert needs. */
export interface JournalEntry {
  type: 'change';
  seq: number;
  /** The host the change was made on (the delegate, for delegate_to). */
  host: string;
  /** delegate_to: the host the change was made for; it is rolled back with that host. */
  for?: string;
  route?: HostRoute;
  task: string;
  module: string;
  args: unknown;
  before: unknown;
  changes: Change[];
  reversible: boolean;
  /** Copies the engine kept before apply (ChangeBase.keep), in the run's kept/ folder. */
  kept?: KeptCopy[];
  ts: string;
}

export type JournalLine =
  | JournalEntry
  /** `after`: fingerprintState() of the target right after apply; rollback refuses to overwrite a later change. */
  | { type: 'applied'; seq: number; host: string; undo?: unknown; after?: string; ts: string }
  /** untouched: apply refused before changing anything, so there is nothing to revert. */
  | { type: 'apply_failed'; seq: number; host: string; msg: string; untouched?: boolean; ts: string }
  | { type: 'reverted'; seq: number; host: string; ts: string }
  /** An irreversible change reported during a rollback: not reported again by the next one. */
  | { type: 'revert_skipped'; seq: number; host: string; ts: string }
  /** A read-only probe (an irreversible module whose run changed nothing, or check_mode: false): nothing to undo. */
  | { type: 'probe'; seq: number; host: string; ts: string }
  | { type: 'revert_failed'; seq: number; host: string; msg: string; ts: string };

/**
 * Appends lines durably. append() resolves once the line is on disk (write + fdatasync). Lines appended while a
 * flush is in progress share the next one (group commit), so 50 hosts changing at once cost one sync, not 50,
 * and the event loop never blocks on the disk.
 */
export class JournalWriter {
  private fd: number;
  private seq = 0;
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing?: Promise<void>;

  constructor(readonly file: string, startSeq = 0) {
    this.fd = openSync(file, 'a+', 0o600);
    dropTornTail(this.fd);
    this.seq = startSeq;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  append(line: JournalLine): Promise<void> {
    this.pending.push(`${JSON.stringify(line)}\n`);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = Buffer.from(this.pending.join(''));
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        // Whole lines only reach the file; a crash can at worst tear the last one, which the reader skips.
        let off = 0;
        while (off < batch.length) off += await writeP(this.fd, batch, off, batch.length - off);
        await datasyncP(this.fd);
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    closeSync(this.fd);
  }
}

const writeP = (fd: number, buf: Buffer, off: number, len: number) =>
  new Promise<number>((resolve, reject) => write(fd, buf, off, len, null, (e, n) => (e ? reject(e) : resolve(n))));
const datasyncP = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));

/**
 * A torn tail (bytes after the last newline: a write a crash interrupted) is cut before appending, so it can never
 * become a middle line glued to the next one. Its change was never started: apply waits for the line's fsync.
 */
function dropTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const nl = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      if (start + nl + 1 < size) ftruncateSync(fd, start + nl + 1);
      return;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
}

/** Thrown for a journal line that is neither well formed nor the torn last line of a crash. */
export class JournalDamagedError extends RollbackError {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(`${file}:${line}: damaged journal line (${detail}); nothing was rolled back: repair or remove the line by hand, knowing its change will then not be undone`);
  }
}

function wellFormed(v: unknown): v is JournalLine {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const l = v as Record<string, unknown>;
  return typeof l.type === 'string' && typeof l.seq === 'number' && typeof l.host === 'string';
}

/**
 * Read a journal. Only a torn last line (no newline after it: a crash mid-write) is skipped; any other damage
 * throws JournalDamagedError with the line number, since skipping it would silently leave a change un-reverted.
 */
export async function readJournal(file: string): Promise<JournalLine[]> {
  const text = await fs.readFile(file, 'utf8');
  const rows = text.split('\n');
  const out: JournalLine[] = [];
  for (const [i, raw] of rows.entries()) {
    const torn = i === rows.length - 1; // after the last newline
    if (!raw.trim()) {
      if (!torn && raw.length > 0) throw new JournalDamagedError(file, i + 1, 'blank line');
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      if (torn) continue; // the change it describes was never applied
      throw new JournalDamagedError(file, i + 1, (e as Error).message);
    }
    if (!wellFormed(parsed)) {
      if (torn) continue;
      throw new JournalDamagedError(file, i + 1, 'not a journal record');
    }
    out.push(parsed);
  }
  return out;
}

/** The host a change belongs to: the one it was made for (delegate_to), else the one it was made on. */
export const ownerOf = (e: JournalEntry): string => e.for ?? e.host;

/** Entries of a host still to revert (applied or possibly applied, not yet reverted), newest first. */
export function pendingReverts(lines: JournalLine[], host?: string): JournalEntry[] {
  const done = (l: JournalLine) => l.type === 'reverted' || l.type === 'revert_skipped' || l.type === 'probe' || (l.type === 'apply_failed' && l.untouched === true);
  const reverted = new Set(lines.filter(done).map((l) => `${l.host}#${l.seq}`));
  return lines
    .filter((l): l is JournalEntry => l.type === 'change')
    .filter((e) => (host === undefined || ownerOf(e) === host) && !reverted.has(`${e.host}#${e.seq}`))
    .reverse();
}

/** The fingerprint of what the change produced, if recorded. */
export function afterOf(lines: JournalLine[], entry: JournalEntry): string | undefined {
  const hit = lines.find((l) => l.type === 'applied' && l.seq === entry.seq && l.host === entry.host);
  return hit && hit.type === 'applied' ? hit.after : undefined;
}

/** The undo data apply recorded for an entry, if any. */
export function undoOf(lines: JournalLine[], entry: JournalEntry): unknown {
  const hit = lines.find((l) => l.type === 'applied' && l.seq === entry.seq && l.host === entry.host);
  return hit && hit.type === 'applied' ? hit.undo : undefined;
}
