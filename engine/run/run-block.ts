// block / rescue / always across the hosts of a step, task by task (linear at every level): rescue runs on the hosts
// whose block failed (they go on when it succeeds), always on every host that entered the block.

import { formatLocation } from '../errors.js';
import type { Task } from '../load/playbook-types.js';
import type { Inherited } from './inheritance.js';
import type { HostState } from './run-state.js';
import type { HostOutcomes, RunTasks, Scope } from './host-outcomes.js';

/** What the tasks inside a block inherit from it. */
export function blockInheritance(task: Task, inherited: Inherited): Inherited {
  return {
    tags: [...new Set([...inherited.tags, ...task.tags])],
    become: task.become ?? inherited.become,
    become_user: task.become_user ?? inherited.become_user,
    when: task.when !== undefined ? [...inherited.when, task.when] : inherited.when,
    vars: { ...inherited.vars, ...task.vars },
    environment: task.environment !== undefined ? [...(inherited.environment ?? []), task.environment] : inherited.environment,
    role: task.role ?? inherited.role,
    includeParams: inherited.includeParams,
    includeItems: inherited.includeItems,
  };
}

/** Per host, the role blocks (role_once keys) that already ran in this run. */
const rolesRun = new WeakMap<HostState, Set<string>>();

/** The hosts that have not run this once-per-play role block yet (all hosts for any other block); marks them. */
function firstRun(scope: Scope, task: Task, hosts: HostState[]): HostState[] {
  if (!task.role_once) return hosts;
  const key = `${formatLocation(scope.play.location)}|${task.role_once}`; // once per play
  return hosts.filter((h) => {
    const ran = rolesRun.get(h) ?? new Set<string>();
    rolesRun.set(h, ran);
    if (ran.has(key)) return false;
    ran.add(key);
    return true;
  });
}

export async function runBlock(runTasks: RunTasks, scope: Scope, allHosts: HostState[], task: Task, inherited: Inherited): Promise<HostOutcomes> {
  const hosts = firstRun(scope, task, allHosts);
  const inner = blockInheritance(task, inherited);
  const outcomes = await runTasks(scope, hosts, task.block ?? [], inner);
  const failed = hosts.filter((h) => outcomes.get(h) === 'failed');
  if (task.rescue && task.rescue.length > 0 && failed.length > 0) {
    const rescued = await runTasks(scope, failed, task.rescue, inner);
    for (const [h, outcome] of rescued) outcomes.set(h, outcome);
  }
  if (task.always && task.always.length > 0) {
    const entered = hosts.filter((h) => outcomes.get(h) !== 'unreachable');
    const always = await runTasks(scope, entered, task.always, inner);
    for (const [h, outcome] of always) if (outcome !== 'ok') outcomes.set(h, outcome);
  }
  for (const h of allHosts) if (!outcomes.has(h)) outcomes.set(h, 'ok');
  return outcomes;
}
