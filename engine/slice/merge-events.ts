// `runbook merge`: the slices' event streams joined into one run's: one run_start, every slice's events in slice
// order, and one recap (per-host counters, the worst status, every batch, every host to retry).

import type { BatchRecord, HostRecap, RunEvent, RunStatus } from '../report/events.js';

type Recap = Extract<RunEvent, { event: 'recap' }>;
type Start = Extract<RunEvent, { event: 'run_start' }>;

export function mergeEvents(runId: string, streams: RunEvent[][], retryFile: (failed: string[]) => string | undefined): RunEvent[] {
  const starts = streams.map((s) => s.find((e): e is Start => e.event === 'run_start'));
  const recaps = streams.map((s) => s.find((e): e is Recap => e.event === 'recap'));
  const first = starts.find(Boolean);
  const start: Start = {
    event: 'run_start', run: runId, playbook: first?.playbook ?? '', check: starts.some((s) => s?.check),
    hosts: starts.flatMap((s) => s?.hosts ?? []), started: starts.map((s) => s?.started ?? '').filter(Boolean).sort()[0] ?? new Date().toISOString(),
  };
  const hosts: Record<string, HostRecap> = {};
  const batches: BatchRecord[] = [];
  const failed: string[] = [];
  for (const recap of recaps) {
    Object.assign(hosts, recap?.hosts ?? {});
    batches.push(...(recap?.batches ?? []));
    failed.push(...(recap?.failed_hosts ?? []));
  }
  const retry = failed.length > 0 ? retryFile(failed) : undefined;
  const recap: Recap = {
    event: 'recap', run: runId, hosts, status: worstStatus(recaps.map((r) => r?.status ?? 'interrupted')),
    duration_ms: Math.max(0, ...recaps.map((r) => r?.duration_ms ?? 0)),
    ...(batches.length > 0 ? { batches } : {}), ...(retry ? { failed_hosts: failed, retry_file: retry } : {}),
  };
  const middle = streams.flatMap((s) => s.filter((e) => e.event !== 'run_start' && e.event !== 'recap'));
  return [start, ...middle, recap];
}

/** A slice that never finished (no recap) counts as interrupted. */
function worstStatus(statuses: RunStatus[]): RunStatus {
  if (statuses.includes('interrupted')) return 'interrupted';
  return statuses.includes('failed') ? 'failed' : 'ok';
}
