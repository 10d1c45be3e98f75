// Compares what the two tools did in one case: exit class, per-task per-host statuses, host state and step order.

import { diffLines } from 'diff';
import type { ConformanceCase, ToolExpectation } from './case-file.js';
import type { ToolRun } from './tool-runs.js';

export interface Observed {
  run: ToolRun;
  /** hN -> snapshot text. */
  state: Record<string, string>;
  order?: { perHost: Record<string, string[]>; global: string[] };
}

function tasksText(run: ToolRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [task, hosts] of run.tasks) {
    out[task] = [...hosts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([h, s]) => `${h}=${s.join(',')}`).join(' ');
  }
  return out;
}

function textDiff(a: string, b: string): string {
  return diffLines(a, b).filter((p) => p.added || p.removed).map((p) => p.value.split('\n').filter(Boolean).map((l) => `${p.added ? 'runbook+ ' : 'ansible- '}${l}`).join('\n')).join('\n').slice(0, 1500);
}

/** Every way the runbook twin differs from the Ansible run; empty when they conform. */
export function differences(c: ConformanceCase, ansible: Observed, runbook: Observed): string[] {
  const out: string[] = [];
  if ((ansible.run.code === 0) !== (runbook.run.code === 0)) out.push(`exit: ansible ${ansible.run.code}, runbook ${runbook.run.code}`);
  const a = tasksText(ansible.run);
  const b = tasksText(runbook.run);
  for (const task of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[task] !== b[task]) out.push(`task '${task}': ansible ${a[task] ?? '(not run)'} | runbook ${b[task] ?? '(not run)'}`);
  }
  for (const h of Object.keys(ansible.state)) {
    if (ansible.state[h] !== runbook.state[h]) out.push(`state of ${h}:\n${textDiff(ansible.state[h], runbook.state[h] ?? '')}`);
  }
  if (c.order) {
    const ao = JSON.stringify(ansible.order);
    const bo = JSON.stringify(runbook.order);
    if (ao !== bo) out.push(`order: ansible ${ao} | runbook ${bo}`);
  }
  return out;
}

/** A regular file's content as the snapshot shows it ("  | " lines up to "  |<eof>"), or undefined when absent. */
export function snapshotContent(snapshot: string, file: string): string | undefined {
  const lines = snapshot.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${file} f `));
  if (at < 0) return undefined;
  let text = '';
  for (const l of lines.slice(at + 1)) {
    if (l === '  |<eof>') return text;
    if (l.endsWith('  |<eof>')) return text + l.slice(4, -'  |<eof>'.length);
    text += `${l.slice(4)}\n`;
  }
  return text;
}

function meets(tool: string, observed: Observed, e: ToolExpectation): string[] {
  const run = observed.run;
  const out: string[] = [];
  for (const [file, want] of Object.entries(e.files ?? {})) {
    const got = snapshotContent(observed.state.h1 ?? '', file);
    if (got !== want) out.push(`${tool} wrote ${JSON.stringify(got)} to ${file}, expected ${JSON.stringify(want)}`);
  }
  const code = run.code ?? -1;
  if (e.exit === 'zero' && code !== 0) out.push(`${tool} exit ${code}, expected 0`);
  if (e.exit === 'nonzero' && code === 0) out.push(`${tool} exit 0, expected non-zero`);
  if (typeof e.exit === 'number' && code !== e.exit) out.push(`${tool} exit ${code}, expected ${e.exit}`);
  if (e.output && !new RegExp(e.output, 'm').test(run.output)) out.push(`${tool} output does not match /${e.output}/:\n${run.output.slice(-1500)}`);
  return out;
}

/** For a deliberate difference: each tool against its own expectation. */
export function deliberateProblems(c: ConformanceCase, ansible: Observed, runbook: Observed): string[] {
  const d = c.deliberate!;
  return [...meets('ansible', ansible, d.ansible ?? {}), ...meets('runbook', runbook, d.runbook ?? {})];
}
