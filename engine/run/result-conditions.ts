// changed_when / failed_when: they see the result under the register name and as `result`.

import { evaluateCondition } from '../template/render.js';
import type { Outcome, TaskRun } from './task-run.js';

export function applyResultConditions(run: TaskRun, outcome: Outcome, variables: Record<string, unknown>): Outcome {
  const { task, where } = run;
  let { status, msg, result } = outcome;
  const conditionVariables = { ...variables, ...(task.register ? { [task.register]: result } : {}), result };
  if (task.changed_when !== undefined && (status === 'changed' || status === 'ok')) {
    status = evaluateCondition(task.changed_when, conditionVariables, where) ? 'changed' : 'ok';
    result = { ...result, changed: status === 'changed' };
  }
  if (task.failed_when !== undefined && status !== 'skipped' && evaluateCondition(task.failed_when, conditionVariables, where)) {
    status = 'failed';
    msg = `failed_when condition is true (${msg})`;
    result = { ...result, failed: true };
  }
  return { status, msg, result };
}
