// `runbook play`: load → inventory → pre-flight → lock → run record → each play → recap.
// Reads like the pipeline in docs/architecture.md; each step lives in its own file.

import { hostIdentity } from '../connection/index.js';
import { privateFolder } from '../journal/private-state.js';
import path from 'node:path';
import type { EventSink, HostRecap, RunStatus } from '../report/events.js';
import { hostVars, loadInventory, withHostDefaults } from '../inventory/load-inventory.js';
import { journalFile, newRunId, runDirOf, writeFailedHosts, writeRunMeta, type RunMeta } from '../journal/run-record.js';
import { loadPlaybookWithPacks } from '../load/load-with-packs.js';
import { preflightVariables } from '../load/preflight.js';
import { acquireHostLocks } from './host-locks.js';
import { closeAll } from './connect.js';
import { createRunContext } from './run-context.js';
import { playHosts } from './play-hosts.js';
import { runPlay } from './run-play.js';
import { findStartAt } from './start-at-task.js';
import { recordingSink } from '../slice/event-record.js';
import { refuseRunOnce, sliceHosts } from '../slice/slice-hosts.js';
import type { RunContext, RunSettings } from './run-state.js';
import { isHostList } from '../inventory/host-list.js';

export interface RunResult {
  runId: string;
  status: RunStatus;
  hosts: Record<string, HostRecap>;
  /** Some task changed (or would change, in check mode). */
  changed: boolean;
}

export async function runPlaybook(file: string, settings: RunSettings, sink: EventSink, abort: AbortSignal): Promise<RunResult> {
  const started = Date.now();
  const { playbook, registry } = await loadPlaybookWithPacks(file, settings.projectDir, settings.playbookText, settings.packs, settings.rolesPath);
  const inventory = withHostDefaults(await loadInventory(settings.inventoryPaths), settings.hostDefaults);
  preflightVariables(playbook, inventory, settings.extraVars, registry);
  await settings.plan?.begin(playbook, settings);
  const start = settings.startAtTask !== undefined ? findStartAt(playbook, settings.startAtTask) : undefined;
  const plays = playbook.plays.slice(start?.playIndex ?? 0);
  const matched = [...new Set(plays.flatMap((p) => playHosts(inventory, p, settings.limit)))];
  if (settings.slice) refuseRunOnce(playbook);
  const targeted = settings.slice ? sliceHosts(matched, settings.slice) : matched;

  const runId = newRunId();
  const runDir = runDirOf(settings.projectDir, runId);
  // Lock first: a run refused by the lock leaves no trace in `runbook runs`.
  const release = await acquireHostLocks(settings.stateDir, targeted.map((name) => ({ name, identity: hostIdentity(name, hostVars(inventory, name)) })), runId, settings.projectDir);
  await privateFolder(settings.projectDir, '.runbook', 'runs', runId).catch(async (e) => { await release(); throw e; });
  const meta: RunMeta = {
    id: runId, playbook: playbook.file, inventory: settings.inventoryPaths.map((p) => (isHostList(p) ? p : path.resolve(p))),
    check: settings.check, hosts: targeted, started: new Date().toISOString(), status: 'running',
    ...(settings.slice ? { slice: settings.slice } : {}),
  };
  let runContext: RunContext | undefined;
  try {
    await writeRunMeta(runDir, meta);
    // A slice keeps its events for `runbook merge`.
    const events = settings.slice ? recordingSink(runDir, sink) : sink;
    runContext = createRunContext({ runId, runDir, journalPath: journalFile(runDir), playbook, inventory, registry, settings, targeted, sink: events, abort, skippedTasks: start?.skipped });
    runContext.emit({ event: 'run_start', run: runId, playbook: playbook.file, check: settings.check, hosts: targeted, started: meta.started });
    for (const note of inventory.notes ?? []) runContext.emit({ event: 'warning', msg: note });
    for (const play of plays) {
      if (abort.aborted || runContext.halted) break;
      await runPlay(runContext, play);
    }
  } finally {
    if (runContext) {
      await closeAll(runContext);
      await runContext.journal.close();
    }
    await release();
  }
  const { hosts, emit, batches } = runContext!;
  const recap = Object.fromEntries([...hosts.values()].map((h) => [h.name, h.recap]));
  const failed = [...hosts.values()].some((h) => h.status !== 'active') || runContext!.halted !== undefined;
  const status: RunStatus = abort.aborted ? 'interrupted' : failed ? 'failed' : 'ok';
  await writeRunMeta(runDir, { ...meta, finished: new Date().toISOString(), status, recap });
  // Hosts of batches that never started need the run as much as failed ones.
  const notStarted = batches.filter((b) => b.status === 'not_started').flatMap((b) => b.hosts);
  const failedHosts = [...new Set([...[...hosts.values()].filter((h) => h.status !== 'active').map((h) => h.name), ...notStarted])];
  const retryFile = failedHosts.length > 0 ? await writeFailedHosts(runDir, failedHosts) : undefined;
  emit({ event: 'recap', run: runId, hosts: recap, status, duration_ms: Date.now() - started, ...(batches.length > 0 ? { batches } : {}), ...(retryFile ? { failed_hosts: failedHosts, retry_file: path.relative(settings.projectDir, retryFile) } : {}) });
  return { runId, status, hosts: recap, changed: Object.values(recap).some((r) => r.changed > 0) };
}
