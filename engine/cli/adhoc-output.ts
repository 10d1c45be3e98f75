// Ad-hoc output: hosts with the same result are one block ("node1-3 | CHANGED | rc=0" then the output), then a
// one-line recap. Built from the same task events as every other reporter.

import type { RunEvent } from '../report/events.js';
import { foldHostNames } from '../report/host-names.js';
import type { Reporter } from './io.js';

export { foldHostNames };

function outputOf(ev: Extract<RunEvent, { event: 'task' }>): { head: string; body: string } {
  const r = ev.result ?? {};
  const status = ev.status.toUpperCase();
  if (typeof r.rc === 'number' || typeof r.stdout === 'string') {
    const body = [r.stdout, r.stderr].filter((x) => typeof x === 'string' && x.trim() !== '').map((x) => String(x).trimEnd()).join('\n');
    return { head: `${status} | rc=${r.rc ?? '?'}`, body: body || (ev.status === 'failed' ? ev.msg : '') };
  }
  if (typeof r.ping === 'string') return { head: status, body: `ping: ${r.ping}` };
  return { head: status, body: ev.msg };
}

export function adhocReporter(out: (s: string) => void): Reporter {
  const groups = new Map<string, string[]>();
  const counts = { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 };
  return {
    onEvent(ev) {
      if (ev.event !== 'task') return;
      counts[ev.status]++;
      const { head, body } = outputOf(ev);
      const key = `${head}\n${body}`;
      groups.set(key, [...(groups.get(key) ?? []), ev.host]);
    },
    finish() {
      for (const [key, hosts] of groups) {
        const [head, ...body] = key.split('\n');
        out(`${foldHostNames(hosts)} | ${head}\n${body.join('\n')}${body.join('').length ? '\n' : ''}`);
      }
      out(`\nok=${counts.ok} changed=${counts.changed} failed=${counts.failed} unreachable=${counts.unreachable} skipped=${counts.skipped}\n`);
    },
  };
}
