// `runbook merge RUN_DIR...`: the N slice runs of one sliced run (each made by `play --slice I/N`) joined into one
// run of this project: one journal (rollback undoes every slice), one event stream, one recap.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { checkPrivate, privateFolder } from '../journal/private-state.js';
import { journalFile, newRunId, writeFailedHosts, writeRunMeta, type RunMeta } from '../journal/run-record.js';
import type { RunEvent } from '../report/events.js';
import { EVENTS_FILE } from './event-record.js';
import { mergeEvents } from './merge-events.js';
import { appendSliceJournal } from './merge-journal.js';

interface SliceRun { dir: string; meta: RunMeta & { slice: NonNullable<RunMeta['slice']> }; events: RunEvent[] }

export interface MergedRun { runId: string; runDir: string; meta: RunMeta; events: RunEvent[] }

export async function mergeRuns(projectDir: string, sliceDirs: string[], inventory?: string[]): Promise<MergedRun> {
  const slices = checkComplete(await Promise.all(sliceDirs.map((d) => readSlice(path.resolve(projectDir, d)))));
  const runId = newRunId();
  const runDir = await privateFolder(projectDir, '.runbook', 'runs', runId);
  await fs.writeFile(journalFile(runDir), '', { mode: 0o600 });
  let offset = 0;
  for (const slice of slices) offset = await appendSliceJournal(runDir, slice.dir, slice.meta.slice.index, offset);
  const retryFile = path.relative(projectDir, path.join(runDir, 'failed.txt'));
  const events = mergeEvents(runId, slices.map((s) => s.events), () => retryFile);
  const recap = events[events.length - 1] as Extract<RunEvent, { event: 'recap' }>;
  if (recap.failed_hosts) await writeFailedHosts(runDir, recap.failed_hosts);
  await fs.writeFile(path.join(runDir, EVENTS_FILE), events.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
  const first = slices[0].meta;
  const meta: RunMeta = {
    id: runId, playbook: first.playbook, inventory: inventory ?? first.inventory, check: first.check,
    hosts: slices.flatMap((s) => s.meta.hosts), started: slices.map((s) => s.meta.started).sort()[0],
    finished: new Date().toISOString(), status: recap.status, recap: recap.hosts, merged: slices.map((s) => s.meta.id),
  };
  await writeRunMeta(runDir, meta);
  return { runId, runDir, meta, events };
}

async function readSlice(dir: string): Promise<SliceRun> {
  const runJson = path.join(dir, 'run.json');
  const text = await fs.readFile(runJson, 'utf8').catch(() => null);
  if (text === null) throw new UsageError(`${dir} is not a run folder (no run.json): give the run folders of the slices, e.g. .runbook/runs/<id>`);
  // Rollback of the merged run will carry out what these files say: they must be this user's and private.
  await checkPrivate(dir, 'folder');
  await checkPrivate(runJson, 'file');
  const meta = JSON.parse(text) as RunMeta;
  if (!meta.slice) throw new UsageError(`${dir}: run ${meta.id} was not run with --slice I/N, so it is not a slice to merge`);
  const eventsFile = path.join(dir, EVENTS_FILE);
  const events = await fs.readFile(eventsFile, 'utf8').catch(() => null);
  if (events === null) throw new UsageError(`${dir}: no ${EVENTS_FILE} (run ${meta.id} did not finish writing its events)`);
  await checkPrivate(eventsFile, 'file');
  return { dir, meta: meta as SliceRun['meta'], events: events.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RunEvent) };
}

/** Exactly slices 1..N of one playbook, once each; returned in slice order. */
function checkComplete(slices: SliceRun[]): SliceRun[] {
  const count = slices[0].meta.slice.count;
  const label = (s: SliceRun) => `${s.meta.slice.index}/${s.meta.slice.count}`;
  const other = slices.find((s) => s.meta.slice.count !== count || path.basename(s.meta.playbook) !== path.basename(slices[0].meta.playbook));
  if (other) throw new UsageError(`${other.dir} (slice ${label(other)} of ${path.basename(other.meta.playbook)}) is not from the same sliced run as ${slices[0].dir} (slice ${label(slices[0])} of ${path.basename(slices[0].meta.playbook)})`);
  const byIndex = new Map<number, SliceRun>();
  for (const s of slices) {
    const twice = byIndex.get(s.meta.slice.index);
    if (twice) throw new UsageError(`slice ${label(s)} given twice: ${twice.dir} and ${s.dir}`);
    byIndex.set(s.meta.slice.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new UsageError(`slice${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: merge needs the run folders of all ${count} slices`);
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}
