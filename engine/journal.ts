// The rollback journal: .runbook/runs/<run>/journal.jsonl, one line per change, fsynced BEFORE the change is made.

import { promises as fs, openSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { Change } from './types.js';

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

/** Appends lines with write + fsync so a crash never loses a line that was reported as written. */
export class JournalWriter {
  private fd: number;
  private seq = 0;
  constructor(readonly file: string, startSeq = 0) {
    this.fd = openSync(file, 'a', 0o600);
    this.seq = startSeq;
  }
  nextSeq(): number {
    return ++this.seq;
  }
  append(line: JournalLine): void {
    // One write per line: a SIGKILL can at worst leave a partial last line, which the reader skips.
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
  }
  close(): void {
    closeSync(this.fd);
  }
}

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
