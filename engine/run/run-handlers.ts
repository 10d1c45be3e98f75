// Handlers: flattened in definition order (imported files and blocks included); at a flush each one runs once on
// the hosts that notified its name or one of its `listen` topics. Tags never filter handlers (as in Ansible).

import type { Task } from '../load/playbook-types.js';
import { playInheritance, type Inherited } from './inheritance.js';
import { blockInheritance } from './run-block.js';
import type { HostState } from './run-state.js';
import { announceTask, runTaskOnHost } from './run-task.js';
import { onEachHost, stopped, type HostOutcomes, type Scope } from './host-outcomes.js';

interface Handler { task: Task; inherited: Inherited }

function handlersOf(tasks: Task[], inherited: Inherited): Handler[] {
  return tasks.flatMap((task) => (task.block
    ? handlersOf([...task.block, ...(task.rescue ?? []), ...(task.always ?? [])], blockInheritance(task, inherited))
    : [{ task, inherited }]));
}

export async function flushHandlers(scope: Scope, hosts: HostState[]): Promise<HostOutcomes> {
  const outcomes: HostOutcomes = new Map(hosts.map((h) => [h, 'ok']));
  const consumed = new Map<HostState, Set<string>>(hosts.map((h) => [h, new Set<string>()]));
  for (const { task, inherited } of handlersOf(scope.play.handlers, playInheritance(scope.play))) {
    if (scope.runContext.abort.aborted) break;
    const keys = [task.name, ...task.listen];
    const due = hosts.filter((h) => !stopped(outcomes.get(h)) && keys.some((k) => h.notified.has(k)));
    if (due.length === 0) continue;
    for (const h of due) for (const k of keys) if (h.notified.has(k)) consumed.get(h)!.add(k);
    announceTask(scope.runContext, scope.play, due, task, inherited, true);
    const ran = await onEachHost(scope, due, (h) => runTaskOnHost(scope.runContext, scope.play, h, task, inherited, { handler: true }));
    for (const [h, outcome] of ran) if (stopped(outcome)) outcomes.set(h, outcome);
  }
  for (const [h, keys] of consumed) for (const k of keys) h.notified.delete(k);
  return outcomes;
}
