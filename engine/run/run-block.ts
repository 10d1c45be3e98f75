// block / rescue / always on one host: rescue runs when the block failed; always runs regardless.

import type { Play, Task } from '../load/playbook-types.js';
import type { Inherited, TaskOutcome } from './inheritance.js';
import type { HostState, RunContext } from './run-state.js';

/** Runs one task (or nested block) on a host: run-task.ts's runTaskOnHost, passed in to keep the recursion acyclic. */
export type RunTask = (runContext: RunContext, play: Play, hostState: HostState, task: Task, inherited: Inherited) => Promise<TaskOutcome | 'filtered'>;

export async function runBlock(runTask: RunTask, runContext: RunContext, play: Play, hostState: HostState, task: Task, inherited: Inherited): Promise<TaskOutcome> {
  const inner: Inherited = {
    tags: inherited.tags,
    become: task.become ?? inherited.become,
    become_user: task.become_user ?? inherited.become_user,
    when: task.when !== undefined ? [...inherited.when, task.when] : inherited.when,
    vars: { ...inherited.vars, ...task.vars },
  };
  let outcome = await runTaskList(runTask, runContext, play, hostState, task.block ?? [], inner);
  if (outcome === 'failed' && task.rescue && task.rescue.length > 0) {
    outcome = await runTaskList(runTask, runContext, play, hostState, task.rescue, inner);
  }
  if (task.always && task.always.length > 0) {
    const always = await runTaskList(runTask, runContext, play, hostState, task.always, inner);
    if (always !== 'ok') outcome = always;
  }
  return outcome;
}

/** Tasks in order on one host until one fails or the host becomes unreachable. */
export async function runTaskList(runTask: RunTask, runContext: RunContext, play: Play, hostState: HostState, tasks: Task[], inherited: Inherited): Promise<TaskOutcome> {
  for (const task of tasks) {
    const outcome = await runTask(runContext, play, hostState, task, inherited);
    if (outcome === 'failed' || outcome === 'unreachable') return outcome;
  }
  return 'ok';
}
