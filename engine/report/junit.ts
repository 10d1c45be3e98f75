// --format junit: one testsuite per host, one testcase per host × task; failed, unreachable (and, in audits,
// drifted) tasks are failures.

import type { RunEvent } from './events.js';

type TaskEvent = Extract<RunEvent, { event: 'task' }>;

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
    // XML 1.0 cannot carry most control characters even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function junitXml(events: RunEvent[], opts: { driftIsFailure: boolean }): string {
  const tasks = events.filter((e): e is TaskEvent => e.event === 'task');
  const run = events.find((e) => e.event === 'run_start') as Extract<RunEvent, { event: 'run_start' }> | undefined;
  const byHost = new Map<string, TaskEvent[]>();
  for (const t of tasks) byHost.set(t.host, [...(byHost.get(t.host) ?? []), t]);
  const failing = (t: TaskEvent) => (t.status === 'failed' && !t.ignored) || t.status === 'unreachable' || (opts.driftIsFailure && t.status === 'changed');
  const suites = [...byHost.entries()].map(([host, list]) => {
    const cases = list.map((t) => {
      const body = failing(t)
        ? `<failure message="${xmlEscape(t.status === 'changed' ? 'drift' : t.status)}">${xmlEscape([t.msg, ...(t.diff ?? []).map((d) => `--- ${d.path ?? ''}\n${d.before}\n+++\n${d.after}`)].join('\n'))}</failure>`
        : t.status === 'skipped' ? `<skipped message="${xmlEscape(t.msg)}"/>` : `<system-out>${xmlEscape(`${t.status}: ${t.msg}`)}</system-out>`;
      return `    <testcase classname="${xmlEscape(host)}" name="${xmlEscape(t.task)}" time="${(t.duration_ms / 1000).toFixed(3)}">${body}</testcase>`;
    });
    const failures = list.filter(failing).length;
    const skipped = list.filter((t) => t.status === 'skipped').length;
    const time = list.reduce((a, t) => a + t.duration_ms, 0) / 1000;
    return `  <testsuite name="${xmlEscape(host)}" tests="${list.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="runbook${run ? ` ${xmlEscape(run.run)}` : ''}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function junitReporter(write: (s: string) => void, opts: { driftIsFailure: boolean }) {
  const events: RunEvent[] = [];
  return { onEvent: (ev: RunEvent) => void events.push(ev), finish: () => write(junitXml(events, opts)) };
}
