// `runbook merge RUN_DIR...`: slice runs joined into one run; prints its one recap, writes its JUnit and audit page.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { collectAudit } from '../audit/audit-report.js';
import { auditHtml } from '../audit/html-report.js';
import { humanReporter } from '../report/human.js';
import { junitXml } from '../report/junit.js';
import { mergeRuns } from '../slice/merge-runs.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

export interface MergeOptions { format: 'human' | 'json'; junit?: string; audit?: string; inventory: string[] }

export async function mergeCommand(runDirs: string[], o: MergeOptions, io: CliIO): Promise<number> {
  const inventory = o.inventory.length > 0 ? o.inventory.map((p) => path.resolve(io.cwd, p)) : undefined;
  const merged = await mergeRuns(io.cwd, runDirs, inventory);
  const recap = merged.events[merged.events.length - 1];
  if (o.junit) await fs.writeFile(path.resolve(io.cwd, o.junit), junitXml(merged.events, { driftIsFailure: false }));
  if (o.audit) await fs.writeFile(path.resolve(io.cwd, o.audit), auditHtml(collectAudit(merged.events, {})));
  if (o.format === 'json') io.out(`${JSON.stringify(recap)}\n`);
  else {
    io.out(`merged ${merged.meta.merged!.length} slices (${merged.meta.merged!.join(', ')}) into run ${merged.runId}; undo them all with \`runbook rollback ${merged.runId}\`\n`);
    const color = io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
    humanReporter(io.out, { color, verbosity: 0 }).onEvent(recap);
  }
  if (merged.meta.status === 'interrupted') return EXIT.interrupted;
  return merged.meta.status === 'ok' ? EXIT.ok : EXIT.failed;
}
