// The recap: a line per host, batches, then by name the hosts that failed and those unreachable, every rollback step
// that failed (the host is not back where it was), and the command that retries only those hosts.

import type { Paint } from './human-lines.js';
import { describeBatch } from './human-lines.js';
import type { RunEvent } from './events.js';
import { quoteArgv } from '../template/shell-quote.js';

type Recap = Extract<RunEvent, { event: 'recap' }>;
export type RollbackStep = Extract<RunEvent, { event: 'rollback' }>['steps'][number] & { host: string };

export interface RecapContext {
  /** The playbook as the operator named it. */
  playbook?: string;
  /** The command line of this run without its --limit (to build the retry command), when known. */
  retryCommand?: string[];
  /** Rollback steps that failed during the run (from the rollback events). */
  failedRollbacks: RollbackStep[];
}

export function recapLines(ev: Recap, c: Paint, context: RecapContext): string {
  let out = `\n${c.bold('RECAP')} run ${ev.run} (${(ev.duration_ms / 1000).toFixed(1)} s) ${ev.status === 'ok' ? c.green(ev.status) : c.red(ev.status)}\n`;
  const width = Math.max(4, ...Object.keys(ev.hosts).map((h) => h.length));
  for (const [host, r] of Object.entries(ev.hosts)) {
    const bad = r.failed > 0 || r.unreachable > 0 || r.rollback_failed > 0;
    out += `${(bad ? c.red : r.changed > 0 ? c.yellow : c.green)(host.padEnd(width))} : ok=${r.ok} changed=${r.changed} failed=${r.failed} skipped=${r.skipped} unreachable=${r.unreachable} ignored=${r.ignored} rolled_back=${r.rolled_back}${r.rollback_failed ? ` rollback_failed=${r.rollback_failed}` : ''}\n`;
  }
  for (const b of ev.batches ?? []) out += `batch ${describeBatch(b)}\n`;
  const hosts = Object.entries(ev.hosts);
  const unreachable = hosts.filter(([, r]) => r.unreachable > 0).map(([h]) => h);
  const failed = hosts.filter(([h, r]) => r.failed > 0 && !unreachable.includes(h)).map(([h]) => h);
  if (failed.length > 0) out += c.red(`failed: ${failed.join(', ')}\n`);
  if (unreachable.length > 0) out += c.magenta(`unreachable: ${unreachable.join(', ')}\n`);
  for (const s of context.failedRollbacks) {
    out += c.red(`rollback step failed: ${s.host} | ${s.task} (${s.module})${s.msg ? `: ${s.msg}` : ''}\n`);
  }
  if (ev.failed_hosts?.length && ev.retry_file) {
    const command = context.retryCommand ? quoteArgv(['runbook', ...context.retryCommand]).replace(/'…'/g, '…') : `runbook play ${context.playbook ?? 'PLAYBOOK'} …`;
    out += `retry only those: ${command} -l @${ev.retry_file}\n`;
  }
  return out;
}

/**
 * argv of this run for the retry command: without -l/--limit (and its value); an inline -e value (it may hold a
 * secret) is shown as … for the operator to repeat, while -e @file stays as it was.
 */
export function retryArguments(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-l' || a === '--limit') { i++; continue; }
    if (a.startsWith('--limit=') || (/^-l./.test(a))) continue;
    if ((a === '-e' || a === '--extra-vars') && i + 1 < argv.length) {
      out.push(a, argv[i + 1].startsWith('@') ? argv[i + 1] : '…');
      i++;
      continue;
    }
    if (/^(-e.|--extra-vars=)/.test(a)) { out.push(/^(-e@|--extra-vars=@)/.test(a) ? a : '-e …'); continue; }
    out.push(a);
  }
  return out;
}
