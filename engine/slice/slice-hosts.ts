// --slice I/N: the I-th of N deterministic slices of a run's hosts (sorted by name, cut into N contiguous parts
// whose sizes differ by at most one), so N controllers can share one run (docs/scale.md).

import { RunbookError, UsageError, ValidationError } from '../errors.js';
import type { Playbook, Task } from '../load/playbook-types.js';

export interface Slice {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseSlice(text: string): Slice {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count || count > 10_000) {
    throw new UsageError(`--slice '${text}': expected I/N with 1 <= I <= N, e.g. --slice 2/4 (the second of four slices)`);
  }
  return { index, count };
}

/** The hosts of slice I/N: stable for the same host list whatever its order, balanced by host count. */
export function sliceHosts(hosts: string[], slice: Slice): string[] {
  const sorted = [...new Set(hosts)].sort();
  const start = Math.floor(((slice.index - 1) * sorted.length) / slice.count);
  const end = Math.floor((slice.index * sorted.length) / slice.count);
  return sorted.slice(start, end);
}

/** run_once needs every host of the play in one process: a sliced run refuses it before anything runs. */
export function refuseRunOnce(playbook: Playbook): void {
  const problems: RunbookError[] = [];
  const walk = (tasks: Task[]) => {
    for (const task of tasks) {
      if (task.run_once) {
        problems.push(new RunbookError('VALIDATION', `task '${task.name}': run_once cannot be split across --slice runs (each slice would run it once); run this play without --slice, or drop run_once`, { location: task.location, task: task.name }));
      }
      walk([...(task.block ?? []), ...(task.rescue ?? []), ...(task.always ?? [])]);
    }
  };
  for (const play of playbook.plays) walk([...play.pre_tasks, ...play.tasks, ...play.post_tasks, ...play.handlers, ...play.batch_check]);
  if (problems.length > 0) throw new ValidationError(problems);
}
