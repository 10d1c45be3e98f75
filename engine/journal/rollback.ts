// Rollback: replays a host's journal entries backwards through each module's revert (idempotent).

import { journalFile } from './run-record.js';
import { describeFailure } from '../report/describe.js';
import { type JournalEntry, type JournalLine, type JournalWriter, pendingReverts, readJournal, undoOf } from './journal.js';
import { unseal } from './seal.js';
import type { Host, ModuleContext, ModuleRegistry } from '../types.js';

export interface RollbackStep {
  task: string;
  module: string;
  status: 'reverted' | 'failed' | 'irreversible';
  msg?: string;
}

export interface RevertOptions {
  runDir: string;
  registry: ModuleRegistry;
  /** The host being rolled back: its own changes and those made for it on delegates. */
  owner: string;
  /** The handle to the host a change was made on (the owner, or a delegate), reached by its recorded route. */
  hostFor: (entry: JournalEntry) => Promise<Host>;
  journal: JournalWriter;
  /** Only these sequence numbers (this run's changes for the host); all pending ones when omitted. */
  only?: number[];
  context: Omit<ModuleContext, 'task' | 'vars' | 'render'>;
}

/** Revert a host's pending journal entries, newest first. Each step is reported; one failure does not stop the rest. */
export async function revertHost(o: RevertOptions): Promise<RollbackStep[]> {
  const lines: JournalLine[] = await readJournal(journalFile(o.runDir));
  let entries: JournalEntry[] = pendingReverts(lines, o.owner);
  if (o.only) entries = entries.filter((e) => o.only!.includes(e.seq));
  const steps: RollbackStep[] = [];
  for (const sealed of entries) {
    const entry = await unseal(o.runDir, sealed);
    const module = o.registry.resolve(entry.module);
    if (!entry.reversible || !module?.revert) {
      steps.push({ task: entry.task, module: entry.module, status: 'irreversible', msg: `${entry.module} cannot be undone: ${sealed.changes.map((c) => c.msg).join('; ')}` });
      await o.journal.append({ type: 'revert_skipped', seq: entry.seq, host: entry.host, ts: new Date().toISOString() });
      continue;
    }
    try {
      const host = await o.hostFor(entry);
      const ctx: ModuleContext = { ...o.context, task: entry.task, vars: host.vars, render: (t) => t };
      await module.revert(host, { args: entry.args, before: entry.before, changes: entry.changes, undo: undoOf(lines, entry) }, ctx);
      await o.journal.append({ type: 'reverted', seq: entry.seq, host: entry.host, ts: new Date().toISOString() });
      steps.push({ task: entry.task, module: entry.module, status: 'reverted' });
    } catch (e) {
      const msg = describeFailure(e);
      await o.journal.append({ type: 'revert_failed', seq: entry.seq, host: entry.host, msg, ts: new Date().toISOString() });
      steps.push({ task: entry.task, module: entry.module, status: 'failed', msg });
    }
  }
  return steps;
}
