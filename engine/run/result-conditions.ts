// changed_when / failed_when: they see the result under the register name and as `result`.

import { evaluateCondition } from '../template/render.js';
import type { Outcome, TaskRun } from './task-run.js';
import { extendView } from './variable-view.js';

export function applyResultConditions(run: TaskRun, outcome: Outcome, variables: Record<string, unknown>): Outcome {
  const { task, where } = run;
  let { status, msg, result } = outcome;
  const moduleFailed = status === 'failed';
  const conditionVariables = extendView(variables, { ...(task.register ? { [task.register]: result } : {}), result });
  let changed = status === 'changed' || (moduleFailed && result.changed === true);
  if (task.changed_when !== undefined && status !== 'skipped') {
    changed = evaluateCondition(task.changed_when, conditionVariables, where);
    result = { ...result, changed };
    if (!moduleFailed) status = changed ? 'changed' : 'ok';
  }
  if (task.failed_when === undefined || status === 'skipped') return { status, msg, result };
  // Ansible: failed_when replaces the module's own verdict, so `failed_when: false` makes a failed command succeed.
  if (evaluateCondition(task.failed_when, conditionVariables, where)) {
    return { status: 'failed', msg: moduleFailed ? msg : `failed_when condition is true (${msg})`, result: { ...result, failed: true } };
  }
  if (!moduleFailed) return { status, msg, result: { ...result, failed: false } };
  const rc = result.rc === undefined ? '' : ` (rc ${String(result.rc)})`;
  return { status: changed ? 'changed' : 'ok', msg: `failed_when condition is false: not a failure${rc}`, result: { ...result, changed, failed: false } };
}
