// One play: per batch, prepare hosts (connect + facts) → pre_tasks, tasks → handlers → post_tasks → handlers.

import PQueue from 'p-queue';
import { describeFailure } from '../report/describe.js';
import { ConnectionError } from '../errors.js';
import type { Play, Task } from '../load/playbook-types.js';
import { ensureConnected, ensureFacts } from './connect.js';
import { playInheritance } from './inheritance.js';
import { batchesOf, playHosts } from './play-hosts.js';
import { runTaskList, runTaskOnHost } from './run-task.js';
import type { HostState, RunContext } from './run-state.js';
import { settleHost } from './settle-host.js';

export async function runPlay(runContext: RunContext, play: Play): Promise<void> {
  const names = playHosts(runContext.inventory, play, runContext.settings.limit).filter((h) => runContext.hosts.get(h)?.status === 'active');
  runContext.emit({ event: 'play_start', play: play.name, hosts: names });
  const queue = new PQueue({ concurrency: Math.max(1, runContext.settings.forks) });
  for (const batch of batchesOf(names, play.serial)) {
    const states = batch.map((h) => runContext.hosts.get(h)!);
    await Promise.all(states.map((hostState) => queue.add(() => prepareHost(runContext, play, hostState))));
    for (const section of [play.pre_tasks, play.tasks]) await runSection(runContext, play, states, section, queue);
    await runHandlers(runContext, play, states, queue);
    await runSection(runContext, play, states, play.post_tasks, queue);
    await runHandlers(runContext, play, states, queue);
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

/** linear: each task on every active host before the next; free: each host runs through on its own. */
async function runSection(runContext: RunContext, play: Play, states: HostState[], tasks: Task[], queue: PQueue): Promise<void> {
  const inherited = playInheritance(play);
  if (play.strategy === 'free') {
    await Promise.all(activeHosts(states).map((hostState) => queue.add(async () =>
      settleHost(runContext, hostState, await runTaskList(runContext, play, hostState, tasks, inherited)))));
    return;
  }
  for (const task of tasks) {
    if (runContext.abort.aborted) return;
    await Promise.all(activeHosts(states).map((hostState) => queue.add(async () =>
      settleHost(runContext, hostState, await runTaskOnHost(runContext, play, hostState, task, inherited)))));
  }
}

/** Notified handlers, in the order they are defined, once per host; matched by name. */
async function runHandlers(runContext: RunContext, play: Play, states: HostState[], queue: PQueue): Promise<void> {
  const inherited = playInheritance(play);
  for (const handler of play.handlers) {
    const hosts = activeHosts(states).filter((hostState) => hostState.notified.has(handler.name));
    await Promise.all(hosts.map((hostState) => queue.add(async () => {
      hostState.notified.delete(handler.name);
      await settleHost(runContext, hostState, await runTaskOnHost(runContext, play, hostState, handler, inherited));
    })));
  }
}
