// What the scheduler hands around: the hosts of a step, where each stands after it, and running one thing per host
// concurrently (bounded by forks).

import type PQueue from 'p-queue';
import type { Play, Task } from '../load/playbook-types.js';
import type { Inherited, TaskOutcome } from './inheritance.js';
import type { HostState, RunContext } from './run-state.js';

/** Where hosts stand after a list of tasks: ok, failed (they stopped) or unreachable. */
export type HostOutcomes = Map<HostState, TaskOutcome>;

export interface Scope {
  runContext: RunContext;
  play: Play;
  /** Bounds concurrent hosts (forks). Absent when already inside one host's slot (strategy: free). */
  queue?: PQueue;
  /** A rolling play's batch has failed: no further task starts on it. */
  batchFailed?: () => boolean;
}

export type RunTasks = (scope: Scope, hosts: HostState[], tasks: Task[], inherited: Inherited) => Promise<HostOutcomes>;

export function stopped(outcome: TaskOutcome | undefined): boolean {
  return outcome === 'failed' || outcome === 'unreachable';
}

export async function onEachHost(scope: Scope, hosts: HostState[], run: (h: HostState) => Promise<TaskOutcome | 'filtered'>): Promise<HostOutcomes> {
  const once = async (h: HostState): Promise<[HostState, TaskOutcome]> => {
    const outcome = await run(h);
    return [h, outcome === 'filtered' ? 'ok' : outcome];
  };
  const queue = scope.queue;
  return new Map(await Promise.all(hosts.map((h) => (queue ? queue.add(() => once(h), { throwOnTimeout: true }) : once(h)))));
}
