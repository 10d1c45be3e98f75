// One play: per batch, prepare hosts (connect + facts) → pre_tasks → handlers → tasks → handlers → post_tasks →
// handlers. Each section is scheduled by schedule.ts (linear at every level, or per host for strategy: free).

import PQueue from 'p-queue';
import { describeFailure } from '../report/describe.js';
import { ConnectionError } from '../errors.js';
import type { Play, Task } from '../load/playbook-types.js';
import { ensureConnected, ensureFacts } from './connect.js';
import { playInheritance, type Inherited } from './inheritance.js';
import { batchesOf, playHosts } from './play-hosts.js';
import type { HostOutcomes, Scope } from './host-outcomes.js';
import { flushHandlers } from './run-handlers.js';
import type { HostState, RunContext } from './run-state.js';
import { runStep } from './schedule.js';
import { settleHost } from './settle-host.js';

export async function runPlay(runContext: RunContext, play: Play): Promise<void> {
  const names = playHosts(runContext.inventory, play, runContext.settings.limit).filter((h) => runContext.hosts.get(h)?.status === 'active');
  runContext.emit({ event: 'play_start', play: play.name, hosts: names });
  const queue = new PQueue({ concurrency: Math.max(1, runContext.settings.forks) });
  for (const batch of batchesOf(names, play.serial)) {
    const states = batch.map((h) => runContext.hosts.get(h)!);
    await Promise.all(states.map((hostState) => queue.add(() => prepareHost(runContext, play, hostState))));
    const scope: Scope = { runContext, play, queue };
    for (const section of [play.pre_tasks, play.tasks, play.post_tasks]) {
      await runSection(scope, states, section);
      if (!runContext.abort.aborted) await settleAll(runContext, await flushHandlers(scope, activeHosts(states)));
    }
  }
}

/** Connect and gather facts; a host that cannot be reached is reported unreachable and leaves the play. */
async function prepareHost(runContext: RunContext, play: Play, hostState: HostState): Promise<void> {
  const started = Date.now();
  try {
    await ensureConnected(runContext, hostState);
    await ensureFacts(runContext, hostState, play.gather_facts);
  } catch (e) {
    const msg = describeFailure(e);
    const status = e instanceof ConnectionError ? 'unreachable' : 'failed';
    runContext.emit({ event: 'task', host: hostState.name, task: play.gather_facts ? 'Gathering facts' : 'Connecting', module: 'setup', status, msg, duration_ms: Date.now() - started });
    hostState.status = status;
    hostState.reason = msg;
  }
}

export function activeHosts(states: HostState[]): HostState[] {
  return states.filter((h) => h.status === 'active');
}

/** linear: each task on every active host before the next (inside blocks and imports too); free: each host on its own. */
async function runSection(scope: Scope, states: HostState[], tasks: Task[]): Promise<void> {
  const inherited = playInheritance(scope.play);
  if (scope.play.strategy === 'free') {
    await Promise.all(activeHosts(states).map((hostState) => scope.queue!.add(() =>
      runTopLevel({ ...scope, queue: undefined }, [hostState], tasks, inherited))));
    return;
  }
  await runTopLevel(scope, states, tasks, inherited);
}

/** Top-level tasks: after each, a host that failed leaves the play (and is rolled back). */
async function runTopLevel(scope: Scope, states: HostState[], tasks: Task[], inherited: Inherited): Promise<void> {
  for (const task of tasks) {
    if (scope.runContext.abort.aborted) return;
    const hosts = activeHosts(states);
    if (hosts.length === 0) return;
    await settleAll(scope.runContext, await runStep(scope, hosts, task, inherited));
  }
}

async function settleAll(runContext: RunContext, outcomes: HostOutcomes): Promise<void> {
  await Promise.all([...outcomes].map(([hostState, outcome]) => settleHost(runContext, hostState, outcome)));
}
