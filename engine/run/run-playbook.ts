// `runbook play`: load → inventory → lock → per play (batches, connect, facts, tasks, handlers) → recap.
// Reads like the pipeline in docs/architecture.md; each step lives in its own file.

import { plainMap } from '../plain-map.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import { describeFailure } from '../report/describe.js';
import { ConnectionError } from '../errors.js';
import { emptyRecap, type EventSink, type HostRecap, type RunEvent, type RunStatus } from '../report/events.js';
import { groupMembers, hostVars, loadInventory } from '../inventory/load-inventory.js';
import { matchHosts } from '../inventory/host-patterns.js';
import { JournalWriter, runsDir } from '../journal/journal.js';
import { loadPlaybook } from '../load/load-playbook.js';
import { acquireHostLocks } from './host-locks.js';
import { preflightVariables } from '../load/preflight.js';
import { loadRegistry } from '../load/packs.js';
import { collectSecrets, Redactor } from '../report/redact.js';
import { journalFile, revertHost } from '../journal/rollback.js';
import { closeAll, ensureConnected, ensureFacts } from './connect.js';
import type { HostState, RunContext, RunSettings } from './run-state.js';
import { playInheritance, runTaskList, runTaskOnHost, type TaskOutcome } from './run-task.js';
import { createHost } from './host.js';
import { loginUserOf } from '../connection/index.js';
import type { Inventory, Play, Playbook, Task } from '../load/playbook-types.js';
import type { ModuleRegistry } from '../types.js';

export interface RunResult {
  runId: string;
  status: RunStatus;
  hosts: Record<string, HostRecap>;
  /** Some task changed (or would change, in check mode). */
  changed: boolean;
}

export interface RunMeta {
  id: string;
  playbook: string;
  inventory: string[];
  check: boolean;
  hosts: string[];
  started: string;
  finished?: string;
  status: RunStatus | 'running';
  recap?: Record<string, HostRecap>;
}

export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(3).toString('hex')}`;
}

/** Load a playbook with the registry its `packs:` ask for. */
export async function loadPlaybookWithPacks(file: string, projectDir: string): Promise<{ playbook: Playbook; registry: ModuleRegistry }> {
  let registry = await loadRegistry(projectDir);
  let playbook = await loadPlaybook(file, { registry });
  if (playbook.packs.length > 0) {
    registry = await loadRegistry(projectDir, playbook.packs, playbook.dir);
    playbook = await loadPlaybook(file, { registry });
  }
  return { playbook, registry };
}

/** Hosts a play targets, narrowed by --limit. */
export function playHosts(inv: Inventory, play: Play, limit?: string): string[] {
  const hosts = matchHosts(inv, play.hosts);
  if (!limit) return hosts;
  const allowed = new Set(matchHosts(inv, limit));
  return hosts.filter((h) => allowed.has(h));
}

function newHostState(name: string, vars: Record<string, unknown>): HostState {
  return { name, vars, registered: {}, status: 'active', notified: new Set(), recap: emptyRecap(), applied: [] };
}

export async function runPlaybook(file: string, settings: RunSettings, sink: EventSink, abort: AbortSignal): Promise<RunResult> {
  const started = Date.now();
  const { playbook, registry } = await loadPlaybookWithPacks(file, settings.projectDir);
  const inventory = await loadInventory(settings.inventoryPaths);
  preflightVariables(playbook, inventory, settings.extraVars);
  const targeted = [...new Set(playbook.plays.flatMap((p) => playHosts(inventory, p, settings.limit)))];

  const runId = newRunId();
  const runDir = path.join(runsDir(settings.projectDir), runId);
  // Lock first: a run refused by the lock leaves no trace in `runbook runs`.
  const release = await acquireHostLocks(settings.projectDir, targeted, runId);
  await fs.mkdir(runDir, { recursive: true, mode: 0o700 }).catch(async (e) => { await release(); throw e; });
  const meta: RunMeta = {
    id: runId, playbook: playbook.file, inventory: settings.inventoryPaths.map((p) => path.resolve(p)),
    check: settings.check, hosts: targeted, started: new Date().toISOString(), status: 'running',
  };
  let rc: RunContext | undefined;
  try {
    await writeMeta(runDir, meta);
    rc = createRunContext(runId, runDir, playbook, inventory, registry, settings, targeted, sink, abort);
    rc.emit({ event: 'run_start', run: runId, playbook: playbook.file, check: settings.check, hosts: targeted, started: meta.started });
    for (const play of playbook.plays) {
      if (abort.aborted) break;
      await runPlay(rc, play);
    }
  } finally {
    if (rc) {
      await closeAll(rc);
      await rc.journal.close();
    }
    await release();
  }
  const { hosts, emit } = rc!;
  const recap = Object.fromEntries([...hosts.values()].map((h) => [h.name, h.recap]));
  const failed = [...hosts.values()].some((h) => h.status !== 'active');
  const status: RunStatus = abort.aborted ? 'interrupted' : failed ? 'failed' : 'ok';
  await writeMeta(runDir, { ...meta, finished: new Date().toISOString(), status, recap });
  emit({ event: 'recap', run: runId, hosts: recap, status, duration_ms: Date.now() - started });
  return { runId, status, hosts: recap, changed: Object.values(recap).some((r) => r.changed > 0) };
}

/** Host states, hostvars, redactor and the recap-counting event sink of one run. */
function createRunContext(
  runId: string, runDir: string, playbook: Playbook, inventory: Inventory, registry: ModuleRegistry,
  settings: RunSettings, targeted: string[], sink: EventSink, abort: AbortSignal,
): RunContext {
  const redactor = new Redactor();
  redactor.add(collectSecrets(settings.extraVars));
  const hosts = new Map<string, HostState>();
  const hostvars = plainMap<Record<string, unknown>>();
  for (const name of Object.keys(inventory.hosts)) {
    const vars = hostVars(inventory, name);
    redactor.add(collectSecrets(vars));
    hostvars[name] = { ...vars };
    if (targeted.includes(name)) hosts.set(name, newHostState(name, vars));
  }
  for (const play of playbook.plays) redactor.add(collectSecrets({ ...play.vars, ...play.varsFromFiles }));
  // Every task event feeds the recap; the recap is never computed twice.
  const emit: EventSink = (ev: RunEvent) => {
    if (ev.event === 'task') {
      const hs = hosts.get(ev.host);
      if (hs) hs.recap[(ev as { ignored?: boolean }).ignored ? 'ok' : ev.status]++;
    }
    sink(ev);
  };
  return {
    runId, runDir, playbook, inventory, registry, settings, hosts, hostvars, groups: groupMembers(inventory),
    journal: new JournalWriter(journalFile(runDir)), redactor, emit, abort, runOnce: new Map(),
  };
}

export async function writeMeta(runDir: string, meta: RunMeta): Promise<void> {
  const tmp = path.join(runDir, 'run.json.tmp');
  await fs.writeFile(tmp, JSON.stringify(meta, null, 2), { mode: 0o600 });
  await fs.rename(tmp, path.join(runDir, 'run.json'));
}

function batchesOf(hosts: string[], serial: number | string | undefined): string[][] {
  if (serial === undefined || hosts.length === 0) return [hosts];
  const size = typeof serial === 'string' && serial.endsWith('%')
    ? Math.max(1, Math.floor((hosts.length * Number(serial.slice(0, -1))) / 100))
    : Math.max(1, Number(serial));
  const out: string[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}

async function runPlay(rc: RunContext, play: Play): Promise<void> {
  const names = playHosts(rc.inventory, play, rc.settings.limit).filter((h) => rc.hosts.get(h)?.status === 'active');
  rc.emit({ event: 'play_start', play: play.name, hosts: names });
  const queue = new PQueue({ concurrency: Math.max(1, rc.settings.forks) });
  for (const batch of batchesOf(names, play.serial)) {
    const states = batch.map((h) => rc.hosts.get(h)!);
    await Promise.all(states.map((hs) => queue.add(() => prepareHost(rc, play, hs))));
    for (const section of [play.pre_tasks, play.tasks]) await runSection(rc, play, states, section, queue);
    await runHandlers(rc, play, states, queue);
    await runSection(rc, play, states, play.post_tasks, queue);
    await runHandlers(rc, play, states, queue);
  }
}

/** Connect and gather facts; a host that cannot be reached is reported unreachable and leaves the play. */
async function prepareHost(rc: RunContext, play: Play, hs: HostState): Promise<void> {
  const started = Date.now();
  try {
    await ensureConnected(rc, hs);
    await ensureFacts(rc, hs, play.gather_facts);
  } catch (e) {
    const msg = describeFailure(e);
    rc.emit({ event: 'task', host: hs.name, task: play.gather_facts ? 'Gathering facts' : 'Connecting', module: 'setup', status: e instanceof ConnectionError ? 'unreachable' : 'failed', msg, duration_ms: Date.now() - started });
    hs.status = e instanceof ConnectionError ? 'unreachable' : 'failed';
    hs.reason = msg;
  }
}

function active(states: HostState[]): HostState[] {
  return states.filter((h) => h.status === 'active');
}

async function runSection(rc: RunContext, play: Play, states: HostState[], tasks: Task[], queue: PQueue): Promise<void> {
  const inh = playInheritance(play);
  if (play.strategy === 'free') {
    await Promise.all(active(states).map((hs) => queue.add(async () => settle(rc, play, hs, await runTaskList(rc, play, hs, tasks, inh)))));
    return;
  }
  for (const task of tasks) {
    if (rc.abort.aborted) return;
    await Promise.all(active(states).map((hs) => queue.add(async () => settle(rc, play, hs, await runTaskOnHost(rc, play, hs, task, inh)))));
  }
}

/** A host whose task failed leaves the play and is rolled back; an unreachable one is only marked. */
async function settle(rc: RunContext, play: Play, hs: HostState, outcome: TaskOutcome | 'filtered'): Promise<void> {
  if (outcome === 'unreachable') {
    hs.status = 'unreachable';
    if (hs.applied.length > 0) {
      rc.emit({ event: 'warning', host: hs.name, msg: `host became unreachable after ${hs.applied.length} change(s); run \`runbook rollback ${rc.runId} -l ${hs.name}\` once it is back, or re-run the playbook` });
    }
    return;
  }
  if (outcome !== 'failed') return;
  hs.status = 'failed';
  if (hs.notified.size > 0) {
    const pending = [...hs.notified];
    rc.emit({ event: 'handler_pending', host: hs.name, handlers: pending, msg: `handlers notified before the failure were not run: ${pending.join(', ')}` });
  }
  if (!rc.settings.rollback || rc.settings.check || hs.applied.length === 0) return;
  await rollbackHost(rc, hs);
}

export async function rollbackHost(rc: RunContext, hs: HostState): Promise<void> {
  const conn = await ensureConnected(rc, hs).catch(() => undefined);
  if (!conn) {
    rc.emit({ event: 'rollback', host: hs.name, steps: [{ task: '(connection)', module: '-', status: 'failed', msg: 'host unreachable; rollback later with runbook rollback' }] });
    return;
  }
  const host = createHost({
    name: hs.name, connection: conn, facts: await ensureFacts(rc, hs, false), vars: hs.vars, loginUser: loginUserOf(hs.vars),
    become: { become: Boolean(hs.vars.become ?? true), becomeUser: 'root', becomePassword: hs.vars.become_password as string | undefined },
  });
  const steps = await revertHost({
    runDir: rc.runDir, registry: rc.registry, host, journal: rc.journal, only: hs.applied,
    context: { hostvars: rc.hostvars, groups: rc.groups, playbookDir: rc.playbook.dir },
  });
  hs.recap.rolled_back += steps.filter((s) => s.status === 'reverted').length;
  rc.emit(rc.redactor.value({ event: 'rollback', host: hs.name, steps }));
}

/** Notified handlers, in the order they are defined, once per host; matched by name. */
async function runHandlers(rc: RunContext, play: Play, states: HostState[], queue: PQueue): Promise<void> {
  const inh = playInheritance(play);
  for (const handler of play.handlers) {
    const hosts = active(states).filter((hs) => hs.notified.has(handler.name));
    await Promise.all(hosts.map((hs) => queue.add(async () => {
      hs.notified.delete(handler.name);
      await settle(rc, play, hs, await runTaskOnHost(rc, play, hs, handler, inh));
    })));
  }
}
