// The scheduler: a list of tasks over a list of hosts, one task on every host before the next starts on any, at
// every nesting level (blocks, rescue/always, imported files, handlers). strategy: free runs it per host.

import type { Task } from '../load/playbook-types.js';
import { onEachHost, stopped, type HostOutcomes, type RunTasks, type Scope } from './host-outcomes.js';
import type { Inherited, TaskOutcome } from './inheritance.js';
import { runBlock } from './run-block.js';
import { runInclude } from './run-include.js';
import { flushHandlers } from './run-handlers.js';
import type { HostState } from './run-state.js';
import { announceTask, runTaskOnHost } from './run-task.js';

/** Tasks in order; a host that fails or becomes unreachable stops running this list. */
export const runTasks: RunTasks = async (scope, hosts, tasks, inherited) => {
  const outcomes: HostOutcomes = new Map(hosts.map((h) => [h, 'ok' as TaskOutcome]));
  for (const task of tasks) {
    if (scope.runContext.abort.aborted) break;
    const running = hosts.filter((h) => !stopped(outcomes.get(h)));
    if (running.length === 0) break;
    for (const [h, outcome] of await runStep(scope, running, task, inherited)) if (stopped(outcome)) outcomes.set(h, outcome);
  }
  return outcomes;
};

/** One task of a list on every given host: a block, a handler flush, or a module task (concurrently, up to forks). */
export async function runStep(scope: Scope, hosts: HostState[], task: Task, inherited: Inherited): Promise<HostOutcomes> {
  if (task.include) return runInclude(runTasks, scope, hosts, task, inherited);
  if (task.block) return runBlock(runTasks, scope, hosts, task, inherited);
  if (task.meta === 'flush_handlers') return flushHandlers(scope, hosts);
  announceTask(scope.runContext, scope.play, hosts, task, inherited);
  return onEachHost(scope, hosts, (h) => runTaskOnHost(scope.runContext, scope.play, h, task, inherited));
}
