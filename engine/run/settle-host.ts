// After a task: a failed host leaves the play and is rolled back from this run's journal; an unreachable one is
// only marked (rollback needs the host; the warning says how to do it later).

import { loginUserOf } from '../connection/index.js';
import { revertHost } from '../journal/rollback.js';
import { ensureConnected, ensureFacts } from './connect.js';
import { createRollbackHost } from './host.js';
import { delegateState } from './delegate.js';
import type { JournalEntry } from '../journal/journal.js';
import type { Host } from '../types.js';
import type { TaskOutcome } from './inheritance.js';
import type { HostState, RunContext } from './run-state.js';

export async function settleHost(runContext: RunContext, hostState: HostState, outcome: TaskOutcome | 'filtered'): Promise<void> {
  if (outcome === 'unreachable') {
    hostState.status = 'unreachable';
    if (hostState.applied.length > 0) {
      runContext.emit({ event: 'warning', host: hostState.name, msg: `host became unreachable after ${hostState.applied.length} change(s); run \`runbook rollback ${runContext.runId} -l ${hostState.name}\` once it is back, or re-run the playbook` });
    }
    return;
  }
  if (outcome !== 'failed') return;
  hostState.status = 'failed';
  if (hostState.notified.size > 0) {
    const pending = [...hostState.notified];
    runContext.emit({ event: 'handler_pending', host: hostState.name, handlers: pending, msg: `handlers notified before the failure were not run: ${pending.join(', ')}` });
  }
  if (!runContext.settings.rollback || runContext.settings.check || hostState.applied.length === 0) return;
  await rollbackHost(runContext, hostState);
}

export async function rollbackHost(runContext: RunContext, hostState: HostState): Promise<void> {
  const connection = await ensureConnected(runContext, hostState).catch(() => undefined);
  if (!connection) {
    runContext.emit({ event: 'rollback', host: hostState.name, steps: [{ task: '(connection)', module: '-', status: 'failed', msg: 'host unreachable; rollback later with runbook rollback' }] });
    hostState.recap.rollback_failed++;
    return;
  }
  // The host's own changes on its connection; changes made for it on a delegate on the delegate's connection.
  const hostFor = async (entry: JournalEntry): Promise<Host> => {
    const state = entry.host === hostState.name ? hostState : delegateState(runContext, entry.host);
    const conn = await ensureConnected(runContext, state);
    return createRollbackHost(state.name, conn, await ensureFacts(runContext, state, false), state.vars, loginUserOf(state.vars));
  };
  const steps = await revertHost({
    runDir: runContext.runDir, registry: runContext.registry, owner: hostState.name, hostFor, journal: runContext.journal, only: hostState.applied,
    context: { hostvars: runContext.hostvars, groups: runContext.groups, playbookDir: runContext.playbook.dir },
  });
  hostState.recap.rolled_back += steps.filter((s) => s.status === 'reverted').length;
  const failed = steps.filter((s) => s.status === 'failed').length;
  hostState.recap.rollback_failed += failed;
  runContext.emit(runContext.redactor.value({ event: 'rollback', host: hostState.name, steps }));
  if (failed > 0) {
    runContext.emit({ event: 'warning', host: hostState.name, msg: `rollback incomplete: ${failed} step(s) failed, the host is not back where it was; fix the cause and run \`runbook rollback ${runContext.runId} -l ${hostState.name}\`` });
  }
}
