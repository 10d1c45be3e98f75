// One play: per batch, prepare hosts (connect + facts) → pre_tasks → handlers → tasks → handlers → post_tasks →
// handlers → (rolling plays) batch_check and the batch's verdict (rolling-batch.ts). Each section is scheduled by schedule.ts (linear at every level, or per host for strategy: free).

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
import { batchFailure, isRolling, recordNotStarted, settleBatch } from './rolling-batch.js';
import { runStep } from './schedule.js';
import { settleHost } from './settle-host.js';

export async function runPlay(runContext: RunContext, play: Play): Promise<void> {
  const names = playHosts(runContext.inventory, play, runContext.settings.limit).filter((h) => runContext.hosts.get(h)?.status === 'active');
  runContext.emit({ event: 'play_start', play: play.name, position: runContext.playbook.plays.indexOf(play) + 1, hosts: names });
  const queue = new PQueue({ concurrency: Math.max(1, runContext.settings.forks) });
  const batches = batchesOf(names, play.serial);
  for (const [index, batch] of batches.entries()) {
    if (runContext.abort.aborted) break;
    if (runContext.halted) {
      recordNotStarted(runContext, play, index, batches.length, batch);
      continue;
    }
    const states = batch.map((h) => runContext.hosts.get(h)!);
    const failure = isRolling(play) ? () => batchFailure(play, states) : () => undefined;
    const scope: Scope = { runContext, play, queue, batchFailed: () => failure() !== undefined };
    await Promise.all(states.map((hostState) => queue.add(() => prepareHost(runContext, play, hostState))));
    for (const section of [play.pre_tasks, play.tasks, play.post_tasks]) {
      if (failure()) break;
      await runSection(scope, states, section);
      if (!runContext.abort.aborted && !failure()) await settleAll(runContext, await flushHandlers(scope, activeHosts(states)));
    }
    if (!isRolling(play) || runContext.abort.aborted) continue;
    const reason = failure() ?? (play.batch_check.length > 0 ? await runHealthGate(scope, states) : undefined);
    await settleBatch(runContext, { play, index, count: batches.length, hosts: states }, reason);
  }
}

/** batch_check: the gate's tasks on the batch's active hosts; any host failing them fails the batch. */
async function runHealthGate(scope: Scope, states: HostState[]): Promise<string | undefined> {
  const checked = activeHosts(states);
  await runSection(scope, states, scope.play.batch_check);
  const failed = checked.filter((h) => h.status !== 'active');
  return failed.length === 0 ? undefined : `batch_check failed on ${failed.map((h) => `${h.name} (${(h.reason ?? 'failed').split('\n')[0]})`).join(', ')}`;
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
    if (scope.runContext.abort.aborted || scope.batchFailed?.()) return;
    const hosts = activeHosts(states);
    if (hosts.length === 0) return;
    await settleAll(scope.runContext, await runStep(scope, hosts, task, inherited));
  }
}

async function settleAll(runContext: RunContext, outcomes: HostOutcomes): Promise<void> {
  await Promise.all([...outcomes].map(([hostState, outcome]) => settleHost(runContext, hostState, outcome)));
}
