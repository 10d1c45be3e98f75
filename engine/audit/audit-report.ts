// Audit results: drift per host and task from the event stream, saved as JSON, compared with a baseline.

import type { RunEvent } from '../report/events.js';

type TaskEvent = Extract<RunEvent, { event: 'task' }>;

export interface AuditCell { status: string; msg: string; module: string; diff?: TaskEvent['diff'] }

export interface AuditResult {
  run: string;
  playbook: string;
  date: string;
  hosts: string[];
  /** host → task → what the check found. Drift = status "changed". */
  cells: Record<string, Record<string, AuditCell>>;
  groups: Record<string, string[]>;
}

export function collectAudit(events: RunEvent[], groups: Record<string, string[]>): AuditResult {
  const start = events.find((e): e is Extract<RunEvent, { event: 'run_start' }> => e.event === 'run_start');
  const cells: AuditResult['cells'] = {};
  for (const e of events) {
    if (e.event !== 'task') continue;
    (cells[e.host] ??= {})[e.task] = { status: e.ignored ? 'ignored' : e.status, msg: e.msg, module: e.module, diff: e.diff };
  }
  return { run: start?.run ?? '', playbook: start?.playbook ?? '', date: start?.started ?? new Date().toISOString(), hosts: start?.hosts ?? Object.keys(cells), cells, groups };
}

export function driftOf(a: AuditResult): string[] {
  return Object.entries(a.cells).flatMap(([h, tasks]) => Object.entries(tasks).filter(([, c]) => c.status === 'changed').map(([t]) => `${h} | ${t}`)).sort();
}

/** What drifted since the baseline, and what drift the baseline had that is gone now. */
export function compareWithBaseline(now: AuditResult, before: AuditResult): { added: string[]; resolved: string[] } {
  const a = new Set(driftOf(now));
  const b = new Set(driftOf(before));
  return { added: [...a].filter((x) => !b.has(x)), resolved: [...b].filter((x) => !a.has(x)) };
}

/** The human summary: hosts × drifted tasks. */
export function auditSummary(a: AuditResult, cmp?: { added: string[]; resolved: string[] }): string {
  const lines: string[] = ['', 'AUDIT'];
  for (const h of a.hosts) {
    const tasks = a.cells[h] ?? {};
    const drift = Object.entries(tasks).filter(([, c]) => c.status === 'changed');
    const bad = Object.entries(tasks).filter(([, c]) => c.status === 'failed' || c.status === 'unreachable');
    const ignored = Object.entries(tasks).filter(([, c]) => c.status === 'ignored');
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
