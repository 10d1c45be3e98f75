// inspect → plan → nothing to do | check mode: report | journal, then apply (apply-change.ts) → changed_when /
// failed_when (result-conditions.ts).

import { formatLocation } from '../errors.js';
import { REDACTED } from '../report/redact.js';
import type { PlanStep } from './run-state.js';
import type { Change } from '../types.js';
import { applyChanges } from './apply-change.js';
import { applyResultConditions } from './result-conditions.js';
import type { Invocation, ItemResult, Outcome, TaskRun } from './task-run.js';

export async function invokeModule(run: TaskRun, invocation: Invocation, variables: Record<string, unknown>): Promise<ItemResult> {
  const { runContext, task } = run;
  const { module, host, args, moduleContext } = invocation;
  const current = await module.inspect(host, args, moduleContext);
  const changes: Change[] = module.plan(current, args, moduleContext);
  if (runContext.settings.plan) await runContext.settings.plan.observe(planStep(run, invocation, current, changes));
  const planned = {
    diffs: changes.flatMap((c) => (c.diff ? [c.diff] : [])),
    changes: changes.map((c) => c.msg),
    irreversible: changes.length > 0 && (!module.reversible || changes.some((c) => c.irreversible)),
  };
  const runsInCheck = task.check_mode === false;
  const checking = runContext.settings.check && !runsInCheck;
  const report = module.report?.(current, args, moduleContext) ?? {};
  let outcome: Outcome;
  if (changes.length === 0) outcome = { status: 'ok', msg: report.msg ?? 'already in the desired state', result: { ...report.result, changed: false } };
  else if (checking) outcome = checkModeOutcome(run, changes);
  else outcome = await applyChanges(run, invocation, current, changes);
  if (!checking) outcome = applyResultConditions(run, outcome, variables);
  if (!checking && changes.length > 0 && isReadOnlyProbe(run, invocation, outcome)) {
    await forgetProbe(run, invocation);
    planned.irreversible = false;
  }
  const result = task.no_log ? { ...outcome.result, stdout: REDACTED, stderr: REDACTED } : outcome.result;
  return { ...planned, status: outcome.status, msg: outcome.msg, result, data: report.data, variables: report.variables };
}

/** What a saved plan records of this invocation (and `apply` checks): shown args are redacted like every output. */
function planStep(run: TaskRun, invocation: Invocation, current: unknown, changes: Change[]): PlanStep {
  const { runContext, task, hostState } = run;
  return {
    host: hostState.name, target: invocation.target.name, task: runContext.redactor.text(task.name), location: formatLocation(task.location),
    module: invocation.module.name, args: invocation.args, shownArgs: task.no_log ? REDACTED : runContext.redactor.value(invocation.args), current,
    changes, shownChanges: changes.map((c) => (task.no_log ? 'change hidden by no_log' : runContext.redactor.text(c.msg))),
  };
}

/** Check mode: what would change. A change that cannot be predicted (uncertain) is reported as skipped. */
function checkModeOutcome(run: TaskRun, changes: Change[]): Outcome {
  const uncertain = changes.every((c) => c.uncertain);
  const status = uncertain ? 'skipped' : reportsNoChange(run) ? 'ok' : 'changed';
  const msg = uncertain
    ? `check mode: would ${changes.map((c) => c.msg).join('; ')} (not run; set check_mode: false for read-only commands)`
    : `would ${changes.map((c) => c.msg).join('; ')}`;
  return { status, msg, result: { changed: status === 'changed', skipped: uncertain, check_mode: true } };
}

/** The task says it never changes anything (changed_when: false). */
const reportsNoChange = (run: TaskRun) => run.task.changed_when === false || run.task.changed_when === 'false';

/**
 * An irreversible module run as a probe (changed_when false, or check_mode: false): it changed nothing to undo, even
 * when it failed (a wait that timed out).
 */
function isReadOnlyProbe(run: TaskRun, invocation: Invocation, outcome: Outcome): boolean {
  if (invocation.module.reversible) return false;
  return run.task.check_mode === false || outcome.status === 'ok' || reportsNoChange(run);
}

/** Keep a probe out of the rollback list: off the host's applied changes, marked in the journal. */
async function forgetProbe(run: TaskRun, invocation: Invocation): Promise<void> {
  const applied = invocation.target.applied;
  const seq = applied.pop();
  if (seq === undefined) return;
  await run.runContext.journal.append({ type: 'probe', seq, host: invocation.target.name, ts: new Date().toISOString() });
}
