// The lines of human output: a task result (for one host or a group of hosts with the same result), diffs, what a
// command printed (-v), the command lines run (-vv), rollback steps and batches.

import { Chalk } from 'chalk';
import { createTwoFilesPatch } from 'diff';
import type { BatchRecord, RunEvent } from './events.js';
import type { Diff } from '../types.js';

export type Paint = InstanceType<typeof Chalk>;
export type TaskEvent = Extract<RunEvent, { event: 'task' }>;

export interface LineStyle {
  c: Paint;
  check: boolean;
  /** 0 default, 1 -v (ok messages, command output), 2 -vv (command lines), 3 -vvv (connections). */
  verbosity: number;
}

export function renderDiff(d: Diff, c: Paint): string {
  const patch = createTwoFilesPatch(`${d.path ?? ''} (before)`, `${d.path ?? ''} (after)`, d.before, d.after, '', '', { context: 3 });
  return patch
    .split('\n')
    .slice(1) // drop the "====" line
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
    .join('\n');
}

export function statusColour(c: Paint, status: TaskEvent['status'] | 'ignored'): (s: string) => string {
  return { ok: c.green, changed: c.yellow, failed: c.red, skipped: c.cyan, unreachable: c.magenta, ignored: c.cyan }[status];
}

/** "changed      node1-3 | config (copy) wrote /etc/x" with its diffs and, by verbosity, output and commands. */
export function taskLines(hosts: string, ev: TaskEvent, style: LineStyle): string {
  const { c, check, verbosity } = style;
  const label = ev.ignored ? 'ignored' : check && ev.status === 'changed' ? 'would change' : ev.status;
  const msg = ev.status === 'ok' && verbosity === 0 && ev.data === undefined ? '' : ` ${ev.msg}`;
  let out = `${statusColour(c, ev.status)(label.padEnd(12))} ${hosts} | ${ev.task}${c.dim(` (${ev.module})`)}${msg.replace(/\n/g, '\n    ')}${ev.irreversible && ev.status === 'changed' ? c.dim(' [irreversible]') : ''}\n`;
  for (const d of ev.diff ?? []) out += `${renderDiff(d, c)}\n`;
  if (verbosity >= 2 && ev.commands?.length) out += `${c.dim(ev.commands.map((l) => `    $ ${l}`).join('\n'))}\n`;
  if (verbosity >= 1) out += commandOutput(ev.result, c.dim);
  return out;
}

/** -v: what a command printed (stdout, stderr; per loop item), trimmed to its last lines. */
function commandOutput(result: Record<string, unknown> | undefined, dim: (s: string) => string): string {
  if (!result) return '';
  const results = Array.isArray(result.results) ? (result.results as Array<Record<string, unknown>>) : [result];
  const lines: string[] = [];
  for (const r of results) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = typeof r?.[stream] === 'string' ? (r[stream] as string).trimEnd() : '';
      if (!text) continue;
      const all = text.split('\n');
      const shown = all.length > 40 ? [`(${all.length - 40} earlier lines not shown)`, ...all.slice(-40)] : all;
      lines.push(`    ${stream}: ${shown.join('\n      ')}`);
    }
  }
  return lines.length > 0 ? `${dim(lines.join('\n'))}\n` : '';
}

export function rollbackLines(ev: Extract<RunEvent, { event: 'rollback' }>, c: Paint): string {
  let out = c.bold(`ROLLBACK ${ev.host}\n`);
  for (const s of ev.steps) out += `  ${s.status === 'reverted' ? c.green(s.status) : c.red(s.status)} ${s.task} (${s.module})${s.msg ? ` ${s.msg}` : ''}\n`;
  return out;
}

/** "2/3 of web [node3, node4] rolled back: why" */
export function describeBatch(b: BatchRecord): string {
  const status = b.status === 'rolled_back' ? 'rolled back' : b.status === 'not_started' ? 'not started' : b.status;
  const why = b.reason && b.status !== 'not_started' ? `: ${b.reason}` : '';
  return `${b.batch}/${b.of} of ${b.play} [${b.hosts.join(', ')}] ${status}${why}`;
}
