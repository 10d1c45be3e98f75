// One module invocation (one loop item): when → module → rendered, validated args → the target host (delegate_to)
// → inspect/plan/apply (invoke-module.ts), retried while `until` is false.

import { ConnectionError, ModuleError } from '../errors.js';
import { loginUserOf } from '../connection/index.js';
import { validateModuleArgs } from '../load/validate-args.js';
import { describeFailure } from '../report/describe.js';
import { evaluateCondition, renderString, renderValue } from '../template/render.js';
import type { ModuleContext } from '../types.js';
import { ensureConnected, ensureFacts } from './connect.js';
import { roleControllerPath } from './controller-path.js';
import { delegateState } from './delegate.js';
import { recordingHost } from './command-record.js';
import { createHost } from './host.js';
import { expandHomePaths } from './home-paths.js';
import { invokeModule } from './invoke-module.js';
import { renderArgs } from './render-args.js';
import { taskSecrets } from './task-secrets.js';
import type { Invocation, ItemResult, TaskRun } from './task-run.js';
import { extendView } from './variable-view.js';

const NOTHING: Omit<ItemResult, 'status' | 'msg'> = { result: {}, diffs: [], changes: [], irreversible: false };

export async function runItem(run: TaskRun, variables: Record<string, unknown>): Promise<ItemResult> {
  const commands: string[][] = [];
  const result = await runRecorded(run, variables, commands);
  return commands.length > 0 && !run.task.no_log ? { ...result, commands } : result;
}

async function runRecorded(run: TaskRun, variables: Record<string, unknown>, commands: string[][]): Promise<ItemResult> {
  const { task, where } = run;
  try {
    if (task.when !== undefined && !evaluateCondition(task.when, variables, where)) {
      return { ...NOTHING, status: 'skipped', msg: 'skipped: condition is false', result: { changed: false, skipped: true } };
    }
    const attempts = task.until !== undefined ? Math.max(1, task.retries) : 1;
    const prepared = await prepareInvocation(run, variables);
    const invocation = { ...prepared, host: recordingHost(prepared.host, commands) };
    let last: ItemResult | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      last = await invokeModule(run, invocation, variables);
      if (task.until === undefined || last.status === 'unreachable') break;
      const untilVariables = extendView(variables, { ...(task.register ? { [task.register]: last.result } : {}), result: last.result });
      if (evaluateCondition(task.until, untilVariables, where)) break;
      if (attempt === attempts) {
        last = { ...last, status: 'failed', msg: `${last.msg}; 'until' condition still false after ${attempts} attempts` };
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, task.delay * 1000));
    }
    return last!;
  } catch (e) {
    if (e instanceof ConnectionError) return { ...NOTHING, status: 'unreachable', msg: e.message, result: { unreachable: true, msg: e.message } };
    const result = e instanceof ModuleError && e.result ? e.result : {};
    return { ...NOTHING, status: 'failed', msg: describeFailure(e), result: { ...result, failed: true, msg: describeFailure(e) } };
  }
}

/**
 * The task's environment (the play's, then its blocks', then its own: inner wins), rendered to strings; undefined when
 * there is none. A layer written as one template must render to a mapping of variable names.
 */
function taskEnvironment({ task, inherited, where }: TaskRun, variables: Record<string, unknown>): Record<string, string> | undefined {
  const layers = [...(inherited.environment ?? []), ...(task.environment !== undefined ? [task.environment] : [])];
  if (layers.length === 0) return undefined;
  const merged: Record<string, string> = {};
  for (const layer of layers) {
    const rendered = renderValue(layer, variables, where);
    if (rendered === null || rendered === undefined || rendered === '') continue; // "{{ proxy_env | default({}) }}"-style empty
    if (typeof rendered !== 'object' || Array.isArray(rendered)) throw new ModuleError(`environment must be a mapping of variable names to values, got ${JSON.stringify(rendered)}`);
    for (const [k, v] of Object.entries(rendered)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ModuleError(`environment: ${JSON.stringify(k)} is not a variable name (letters, digits, _)`);
      merged[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return merged;
}

/** The module, its rendered args, the host handle (connected, facts gathered) and the module context. */
async function prepareInvocation(run: TaskRun, variables: Record<string, unknown>): Promise<Invocation> {
  const { runContext, play, hostState, task, where, inherited } = run;
  const module = runContext.registry.resolve(task.module!);
  if (!module) throw new ModuleError(`unknown module '${task.module}'`, { location: task.location, task: task.name });
  const args = renderArgs(module, task.args, variables, where);
  runContext.redactor.add(taskSecrets(module, Boolean(task.no_log), args, variables));
  const problems = validateModuleArgs(module, args, where);
  if (problems.length > 0) throw problems[0];

  // delegate_to runs the module on another host's connection with this host's variables.
  const target = task.delegate_to ? delegateState(runContext, renderString(task.delegate_to, variables, where)) : hostState;
  const connection = await ensureConnected(runContext, target);
  await expandHomePaths(module, args, connection);
  const facts = await ensureFacts(runContext, target, play.gather_facts);
  const host = createHost({
    name: target.name,
    connection,
    facts,
    vars: variables,
    loginUser: loginUserOf(target.vars),
    environment: taskEnvironment(run, variables),
    become: {
      become: task.become ?? inherited.become ?? Boolean(variables.become ?? false),
      becomeUser: String(task.become_user ?? inherited.become_user ?? variables.become_user ?? 'root'),
      becomePassword: variables.become_password === undefined ? undefined : String(variables.become_password),
    },
  });
  const moduleContext: ModuleContext = {
    task: task.name,
    hostvars: runContext.hostvars,
    groups: runContext.groups,
    playbookDir: play.dir,
    controllerPath: roleControllerPath(play.dir, task.args, inherited, module.name === 'template' ? 'templates' : 'files'),
    vars: variables,
    render: (text: string, file?: string) => renderString(text, variables, { ...where, file }),
  };
  return { module, args, target, host, moduleContext };
}
