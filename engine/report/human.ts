// Human output: per-task lines, diffs with --diff, a live progress line on a TTY, and the recap.

import path from 'node:path';
import { Chalk } from 'chalk';
import { createTwoFilesPatch } from 'diff';
import type { BatchRecord, RunEvent } from './events.js';
import { terminalSafeValue } from './terminal-safe.js';
import type { Diff } from '../types.js';

export interface HumanOptions {
  color: boolean;
  /** Show a live "task n/m" line (TTY only). */
  progress: boolean;
  verbose: boolean;
}

export function renderDiff(d: Diff, c: InstanceType<typeof Chalk>): string {
  const patch = createTwoFilesPatch(`${d.path ?? ''} (before)`, `${d.path ?? ''} (after)`, d.before, d.after, '', '', { context: 3 });
  return patch
    .split('\n')
    .slice(1) // drop the "====" line
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
    .join('\n');
}

export function humanReporter(write: (s: string) => void, opts: HumanOptions) {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const colour = { ok: c.green, changed: c.yellow, failed: c.red, skipped: c.cyan, unreachable: c.magenta } as const;
  let check = false;
  let playbook: string | undefined;
  let done = 0;
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) write('\r\x1b[K');
    progressShown = false;
  };
  const onEvent = (raw: RunEvent) => {
    clearProgress();
    // Everything in an event may come from a host: control characters are shown, never interpreted.
    const ev = terminalSafeValue(raw);
    switch (ev.event) {
      case 'run_start':
        check = ev.check;
        playbook = path.relative(process.cwd(), ev.playbook) || ev.playbook;
        write(c.bold(`runbook run ${ev.run}${ev.check ? ' (check mode: nothing will be changed)' : ''}\n`));
        break;
      case 'play_start':
        write(`\n${c.bold(`PLAY ${ev.play}`)} [${ev.hosts.join(', ')}]\n`);
        break;
      case 'task': {
        done++;
        const label = ev.ignored ? 'ignored' : check && ev.status === 'changed' ? 'would change' : ev.status;
        const msg = ev.status === 'ok' && !opts.verbose && ev.data === undefined ? '' : ` ${ev.msg}`;
        write(`${colour[ev.status](label.padEnd(12))} ${ev.host} | ${ev.task}${c.dim(` (${ev.module})`)}${msg.replace(/\n/g, '\n    ')}${ev.irreversible && ev.status === 'changed' ? c.dim(' [irreversible]') : ''}\n`);
        for (const d of ev.diff ?? []) write(`${renderDiff(d, c)}\n`);
        if (opts.verbose) write(commandOutput(ev.result, c.dim));
        break;
      }
      case 'handler_pending':
        write(c.yellow(`pending      ${ev.host} | ${ev.msg}\n`));
        break;
      case 'rollback':
        write(c.bold(`ROLLBACK ${ev.host}\n`));
        for (const s of ev.steps) write(`  ${s.status === 'reverted' ? c.green(s.status) : c.red(s.status)} ${s.task} (${s.module})${s.msg ? ` ${s.msg}` : ''}\n`);
        break;
      case 'batch':
        write(`${ev.status === 'completed' ? c.green('BATCH') : c.red('BATCH')} ${describeBatch(ev)}\n`);
        break;
      case 'warning':
        write(c.yellow(`warning      ${ev.host ? `${ev.host} | ` : ''}${ev.msg}\n`));
        break;
      case 'recap': {
        write(`\n${c.bold('RECAP')} run ${ev.run} (${(ev.duration_ms / 1000).toFixed(1)} s) ${ev.status === 'ok' ? c.green(ev.status) : c.red(ev.status)}\n`);
        const width = Math.max(4, ...Object.keys(ev.hosts).map((h) => h.length));
        for (const [host, r] of Object.entries(ev.hosts)) {
          const bad = r.failed > 0 || r.unreachable > 0 || r.rollback_failed > 0;
          write(`${(bad ? c.red : r.changed > 0 ? c.yellow : c.green)(host.padEnd(width))} : ok=${r.ok} changed=${r.changed} failed=${r.failed} skipped=${r.skipped} unreachable=${r.unreachable} ignored=${r.ignored} rolled_back=${r.rolled_back}${r.rollback_failed ? ` rollback_failed=${r.rollback_failed}` : ''}\n`);
        }
        for (const b of ev.batches ?? []) write(`batch ${describeBatch(b)}\n`);
        if (ev.failed_hosts?.length && ev.retry_file) {
          write(c.red(`failed or unreachable: ${ev.failed_hosts.join(', ')}\n`));
          write(`retry only those: runbook play ${playbook ?? 'PLAYBOOK'} … -l @${ev.retry_file}\n`);
        }
        break;
      }
    }
    if (opts.progress && ev.event === 'task') {
      write(c.dim(`… ${done} task results so far`));
      progressShown = true;
    }
  };
  return { onEvent, finish: clearProgress };
}

/** "2/3 of web [node3, node4] rolled back: why" */
function describeBatch(b: BatchRecord): string {
  const status = b.status === 'rolled_back' ? 'rolled back' : b.status === 'not_started' ? 'not started' : b.status;
  const why = b.reason && b.status !== 'not_started' ? `: ${b.reason}` : '';
  return `${b.batch}/${b.of} of ${b.play} [${b.hosts.join(', ')}] ${status}${why}`;
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
