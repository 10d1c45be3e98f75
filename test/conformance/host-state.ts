// What the conformance suite observes on a lab host: a case's paths (type, mode, owner, content) and its order log.

import type { TestLab } from '../helpers/lab.js';

export const caseDir = (id: string): string => `/tmp/conf/${id}`;

/**
 * One line per path: "path type mode owner:group", then a regular file's content. order.log is read apart; a *.log
 * file is a log the case's commands append to: its content counts, not its mode (command-umask checks that once).
 */
const SNAPSHOT = `
for p in "$@"; do
  [ -e "$p" ] || [ -L "$p" ] || { echo "$p absent"; continue; }
  find "$p" -name order.log -prune -o -printf '%p %y %m %u:%g\\n' | sort | while read -r f t rest; do
    case "$f" in *.log) echo "$f $t - $rest" | cut -d' ' -f1-3,5 ;; *) echo "$f $t $rest" ;; esac
    if [ "$t" = f ]; then sed 's/^/  | /' "$f"; echo "  |<eof>"; fi
  done
done`;

export async function snapshot(lab: TestLab, host: string, paths: string[]): Promise<string> {
  const r = await lab.exec(host, ['sh', '-c', SNAPSHOT, 'snapshot', ...paths]);
  if (r.code !== 0) throw new Error(`snapshot on ${host}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh start for the case on a host: its directory emptied (0755, made by the harness), then the case's setup script. */
export async function resetHost(lab: TestLab, host: string, id: string, setup?: string): Promise<void> {
  const r = await lab.exec(host, ['sh', '-c', `rm -rf -- "$1" && mkdir -p -m 0755 /tmp/conf "$1"\n${setup ?? ''}`, 'reset', caseDir(id)]);
  if (r.code !== 0) throw new Error(`setup of ${id} on ${host} failed (${r.code}): ${r.stdout}${r.stderr}`);
}

export interface OrderRecord { ns: bigint; label: string; host: string }

export async function orderLog(lab: TestLab, host: string, logical: string, id: string): Promise<OrderRecord[]> {
  const text = (await lab.readFile(host, `${caseDir(id)}/order.log`)) ?? '';
  return text.split('\n').filter(Boolean).map((l) => {
    const [ns, ...label] = l.trim().split(/\s+/);
    return { ns: BigInt(ns), label: label.join(' '), host: logical };
  });
}

/**
 * The order of a run as a comparable signature: every host's own sequence of steps, and the global sequence of step
 * labels by time with repeats collapsed (hosts running the same step together count once, in any order).
 */
export function orderSignature(records: OrderRecord[]): { perHost: Record<string, string[]>; global: string[] } {
  const sorted = [...records].sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  const perHost: Record<string, string[]> = {};
  for (const host of [...new Set(records.map((r) => r.host))].sort()) perHost[host] = [];
  for (const r of sorted) perHost[r.host].push(r.label);
  const global: string[] = [];
  for (const r of sorted) if (global[global.length - 1] !== r.label) global.push(r.label);
  return { perHost, global };
}
