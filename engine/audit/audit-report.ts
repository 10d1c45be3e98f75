// Audit results: drift per host and task from the event stream, saved as JSON, compared with a baseline. A task is
// known by its play and its position there, never by name alone: two tasks named `config` in two plays are two.

import type { RunEvent } from '../report/events.js';

type TaskEvent = Extract<RunEvent, { event: 'task' }>;

export interface AuditCell { status: string; msg: string; module: string; diff?: TaskEvent['diff'] }

/** One task of the audited playbook: the play it is in (1-based index and name) and its place among that play's tasks. */
export interface AuditTask { id: string; play: string; playIndex: number; position: number; name: string; location?: string }

export interface AuditResult {
  run: string;
  playbook: string;
  date: string;
  hosts: string[];
  /** The tasks in run order. Absent in baselines saved before tasks had ids (their cells are keyed by task name). */
  tasks?: AuditTask[];
  /** host → task id → what the check found. Drift = status "changed". */
  cells: Record<string, Record<string, AuditCell>>;
  groups: Record<string, string[]>;
}

export interface BaselineComparison { added: string[]; resolved: string[] }

export function collectAudit(events: RunEvent[], groups: Record<string, string[]>): AuditResult {
  const start = events.find((e): e is Extract<RunEvent, { event: 'run_start' }> => e.event === 'run_start');
  const cells: AuditResult['cells'] = {};
  const tasks = new Map<string, AuditTask>();
  // Slices of one run (`runbook merge`) each replay the same plays: a play is known by its place in the playbook.
  const playTasks = new Map<number, number>();
  let play = { index: 0, name: '' };
  const taskOf = (name: string, location: string | undefined): AuditTask => {
    const id = `${play.index}:${location ?? name}`;
    let task = tasks.get(id);
    if (!task) {
      const position = (playTasks.get(play.index) ?? 0) + 1;
      playTasks.set(play.index, position);
      task = { id, play: play.name, playIndex: play.index, position, name, ...(location ? { location } : {}) };
      tasks.set(id, task);
    }
    return task;
  };
  for (const e of events) {
    if (e.event === 'play_start') play = { index: e.position ?? play.index + 1, name: e.play };
    else if (e.event === 'task_start') taskOf(e.name, e.location);
    else if (e.event === 'task') {
      (cells[e.host] ??= {})[taskOf(e.task, e.location).id] = { status: e.ignored ? 'ignored' : e.status, msg: e.msg, module: e.module, diff: e.diff };
    }
  }
  return { run: start?.run ?? '', playbook: start?.playbook ?? '', date: start?.started ?? new Date().toISOString(), hosts: start?.hosts ?? Object.keys(cells), tasks: [...tasks.values()], cells, groups };
}

/** How a task is shown: its name, qualified by play and position when another task has the same name. */
export function taskLabel(a: AuditResult, id: string): string {
  const task = a.tasks?.find((t) => t.id === id);
  if (!task) return id;
  const clash = a.tasks!.some((t) => t.id !== id && t.name === task.name);
  return clash ? `${task.play} #${task.position} ${task.name}` : task.name;
}

/** "host | play #position name" of one cell (by name only, to compare with a baseline saved without task ids). */
export function driftKey(a: AuditResult, host: string, id: string, byName = !a.tasks): string {
  const task = a.tasks?.find((t) => t.id === id);
  return `${host} | ${!task ? id : byName ? task.name : `${task.play} #${task.position} ${task.name}`}`;
}

export function driftOf(a: AuditResult, byName = !a.tasks): string[] {
  return Object.entries(a.cells).flatMap(([h, cells]) => Object.entries(cells).filter(([, c]) => c.status === 'changed').map(([id]) => driftKey(a, h, id, byName))).sort();
}

/** What drifted since the baseline, and what drift the baseline had that is gone now. */
export function compareWithBaseline(now: AuditResult, before: AuditResult): BaselineComparison {
  const byName = !before.tasks;
  const a = new Set(driftOf(now, byName));
  const b = new Set(driftOf(before, byName));
  return { added: [...a].filter((x) => !b.has(x)), resolved: [...b].filter((x) => !a.has(x)) };
}

/** The human summary: hosts × drifted tasks. */
export function auditSummary(a: AuditResult, cmp?: BaselineComparison): string {
  const lines: string[] = ['', 'AUDIT'];
  for (const h of a.hosts) {
    const cells = Object.entries(a.cells[h] ?? {}).map(([id, c]) => [taskLabel(a, id), c] as const);
    const drift = cells.filter(([, c]) => c.status === 'changed');
    const bad = cells.filter(([, c]) => c.status === 'failed' || c.status === 'unreachable');
    const ignored = cells.filter(([, c]) => c.status === 'ignored');
    const counts = [`${drift.length} drifted`, ...(bad.length ? [`${bad.length} error(s)`] : []), ...(ignored.length ? [`${ignored.length} ignored`] : [])];
    lines.push(`${h}: ${drift.length === 0 && bad.length === 0 && ignored.length === 0 ? 'no drift' : counts.join(', ')}`);
    for (const [t, c] of drift) lines.push(`  drift  ${t}: ${c.msg}`);
    for (const [t, c] of bad) lines.push(`  ${c.status}  ${t}: ${c.msg}`);
    for (const [t, c] of ignored) lines.push(`  ignored  ${t}: ${c.msg}`);
  }
  if (cmp) {
    lines.push('', `since the baseline: ${cmp.added.length} new drift, ${cmp.resolved.length} resolved`);
    for (const x of cmp.added) lines.push(`  + ${x}`);
    for (const x of cmp.resolved) lines.push(`  - ${x}`);
  }
  return `${lines.join('\n')}\n`;
}
