// Rolling plays (serial, max_fail_percentage, any_errors_fatal, batch_check): when a batch has failed, and what a
// failed batch leaves behind (its hosts rolled back, newest change first; later batches never started).

import type { BatchRecord } from '../report/events.js';
import type { Play } from '../load/playbook-types.js';
import type { HostState, RunContext } from './run-state.js';
import { rollbackHost } from './settle-host.js';

/** A play whose batches are watched: the run stops (and undoes the batch) when one fails. */
export function isRolling(play: Play): boolean {
  return play.serial !== undefined || play.max_fail_percentage !== undefined || play.any_errors_fatal || play.batch_check.length > 0;
}

/** Why the batch has failed, or undefined: any failure with any_errors_fatal, more than max_fail_percentage, or every host (as Ansible). */
export function batchFailure(play: Play, batch: HostState[]): string | undefined {
  const failed = batch.filter((h) => h.status !== 'active');
  if (failed.length === 0) return undefined;
  const names = failed.map((h) => `${h.name}${h.reason ? ` (${firstLine(h.reason)})` : ''}`).join(', ');
  if (play.any_errors_fatal) return `any_errors_fatal: ${names} failed`;
  if (failed.length === batch.length) return `every host of the batch failed: ${names}`;
  const percent = (100 * failed.length) / batch.length;
  if (play.max_fail_percentage !== undefined && percent > play.max_fail_percentage) {
    return `${failed.length} of ${batch.length} hosts failed (${Math.round(percent)}%, over max_fail_percentage ${play.max_fail_percentage}%): ${names}`;
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export interface BatchPosition { play: Play; index: number; count: number; hosts: HostState[] }

/** Records a batch that ran; a failed one stops the run and rolls back its hosts (or, with rollback: run, every host). */
export async function settleBatch(runContext: RunContext, at: BatchPosition, reason: string | undefined): Promise<void> {
  const names = at.hosts.map((h) => h.name);
  if (!reason) {
    recordBatch(runContext, { play: at.play.name, batch: at.index + 1, of: at.count, hosts: names, status: 'completed' });
    return;
  }
  runContext.halted = `${at.play.name}: batch ${at.index + 1}/${at.count} failed`;
  const undo = runContext.settings.rollback && !runContext.settings.check;
  const targets = at.play.rollback === 'run' ? [...runContext.hosts.values()] : at.hosts;
  const why = `${undo ? 'rolled back' : 'stopped'} with batch ${at.index + 1}/${at.count} of ${at.play.name}: ${reason}`;
  // Hosts that failed were rolled back when they failed; the rest of the batch (with rollback: run, every host the
  // run changed) stops here and is undone now.
  const pending = targets.filter((h) => h.status === 'active' && (at.hosts.includes(h) || h.applied.length > 0));
  for (const hostState of pending) Object.assign(hostState, { status: 'failed', reason: why });
  if (undo) await Promise.all(pending.filter((h) => h.applied.length > 0).map((h) => rollbackHost(runContext, h)));
  recordBatch(runContext, { play: at.play.name, batch: at.index + 1, of: at.count, hosts: names, status: undo ? 'rolled_back' : 'failed', reason });
  if (undo && at.play.rollback === 'run') {
    for (const earlier of runContext.batches.filter((b) => b.status === 'completed')) {
      Object.assign(earlier, { status: 'rolled_back', reason: `rollback: run, after ${at.play.name} batch ${at.index + 1}/${at.count} failed` });
    }
  }
}

/** A batch of this play that never starts because an earlier one failed. */
export function recordNotStarted(runContext: RunContext, play: Play, index: number, count: number, hosts: string[]): void {
  recordBatch(runContext, { play: play.name, batch: index + 1, of: count, hosts, status: 'not_started', reason: `not started: ${runContext.halted}` });
}

function recordBatch(runContext: RunContext, record: BatchRecord): void {
  runContext.batches.push(record);
  runContext.emit({ event: 'batch', ...record });
}
