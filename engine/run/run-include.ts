// include_tasks / include_role at run time, as in Ansible: per host, the include's tags, when and loop decide how
// many times (if at all) its tasks run; each run sees the loop variables and the include's vars (include params).
// A templated file name is rendered per host and item, and loaded (validated) then. Hosts run the same include
// step by step together (linear), one loop item after another.

import path from 'node:path';
import { ModuleError } from '../errors.js';
import { loadRoleAtRunTime, loadTaskFileAtRunTime } from '../load/load-playbook.js';
import type { Task } from '../load/playbook-types.js';
import { describeFailure } from '../report/describe.js';
import { evaluateCondition, renderString, renderValue } from '../template/render.js';
import { controllerPathResolver } from './controller-path.js';
import { stopped, type HostOutcomes, type RunTasks, type Scope } from './host-outcomes.js';
import type { Inherited } from './inheritance.js';
import { loopItems } from './loop-items.js';
import type { HostState } from './run-state.js';
import { taskEmitter } from './task-events.js';
import { isTaskSelected } from './task-selection.js';
import { taskVariables } from './task-variables.js';
import { extendView } from './variable-view.js';

/** One run of the include on one host: the tasks to run and the loop variables they see. */
interface IncludeRun { tasks: Task[]; key: string; loopVariables: Record<string, unknown> }

const loaded = new WeakMap<object, Map<string, Promise<Task[]>>>();
const rolesLoaded = new WeakMap<object, Map<string, Promise<Task>>>();

export async function runInclude(runTasks: RunTasks, scope: Scope, hosts: HostState[], task: Task, inherited: Inherited): Promise<HostOutcomes> {
  const outcomes: HostOutcomes = new Map(hosts.map((h) => [h, 'ok']));
  const plans = new Map<HostState, IncludeRun[]>();
  for (const hostState of hosts) {
    const emit = taskEmitter(scope.runContext, hostState, task);
    try {
      const runs = await includeRuns(scope, hostState, task, inherited);
      if (runs === 'filtered') continue;
      if (runs.length === 0) emit({ status: 'skipped', msg: 'skipped: nothing included (the condition is false, or the loop has no items)' });
      plans.set(hostState, runs);
    } catch (e) {
      emit({ status: 'failed', msg: describeFailure(e) });
      outcomes.set(hostState, 'failed');
    }
  }
  const steps = Math.max(0, ...[...plans.values()].map((runs) => runs.length));
  for (let step = 0; step < steps; step++) {
    const groups = new Map<string, Array<[HostState, IncludeRun]>>();
    for (const [hostState, runs] of plans) {
      if (step >= runs.length || stopped(outcomes.get(hostState))) continue;
      groups.set(runs[step].key, [...(groups.get(runs[step].key) ?? []), [hostState, runs[step]]]);
    }
    for (const group of groups.values()) {
      const inner = includeInheritance(task, inherited, new Map(group.map(([h, run]) => [h.name, run.loopVariables])));
      const ran = await runTasks(scope, group.map(([h]) => h), group[0][1].tasks, inner);
      for (const [h, outcome] of ran) if (stopped(outcome)) outcomes.set(h, outcome);
    }
  }
  return outcomes;
}

/** What the included tasks inherit: outer tags and conditions (the include's own were decided), its vars as include params. */
function includeInheritance(task: Task, inherited: Inherited, loopVariables: Map<string, Record<string, unknown>>): Inherited {
  const items = new Map([...loopVariables].map(([host, vars]) => [host, { ...(inherited.includeItems?.get(host) ?? {}), ...vars }]));
  const apply = task.include?.apply;
  return {
    ...inherited,
    // apply: its tags select and its conditions guard every included task, as if written on each.
    tags: apply ? [...inherited.tags, ...apply.tags] : inherited.tags,
    when: apply ? [...inherited.when, ...apply.when] : inherited.when,
    vars: apply ? { ...inherited.vars, ...apply.vars } : inherited.vars,
    become: apply?.become ?? task.become ?? inherited.become,
    become_user: apply?.become_user ?? task.become_user ?? inherited.become_user,
    includeParams: { ...(inherited.includeParams ?? {}), ...task.vars },
    includeItems: items,
  };
}

/** The runs of the include on one host ([] when its condition is false), or 'filtered' by --tags/--skip-tags. */
async function includeRuns(scope: Scope, hostState: HostState, task: Task, inherited: Inherited): Promise<IncludeRun[] | 'filtered'> {
  const { runContext, play } = scope;
  const settings = runContext.settings;
  if (!isTaskSelected([...new Set([...inherited.tags, ...task.tags])], settings.tags, settings.skipTags)) return 'filtered';
  const where = { task: task.name, host: hostState.name, location: task.location };
  const variables = taskVariables(runContext, play, hostState, { ...inherited, includeParams: { ...(inherited.includeParams ?? {}), ...task.vars } }, undefined, where);
  if (!inherited.when.every((c) => evaluateCondition(c, variables, where))) return [];
  const items = task.loop === undefined ? [undefined] : loopItems(task.loop_kind ?? 'loop', renderValue(task.loop, variables, where), [play.dir]);
  const runs: IncludeRun[] = [];
  for (const [index, item] of items.entries()) {
    const loopVariables = task.loop === undefined ? {} : { [task.loop_var]: item, ...(task.index_var ? { [task.index_var]: index } : {}) };
    const itemVariables = extendView(variables, loopVariables);
    if (task.when !== undefined && !evaluateCondition(task.when, itemVariables, where)) continue;
    if (task.include?.role) {
      const name = renderString(task.include.role.name, itemVariables, where);
      runs.push({ tasks: [await roleOnce(scope, task, name)], key: `role:${name}`, loopVariables });
    } else if (!task.include?.file) runs.push({ tasks: task.block ?? [], key: 'static', loopVariables });
    else {
      const file = await includedFile(scope, task, renderString(task.include.file, itemVariables, where), inherited);
      runs.push({ tasks: await loadOnce(scope, file), key: file, loopVariables });
    }
  }
  return runs;
}

/** A templated include's file: relative to the including file, kept inside the project (it may come from facts). */
async function includedFile(scope: Scope, task: Task, name: string, inherited: Inherited): Promise<string> {
  const dir = task.include!.dir ?? scope.play.dir;
  const resolve = controllerPathResolver(dir, { include_tasks: task.include!.file }, [scope.play.dir, ...(inherited.role?.dirs ?? [])]);
  try {
    return await resolve('include_tasks', path.resolve(dir, name));
  } catch (e) {
    throw new ModuleError((e as Error).message, { location: task.location, task: task.name });
  }
}

/**
 * include_role with a templated name: the role of that name (a plain name only, as it may come from host data),
 * loaded once per run; the handlers it brings join the play's, once.
 */
async function roleOnce(scope: Scope, task: Task, name: string): Promise<Task> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new ModuleError(`include_role: the name rendered to '${name}', which is not a role name (letters, digits, _ . -; a templated name cannot be a path)`, { location: task.location, task: task.name });
  }
  const runContext = scope.runContext;
  if (!rolesLoaded.has(runContext)) rolesLoaded.set(runContext, new Map());
  const cache = rolesLoaded.get(runContext)!;
  const key = `${name}|${task.location.file}:${task.location.line}`;
  if (!cache.has(key)) {
    cache.set(key, loadRoleAtRunTime({ ...task.include!.role!, name }, runContext.registry, runContext.settings.rolesPath ?? [], runContext.playbook.dir).then(({ block, handlers }) => {
      const known = new Set(scope.play.handlers.map((h) => h.role?.dir).filter(Boolean));
      scope.play.handlers.push(...handlers.filter((h) => !h.role || !known.has(h.role.dir)));
      return block;
    }));
  }
  return cache.get(key)!;
}

function loadOnce(scope: Scope, file: string): Promise<Task[]> {
  const runContext = scope.runContext;
  if (!loaded.has(runContext)) loaded.set(runContext, new Map());
  const cache = loaded.get(runContext)!;
  if (!cache.has(file)) cache.set(file, loadTaskFileAtRunTime(file, runContext.registry, runContext.settings.rolesPath ?? [], runContext.playbook.dir));
  return cache.get(file)!;
}
