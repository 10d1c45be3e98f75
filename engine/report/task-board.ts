// The tasks in flight as the human reporter sees them: the hosts each started on, those that reported, and their
// results (for grouped output). A host runs one task at a time, so a host starting a task ends its previous one.

import type { RunEvent } from './events.js';
import type { TaskEvent } from './human-lines.js';

export type TaskStartEvent = Extract<RunEvent, { event: 'task_start' }>;

export interface TaskTally {
  key: string;
  name: string;
  module: string;
  started: number;
  /** Hosts the task started on and that may still report; empty when no task_start came (facts, connecting). */
  expected: Set<string>;
  reported: Set<string>;
  results: TaskEvent[];
  announced: boolean;
}

export class TaskBoard {
  private readonly tallies = new Map<string, TaskTally>();

  /** A task starts; returns the tallies this ends (their hosts have moved on). */
  start(ev: TaskStartEvent, now: number): TaskTally[] {
    const ended = this.moveOn(new Set(ev.hosts), ev.location);
    const tally = this.tallies.get(ev.location) ?? this.create(ev.location, ev.name, ev.module, now, true);
    for (const h of ev.hosts) tally.expected.add(h);
    return ended;
  }

  /** A result; returns the tally, and whether every host it started on has reported. */
  report(ev: TaskEvent, now: number): { tally: TaskTally; complete: boolean } {
    const key = ev.location ?? `${ev.task} (${ev.module})`;
    const tally = this.tallies.get(key) ?? this.create(key, ev.task, ev.module, now, false);
    tally.reported.add(ev.host);
    tally.results.push(ev);
    return { tally, complete: tally.announced && [...tally.expected].every((h) => tally.reported.has(h)) };
  }

  remove(tally: TaskTally): void {
    this.tallies.delete(tally.key);
  }

  /** Every tally, oldest first, and removes them (end of a play or of the run). */
  drain(): TaskTally[] {
    const all = [...this.tallies.values()];
    this.tallies.clear();
    return all;
  }

  /** Announced tasks still waiting for hosts, oldest first. */
  running(): Array<{ tally: TaskTally; waiting: string[] }> {
    return [...this.tallies.values()].filter((t) => t.announced)
      .map((tally) => ({ tally, waiting: [...tally.expected].filter((h) => !tally.reported.has(h)) }))
      .filter((r) => r.waiting.length > 0);
  }

  private moveOn(hosts: Set<string>, startingKey: string): TaskTally[] {
    const ended: TaskTally[] = [];
    for (const tally of this.tallies.values()) {
      if (tally.key === startingKey) continue;
      for (const h of [...tally.expected]) if (hosts.has(h) && !tally.reported.has(h)) tally.expected.delete(h);
      const done = !tally.announced || [...tally.expected].every((h) => tally.reported.has(h));
      if (done) ended.push(tally);
    }
    for (const t of ended) this.tallies.delete(t.key);
    return ended;
  }

  private create(key: string, name: string, module: string, now: number, announced: boolean): TaskTally {
    const tally: TaskTally = { key, name, module, started: now, expected: new Set(), reported: new Set(), results: [], announced };
    this.tallies.set(key, tally);
    return tally;
  }
}
