// `runbook audit PLAYBOOK -i INV`: check mode with diffs across the fleet, read-only, for cron or CI.
// Exit 0 no drift, 4 drift, 1 unreachable/errors. Human summary, --format json|junit, --report page, --save/--baseline.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import type { CliIO } from '../cli/io.js';
import type { PlayCliOptions } from '../cli/options.js';
import { executePlay } from '../cli/play-command.js';
import type { RunEvent } from '../report/events.js';
import { groupMembers, loadInventory } from '../inventory/load-inventory.js';
import { UsageError } from '../errors.js';
import { auditSummary, collectAudit, compareWithBaseline, type AuditResult } from './audit-report.js';
import { auditHtml } from './html-report.js';
import { inventorySources } from '../inventory/host-list.js';

export async function auditCommand(playbook: string, o: PlayCliOptions & { report?: string; save?: string; baseline?: string }, io: CliIO): Promise<number> {
  const events: RunEvent[] = [];
  let baseline: AuditResult | undefined;
  if (o.baseline) {
    const text = await fs.readFile(path.resolve(io.cwd, o.baseline), 'utf8').catch(() => { throw new UsageError(`baseline ${o.baseline} not found`); });
    baseline = JSON.parse(text) as AuditResult;
  }
  const code = await executePlay(playbook, { ...o, check: true, diff: true, detectDrift: true, rollback: false }, io, [(ev) => void events.push(ev)]);
  const inv = await loadInventory(inventorySources(io.cwd, o.inventory));
  const audit = collectAudit(events, groupMembers(inv));
  const cmp = baseline ? compareWithBaseline(audit, baseline) : undefined;
  if (o.format === 'human') io.out(auditSummary(audit, cmp));
  else if (o.format === 'json' && cmp) io.out(`${JSON.stringify({ event: 'baseline', ...cmp })}\n`);
  if (o.report) await fs.writeFile(path.resolve(io.cwd, o.report), auditHtml(audit, cmp && baseline ? { ...cmp, byName: !baseline.tasks, file: o.baseline! } : undefined));
  if (o.save) await fs.writeFile(path.resolve(io.cwd, o.save), `${JSON.stringify(audit, null, 2)}\n`);
  return code === EXIT.drift || code === EXIT.ok || code === EXIT.failed || code === EXIT.interrupted ? code : EXIT.failed;
}
