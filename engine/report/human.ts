// Human output. Up to COMPACT_ABOVE hosts: one line per host and task. More: per task one summary line, then only
// changed/failed/unreachable results (ok with -v), hosts with the same result on one line ("node1-3"). On a terminal
// a live region (live-view.ts) shows the tasks in flight; elsewhere lines are only ever appended.

import path from 'node:path';
import { Chalk } from 'chalk';
import type { RunEvent } from './events.js';
import { foldHostNames } from './host-names.js';
import { describeBatch, rollbackLines, taskLines, type LineStyle } from './human-lines.js';
import { liveView, type LiveState, type LiveView } from './live-view.js';
import { recapLines, type RollbackStep } from './recap-lines.js';
import { TaskBoard, type TaskTally } from './task-board.js';
import { terminalSafeValue } from './terminal-safe.js';

export { renderDiff } from './human-lines.js';

/** More hosts than this in a run: grouped, summarised output. */
export const COMPACT_ABOVE = 5;

export interface HumanOptions {
  color: boolean;
  /** 0 default, 1 -v, 2 -vv, 3 -vvv. */
  verbosity: number;
  /** The terminal to draw the live region on (absent: no cursor movement at all). */
  live?: NodeJS.WriteStream;
  /** This run's command line without its limit, for the recap's retry command (recap-lines.ts retryArguments). */
  retryCommand?: string[];
}

export function humanReporter(write: (s: string) => void, opts: HumanOptions) {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const style: LineStyle = { c, check: false, verbosity: opts.verbosity };
  const state: LiveState = { board: new TaskBoard(), runStarted: Date.now() };
  let live: LiveView | undefined;
  let compact = false;
  let playbook: string | undefined;
  const failedRollbacks: RollbackStep[] = [];
  const print = (text: string) => (live ? live.print(text) : write(text));
  const settle = (tallies: TaskTally[]) => {
    if (compact) for (const t of tallies) print(taskSummary(t, style));
  };
  const onEvent = (raw: RunEvent) => {
    // Everything in an event may come from a host: control characters are shown, never interpreted.
    const ev = terminalSafeValue(raw);
    const now = Date.now();
    switch (ev.event) {
      case 'run_start':
        style.check = ev.check;
        compact = ev.hosts.length > COMPACT_ABOVE;
        playbook = path.relative(process.cwd(), ev.playbook) || ev.playbook;
        state.runStarted = now;
        if (opts.live) live = liveView(opts.live, state, c);
        print(c.bold(`runbook run ${ev.run}${ev.check ? ' (check mode: nothing will be changed)' : ''}\n`));
        break;
      case 'play_start':
        settle(state.board.drain());
        state.play = ev.play;
        state.preparing = { since: now, hosts: ev.hosts.length };
        print(`\n${c.bold(`PLAY ${ev.play}`)} [${compact ? foldHostNames(ev.hosts) : ev.hosts.join(', ')}]\n`);
        break;
      case 'task_start':
        state.preparing = undefined;
        settle(state.board.start(ev, now));
        break;
      case 'task': {
        const { tally, complete } = state.board.report(ev, now);
        if (!compact) print(taskLines(ev.host, ev, style));
        if (complete) {
          state.board.remove(tally);
          settle([tally]);
        }
        break;
      }
      case 'recap':
        settle(state.board.drain());
        live?.stop();
        live = undefined;
        write(recapLines(ev, c, { playbook, retryCommand: opts.retryCommand, failedRollbacks }));
        break;
      case 'rollback':
        failedRollbacks.push(...ev.steps.filter((s) => s.status === 'failed' || s.status === 'conflict').map((s) => ({ ...s, host: ev.host })));
        print(rollbackLines(ev, c));
        break;
      default:
        printOther(ev, print, style);
    }
    live?.refresh();
  };
  return { onEvent, finish: () => live?.stop() };
}

/** Connections (-vvv), handlers left pending, batches and warnings: printed as they come. */
function printOther(ev: RunEvent, print: (text: string) => void, { c, verbosity }: LineStyle): void {
  if (ev.event === 'connection' && verbosity >= 3) print(c.dim(`connected    ${ev.host} | ${ev.msg} (${ev.duration_ms} ms)\n`));
  if (ev.event === 'handler_pending') print(c.yellow(`pending      ${ev.host} | ${ev.msg}\n`));
  if (ev.event === 'batch') print(`${ev.status === 'completed' ? c.green('BATCH') : c.red('BATCH')} ${describeBatch(ev)}\n`);
  if (ev.event === 'warning') print(c.yellow(`warning      ${ev.host ? `${ev.host} | ` : ''}${ev.msg}\n`));
}

/** One task on many hosts: "TASK name (module) · 50 hosts: ok=47 changed=3 · 2.1 s", then its grouped results. */
function taskSummary(tally: TaskTally, style: LineStyle): string {
  const { c, verbosity } = style;
  const counts = new Map<string, number>();
  const groups = new Map<string, string[]>();
  for (const ev of tally.results) {
    const label = ev.ignored ? 'ignored' : ev.status;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    const quiet = (ev.status === 'ok' && !ev.ignored && ev.data === undefined && verbosity === 0) || (ev.status === 'skipped' && verbosity === 0);
    if (quiet) continue;
    // Same text once the host is left out = same result.
    const text = taskLines('\u0000', ev, style);
    groups.set(text, [...(groups.get(text) ?? []), ev.host]);
  }
  const order = ['ok', 'changed', 'failed', 'unreachable', 'skipped', 'ignored'];
  const tallyText = order.filter((s) => counts.has(s) || s === 'ok').map((s) => `${s}=${counts.get(s) ?? 0}`).join(' ');
  const seconds = Math.max(0, ...tally.results.map((r) => r.duration_ms)) / 1000;
  let out = `${c.bold(`TASK ${tally.name}`)}${c.dim(` (${tally.module})`)} · ${tally.reported.size} host(s): ${tallyText} · ${seconds.toFixed(1)} s\n`;
  for (const [text, hosts] of groups) out += text.replace('\u0000', foldHostNames(hosts));
  return out;
}
