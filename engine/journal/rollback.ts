// Rollback: replays a host's journal entries backwards through each module's revert (idempotent).

import { journalFile } from './run-record.js';
import { describeFailure } from '../report/describe.js';
import { afterOf, type JournalEntry, type JournalLine, type JournalWriter, pendingReverts, readJournal, undoOf } from './journal.js';
import { fingerprintState } from './state-fingerprint.js';
import { keptFiles } from './kept-copies.js';
import { Redactor, stringLeaves } from '../report/redact.js';
import { unseal } from './seal.js';
import { controllerPathResolver } from '../run/controller-path.js';
import type { Host, ModuleContext, ModuleDefinition, ModuleRegistry } from '../types.js';

export interface RollbackStep {
  task: string;
  module: string;
  status: 'reverted' | 'failed' | 'irreversible' | 'conflict';
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
  context: Omit<ModuleContext, 'task' | 'vars' | 'render' | 'controllerPath'>;
  /** Revert even a target changed since the run (a conflict otherwise). */
  force?: boolean;
}

/** A sealed entry's values (its args and before-state) never show in a rollback message. */
function maskSealed(sealed: JournalEntry, entry: JournalEntry, msg: string): string {
  if (!(sealed as JournalEntry & { sealed?: boolean }).sealed) return msg;
  const redactor = new Redactor();
  redactor.add(stringLeaves({ args: entry.args, before: entry.before }));
  return redactor.text(msg);
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
      const ctx: ModuleContext = { ...o.context, task: entry.task, vars: host.vars, render: (t) => t, controllerPath: controllerPathResolver(o.context.playbookDir, undefined) };
      const changedSince = o.force ? undefined : await changedSinceRun(module, host, entry, afterOf(lines, entry));
      if (changedSince) {
        // Left pending: a later `rollback --force` may still revert it.
        steps.push({ task: entry.task, module: entry.module, status: 'conflict', msg: changedSince });
        continue;
      }
      await module.revert(host, { args: entry.args, before: entry.before, changes: entry.changes, undo: undoOf(lines, entry), kept: await keptFiles(o.runDir, entry.kept) }, ctx);
      await o.journal.append({ type: 'reverted', seq: entry.seq, host: entry.host, ts: new Date().toISOString() });
      steps.push({ task: entry.task, module: entry.module, status: 'reverted' });
    } catch (e) {
      const msg = maskSealed(sealed, entry, describeFailure(e));
      await o.journal.append({ type: 'revert_failed', seq: entry.seq, host: entry.host, msg, ts: new Date().toISOString() });
      steps.push({ task: entry.task, module: entry.module, status: 'failed', msg });
    }
  }
  return steps;
}

/** Why reverting would overwrite a change made after the run (the target differs from what the run left), or none. */
async function changedSinceRun(module: ModuleDefinition, host: Host, entry: JournalEntry, after: string | undefined): Promise<string | undefined> {
  if (!after || !module.readTarget) return undefined; // no fingerprint: older journals, modules without readTarget
  let now: string;
  try {
    now = fingerprintState(await module.readTarget(host, entry.args as never));
  } catch (e) {
    return `cannot tell whether it changed since the run (${describeFailure(e)}): skipped; rerun with --force to revert anyway`;
  }
  return now === after ? undefined : `changed since the run (the ${entry.module} target is no longer what this run left): skipped so that later change is kept; rerun with --force to revert anyway`;
}
