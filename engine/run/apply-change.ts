// Journal first (fsynced, sealed when sensitive), then module.apply; the journal records how it ended.

import { fingerprintState } from '../journal/state-fingerprint.js';
import { ModuleError } from '../errors.js';
import { sealIfSensitive } from '../journal/seal.js';
import { describeFailure } from '../report/describe.js';
import type { Change } from '../types.js';
import { hostIdentity, loginUserOf } from '../connection/index.js';
import type { HostRoute } from '../journal/journal.js';
import { keepCopies } from '../journal/kept-copies.js';
import type { HostState } from './run-state.js';
import type { Invocation, Outcome, TaskRun } from './task-run.js';

export async function applyChanges(run: TaskRun, invocation: Invocation, current: unknown, changes: Change[]): Promise<Outcome> {
  const { runContext, task } = run;
  const { module, host, args, target, moduleContext } = invocation;
  const seq = runContext.journal.nextSeq();
  // Large files and directories the change would destroy are copied beside the journal first (never into it).
  const kept = await keepCopies(host, runContext.runDir, target.name, seq, changes);
  // The route (how the host was reached) and, for delegate_to, the host the change is for: rollback needs both.
  const entry = {
    type: 'change' as const, seq, host: target.name, ...(target !== run.hostState ? { for: run.hostState.name } : {}),
    route: routeOf(target), task: runContext.redactor.text(task.name), module: task.module!, args, before: current,
    changes, reversible: module.reversible && !changes.some((c) => c.irreversible), ...(kept.length ? { kept } : {}), ts: new Date().toISOString(),
  };
  await runContext.journal.append(await sealIfSensitive(runContext, entry, task.no_log));
  run.hostState.applied.push(seq);
  try {
    const applied = await module.apply(host, args, changes, current, moduleContext);
    if (applied?.secrets) runContext.redactor.add(applied.secrets);
    const after = module.reversible && module.readTarget ? await fingerprintAfter(invocation) : undefined;
    await runContext.journal.append({ type: 'applied', seq, host: target.name, undo: applied?.undo, ...(after ? { after } : {}), ts: new Date().toISOString() });
    const status = applied?.changed === false ? 'ok' : 'changed';
    const described = changes.map((c) => c.msg).join('; ');
    return {
      status,
      msg: status === 'ok' ? `${described}: nothing changed` : described,
      result: { changed: status === 'changed', ...(applied?.result ?? {}) },
    };
  } catch (e) {
    const failure = task.no_log ? 'failed (details hidden by no_log)' : runContext.redactor.text(describeFailure(e));
    const untouched = e instanceof ModuleError && e.untouched ? { untouched: true } : {};
    await runContext.journal.append({ type: 'apply_failed', seq, host: target.name, msg: failure, ...untouched, ts: new Date().toISOString() });
    if (!(e instanceof ModuleError) || !e.result) throw e;
    // A failed command: its result (rc, stdout, stderr) goes on to failed_when/changed_when/until and register.
    const msg = describeFailure(e);
    return { status: 'failed', msg, result: { ...e.result, changed: true, failed: true, msg } };
  }
}

function routeOf(target: HostState): HostRoute {
  return { identity: hostIdentity(target.name, target.vars), user: loginUserOf(target.vars), ...(target.conn?.hostKey ? { hostKey: target.conn.hostKey } : {}) };
}

/** What the change produced, read back; none when the module cannot inspect it now (rollback then cannot compare). */
async function fingerprintAfter({ module, host, args }: Invocation): Promise<string | undefined> {
  try {
    return fingerprintState(await module.readTarget!(host, args));
  } catch {
    return undefined;
  }
}
