// A module task on one host: block conditions → loop items (each through run-item.ts) → one aggregate outcome →
// register → notify → the task event.

import { ModuleError } from '../errors.js';
import { describeFailure } from '../report/describe.js';
import { evaluateCondition, renderString, renderValue } from '../template/render.js';
import { controllerSearchDirs } from './controller-path.js';
import { loopItems } from './loop-items.js';
import type { TaskOutcome } from './inheritance.js';
import { collectSecrets } from '../report/redact.js';
import { registerResult, setHostVariables } from './register.js';
import { runItem } from './run-item.js';
import type { ItemResult, TaskRun } from './task-run.js';
import { taskVariables } from './task-variables.js';
import { extendView } from './variable-view.js';
import { quoteArgv } from '../template/shell-quote.js';

export async function runModuleTask(run: TaskRun): Promise<TaskOutcome> {
  const { runContext, hostState, task, emit } = run;
  let variables: Record<string, unknown>;
  let items: unknown[] | undefined;
  try {
    variables = taskVariables(runContext, run.play, hostState, run.inherited, task, run.where);
    if (!blockConditionsHold(run, variables)) {
      emit({ status: 'skipped', msg: 'skipped: block condition is false' });
      return 'skipped';
    }
    items = taskLoopItems(run, variables);
  } catch (e) {
    emit({ status: 'failed', msg: describeFailure(e) });
    return 'failed';
  }
  if (items?.length === 0) return skipEmptyLoop(run);

  const results: ItemResult[] = [];
  for (const [index, item] of (items ?? [undefined]).entries()) {
    if (index > 0 && task.loop_pause) await new Promise((resolve) => setTimeout(resolve, task.loop_pause! * 1000));
    const itemVariables = items ? extendView(variables, { [task.loop_var]: item, ...(task.index_var ? { [task.index_var]: index } : {}) }) : variables;
    const result = await runItem(run, itemVariables);
    if (items) result.label = itemLabel(run, itemVariables, item);
    results.push(result);
    if (result.status === 'unreachable') break;
    if (result.variables && result.status !== 'failed') {
      // set_fact / include_vars: later items (x: "{{ x + [item] }}") and later tasks see the new values.
      setHostVariables(hostState, result.variables.level, result.variables.values);
      runContext.redactor.add(collectSecrets(result.variables.values));
      variables = taskVariables(runContext, run.play, hostState, run.inherited, task, run.where);
    }
  }

  const status = aggregateStatus(results);
  const registered: Record<string, unknown> = items
    ? { changed: status === 'changed', failed: status === 'failed', skipped: status === 'skipped', results: results.map((r, i) => ({ ...r.result, item: items![i] })), msg: results.map((r) => r.msg).join('; ') }
    : results[0].result;
  if (task.register) registerResult(runContext, hostState, task.register, registered);
  run.share?.(registered);

  if (status === 'changed') for (const handler of task.notify) hostState.notified.add(handler);

  const ignore = status === 'failed' ? ignoresErrors(run, variables) : { ignored: false };
  const ignored = ignore.ignored;
  emit({
    status,
    msg: (items ? results.map((r) => `[${r.label}] ${r.msg}`).join('\n') : results[0].msg) + (ignored ? ' (ignored)' : ignore.problem ?? ''),
    diff: runContext.settings.diff ? results.flatMap((r) => r.diffs) : undefined,
    changes: results.flatMap((r) => r.changes),
    irreversible: results.some((r) => r.irreversible) || undefined,
    ignored: ignored || undefined,
    data: items ? (results.some((r) => r.data !== undefined) ? results.map((r) => r.data) : undefined) : results[0].data,
    result: registered,
    // Command lines as a reader would type them; the redactor masks secrets in them before any output.
    commands: results.some((r) => r.commands) ? results.flatMap((r) => (r.commands ?? []).map(quoteArgv)) : undefined,
  });
  return ignored ? 'ok' : status;
}

/** ignore_errors: a boolean, or a template rendered for this host (one that cannot render ignores nothing, and says why). */
function ignoresErrors(run: TaskRun, variables: Record<string, unknown>): { ignored: boolean; problem?: string } {
  if (typeof run.task.ignore_errors !== 'string') return { ignored: run.task.ignore_errors };
  try {
    return { ignored: evaluateCondition(run.task.ignore_errors, variables, run.where) };
  } catch (e) {
    return { ignored: false, problem: ` (ignore_errors: ${describeFailure(e)})` };
  }
}

function blockConditionsHold(run: TaskRun, variables: Record<string, unknown>): boolean {
  return run.inherited.when.every((condition) => evaluateCondition(condition, variables, run.where));
}

function taskLoopItems(run: TaskRun, variables: Record<string, unknown>): unknown[] | undefined {
  const { task } = run;
  if (task.loop === undefined) return undefined;
  const rendered = renderValue(task.loop, variables, run.where);
  try {
    return loopItems(task.loop_kind ?? 'loop', rendered, controllerSearchDirs(run.play, run.inherited, 'files'));
  } catch (e) {
    throw new ModuleError((e as Error).message, { location: task.location, task: task.name });
  }
}

/** How an item is shown: loop_control.label rendered with the item, else the item as JSON. */
function itemLabel(run: TaskRun, variables: Record<string, unknown>, item: unknown): string {
  if (run.task.loop_label === undefined) return JSON.stringify(item);
  try {
    return renderString(run.task.loop_label, variables, run.where);
  } catch {
    return JSON.stringify(item);
  }
}

/** A loop over no items is skipped, and registers what Ansible registers then. */
function skipEmptyLoop(run: TaskRun): TaskOutcome {
  const registered = { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
  if (run.task.register) registerResult(run.runContext, run.hostState, run.task.register, registered);
  run.share?.(registered);
  run.emit({ status: 'skipped', msg: 'skipped: no items in the list', result: registered });
  return 'skipped';
}

/** unreachable > failed > changed > all skipped > ok. */
function aggregateStatus(results: ItemResult[]): TaskOutcome {
  const statuses = results.map((r) => r.status);
  if (statuses.includes('unreachable')) return 'unreachable';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('changed')) return 'changed';
  return statuses.length > 0 && statuses.every((s) => s === 'skipped') ? 'skipped' : 'ok';
}
