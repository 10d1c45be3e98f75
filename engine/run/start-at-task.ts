// --start-at-task NAME, with Ansible's semantics: the first task (in run order, across plays) whose name equals NAME
// or matches it as a shell-style pattern; earlier plays are skipped whole, earlier tasks of its play are skipped,
// later plays run in full. A name that matches no task is an input error naming the nearest task names.

import { UsageError } from '../errors.js';
import { editDistance } from '../load/validate-args.js';
import type { Playbook, Task } from '../load/playbook-types.js';
import { orderedTasks } from './task-order.js';

export interface StartAt {
  /** Index of the play holding the task; earlier plays do not run. */
  playIndex: number;
  /** Tasks of that play before the start task. */
  skipped: Set<Task>;
}

export function findStartAt(playbook: Playbook, name: string): StartAt {
  const pattern = globPattern(name);
  for (const [playIndex, play] of playbook.plays.entries()) {
    const tasks = orderedTasks(play, { withAlways: true }).map((o) => o.task);
    const at = tasks.findIndex((t) => namesOf(t).some((n) => n === name || pattern.test(n)));
    if (at >= 0) return { playIndex, skipped: new Set(tasks.slice(0, at)) };
  }
  const names = [...new Set(playbook.plays.flatMap((p) => orderedTasks(p, { withAlways: true }).map((o) => o.task.name)))];
  const nearest = nearestNames(name, names);
  throw new UsageError(`--start-at-task '${name}' names no task of ${playbook.file}${nearest.length ? `; nearest task names: ${nearest.map((n) => `'${n}'`).join(', ')}` : ''}`);
}

/** A task is found by its name and, inside a role ("web : config"), by its own name too, as Ansible finds it. */
function namesOf(task: Task): string[] {
  const at = task.name.indexOf(' : ');
  return at > 0 ? [task.name, task.name.slice(at + 3)] : [task.name];
}

/** Python's fnmatch: * any text, ? one character, [seq] one of seq; everything else literal. */
function globPattern(name: string): RegExp {
  const source = name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[!/g, '[^');
  try {
    return new RegExp(`^${source}$`, 's');
  } catch {
    return /(?!)/;
  }
}

/** Up to three names closest by edit distance (names containing the word first). */
function nearestNames(word: string, names: string[]): string[] {
  const lower = word.toLowerCase();
  const score = (n: string) => (n.toLowerCase().includes(lower) ? -1 : editDistance(lower, n.toLowerCase()));
  return [...names].sort((a, b) => score(a) - score(b)).slice(0, 3);
}
