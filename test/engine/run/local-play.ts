// A throwaway project for run-semantics tests: writes a playbook (and extra files) into a temp dir, runs the CLI.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, type CliResult } from '../../helpers/cli.js';

export interface LocalPlay extends CliResult {
  events: Array<Record<string, any>>;
  /** Task events as "task name=status" in the order they were emitted. */
  statuses: string[];
  recap: Record<string, Record<string, number>>;
}

export async function withProject<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-run-'));
  try {
    return await use(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
}

/** Runs `runbook play site.yml --format json ARGS` in dir. */
export async function playJson(dir: string, args: string[] = []): Promise<LocalPlay> {
  const res = await runCli(['play', 'site.yml', '--format', 'json', ...args], { cwd: dir });
  const events = jsonEvents(res.stdout);
  return {
    ...res,
    events,
    statuses: events.filter((e) => e.event === 'task').map((e) => `${e.task}=${e.status}`),
    recap: events.find((e) => e.event === 'recap')?.hosts ?? {},
  };
}
