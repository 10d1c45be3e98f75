// One module task on one host: tags (not for handlers) → run_once → the module task (task-loop.ts). Blocks and
// handler flushes are scheduled across hosts by schedule.ts.
// Failures come back as outcomes, never as exceptions.

import { formatLocation } from '../errors.js';
import type { Play, Task } from '../load/playbook-types.js';
import type { TemplateWhere } from '../template/render.js';
import type { Inherited, TaskOutcome } from './inheritance.js';
import { registerResult } from './register.js';
import type { HostState, RunContext } from './run-state.js';
import { taskEmitter } from './task-events.js';
import { runModuleTask } from './task-loop.js';
import { isTaskSelected } from './task-selection.js';

export async function runTaskOnHost(
  runContext: RunContext, play: Play, hostState: HostState, task: Task, inherited: Inherited, opts: { handler?: boolean } = {},
): Promise<TaskOutcome | 'filtered'> {
  const tags = [...new Set([...inherited.tags, ...task.tags])];
  if (!opts.handler && !isTaskSelected(tags, runContext.settings.tags, runContext.settings.skipTags)) return 'filtered';
  if (runContext.abort.aborted || runContext.skippedTasks.has(task)) return 'filtered';
  if (runContext.settings.confirmTask && !(await runContext.settings.confirmTask(task))) return 'filtered';
  const where: TemplateWhere = { task: task.name, host: hostState.name, location: task.location };
  const emit = taskEmitter(runContext, hostState, task);
  if (!task.run_once) return runModuleTask({ runContext, play, hostState, task, inherited, where, emit });
  return runOnce(runContext, hostState, task, (share) => runModuleTask({ runContext, play, hostState, task, inherited, where, emit, share }));
}

/** task_start: a module task is about to run on these hosts (not when tags or --start-at-task leave it out). */
export function announceTask(runContext: RunContext, play: Play, hosts: HostState[], task: Task, inherited: Inherited, handler = false): void {
  if (!task.module || hosts.length === 0 || runContext.skippedTasks.has(task)) return;
  if (!handler && !isTaskSelected([...new Set([...inherited.tags, ...task.tags])], runContext.settings.tags, runContext.settings.skipTags)) return;
  runContext.emit(runContext.redactor.value({
    event: 'task_start', play: play.name, name: task.name, module: task.module, location: formatLocation(task.location),
    hosts: hosts.map((h) => h.name), ...(handler ? { handler: true } : {}),
  }));
}

/** run_once: the first host runs the task; the others wait for it, share its registered result and report nothing. */
async function runOnce(
  runContext: RunContext, hostState: HostState, task: Task,
  run: (share: (result: unknown) => void) => Promise<TaskOutcome>,
): Promise<TaskOutcome> {
  const key = formatLocation(task.location);
  const pending = runContext.runOnce.get(key);
  if (pending) {
    const shared = (await pending) as Record<string, unknown> | undefined;
    if (task.register && shared) registerResult(runContext, hostState, task.register, shared);
    return 'ok';
  }
  let resolveShared!: (value: unknown) => void;
  runContext.runOnce.set(key, new Promise((resolve) => (resolveShared = resolve)));
  try {
    return await run((result) => resolveShared(result));
  } finally {
    resolveShared(undefined);
  }
}
