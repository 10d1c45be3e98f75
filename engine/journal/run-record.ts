// The one owner of .runbook/runs/: run ids, the run folder layout (run.json, journal.jsonl, sealed/) and run.json.

import { checkRunFolder } from './private-state.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { HostRecap, RunStatus } from '../report/events.js';

/** run.json: what a run was asked to do and how it ended. */
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
  /** --slice I/N: this run is one slice of a run spread over several controllers. */
  slice?: { index: number; count: number };
  /** `runbook merge`: the slice runs (their ids) this run was merged from. */
  merged?: string[];
}

export function runsDir(projectDir: string): string {
  return path.join(projectDir, '.runbook', 'runs');
}

export function runDirOf(projectDir: string, runId: string): string {
  if (!/^[\w.-]+$/.test(runId) || runId.startsWith('.')) throw new UsageError(`invalid run id '${runId}'`);
  return path.join(runsDir(projectDir), runId);
}

export function journalFile(runDir: string): string {
  return path.join(runDir, 'journal.jsonl');
}

/** Side files of sensitive journal entries (0600, in a 0700 folder). */
export function sealedDir(runDir: string): string {
  return path.join(runDir, 'sealed');
}

/** Sortable by time, unique by its random tail: 20261128-035000-a1b2c3. */
export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(3).toString('hex')}`;
}

/** Written whole (temp + rename), so a reader never sees half a run.json. */
export async function writeRunMeta(runDir: string, meta: RunMeta): Promise<void> {
  const tmp = path.join(runDir, 'run.json.tmp');
  await fs.writeFile(tmp, JSON.stringify(meta, null, 2), { mode: 0o600 });
  await fs.rename(tmp, path.join(runDir, 'run.json'));
}

export async function readRunMeta(projectDir: string, runId: string): Promise<{ dir: string; meta: RunMeta }> {
  const dir = runDirOf(projectDir, runId);
  const text = await fs.readFile(path.join(dir, 'run.json'), 'utf8').catch(() => null);
  if (text === null) throw new UsageError(`no run '${runId}' in ${runsDir(projectDir)} (see \`runbook runs\`)`);
  // A run folder someone else could have written is never trusted: rollback would carry out what it says.
  await checkRunFolder(projectDir, dir, ['run.json', 'journal.jsonl']);
  return { dir, meta: JSON.parse(text) as RunMeta };
}

/** Run ids, newest first. */
export async function listRunIds(projectDir: string): Promise<string[]> {
  return (await fs.readdir(runsDir(projectDir)).catch(() => [] as string[])).sort().reverse();
}

/** failed.txt: the hosts that failed or were unreachable, one per line, for `runbook play … -l @failed.txt`. */
export async function writeFailedHosts(runDir: string, hosts: string[]): Promise<string> {
  const file = path.join(runDir, 'failed.txt');
  await fs.writeFile(file, `${hosts.join('\n')}\n`, { mode: 0o600 });
  return file;
}
