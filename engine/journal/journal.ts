// The rollback journal: .runbook/runs/<run>/journal.jsonl, one line per change, fsynced BEFORE the change is made.

import { promises as fs, openSync, closeSync, write, fdatasync } from 'node:fs';
import path from 'node:path';
import type { Change } from '../types.js';

/** Written before apply: everything revert needs. */
export interface JournalEntry {
  type: 'change';
  seq: number;
  host: string;
  task: string;
  module: string;
  args: unknown;
  before: unknown;
  changes: Change[];
  reversible: boolean;
  ts: string;
}

export type JournalLine =
  | JournalEntry
  | { type: 'applied'; seq: number; host: string; undo?: unknown; ts: string }
  | { type: 'apply_failed'; seq: number; host: string; msg: string; ts: string }
  | { type: 'reverted'; seq: number; host: string; ts: string }
  /** An irreversible change reported during a rollback: not reported again by the next one. */
  | { type: 'revert_skipped'; seq: number; host: string; ts: string }
  | { type: 'revert_failed'; seq: number; host: string; msg: string; ts: string };

export function runsDir(projectDir: string): string {
  return path.join(projectDir, '.runbook', 'runs');
}

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
    this.fd = openSync(file, 'a', 0o600);
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

/** Read a journal, skipping a torn last line (crash mid-write). */
export async function readJournal(file: string): Promise<JournalLine[]> {
  const text = await fs.readFile(file, 'utf8');
  const out: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      out.push(JSON.parse(raw) as JournalLine);
    } catch {
      // torn line from an interrupted write: the change it describes was never applied
    }
  }
  return out;
}

/** Entries of a host still to revert (applied or possibly applied, not yet reverted), newest first. */
export function pendingReverts(lines: JournalLine[], host?: string): JournalEntry[] {
  const reverted = new Set(lines.filter((l) => l.type === 'reverted' || l.type === 'revert_skipped').map((l) => `${l.host}#${l.seq}`));
  return lines
    .filter((l): l is JournalEntry => l.type === 'change')
    .filter((e) => (host === undefined || e.host === host) && !reverted.has(`${e.host}#${e.seq}`))
    .reverse();
}

/** The undo data apply recorded for an entry, if any. */
export function undoOf(lines: JournalLine[], entry: JournalEntry): unknown {
  const hit = lines.find((l) => l.type === 'applied' && l.seq === entry.seq && l.host === entry.host);
  return hit && hit.type === 'applied' ? hit.undo : undefined;
}
