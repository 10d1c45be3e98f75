// `runbook plan` (a check run saved to a file), `runbook show` (print it as --check --diff would) and `runbook apply`
// (run exactly that plan: refused if the playbook, inventory or -e changed; a host that drifted stops and rolls back).

import path from 'node:path';
import type { RunEvent } from '../report/events.js';
import { humanReporter } from '../report/human.js';
import { planKey } from '../plan/plan-digest.js';
import { readPlan, writePlan } from '../plan/plan-file.js';
import { planRecorder } from '../plan/plan-recorder.js';
import { planVerifier } from '../plan/plan-verifier.js';
import { EXIT } from './exit-codes.js';
import type { CliIO, Format } from './io.js';
import type { PlayCliOptions } from './options.js';
import { executePlay } from './play-command.js';
import { UsageError } from '../errors.js';

export async function planCommand(playbook: string, o: PlayCliOptions & { output?: string }, io: CliIO): Promise<number> {
  if (!o.output) throw new UsageError('runbook plan needs -o FILE: where to save the plan');
  const output = path.resolve(io.cwd, o.output);
  const recorder = planRecorder(await planKey(io.cwd, true));
  const events: RunEvent[] = [];
  const code = await executePlay(playbook, { ...o, check: true, diff: true, rollback: false }, io, [(ev) => void events.push(ev)], { plan: recorder.hook });
  if (code === EXIT.interrupted) return code;
  const plan = recorder.finish(events);
  await writePlan(output, plan);
  const changing = new Set(plan.entries.filter((e) => e.changes.length > 0).map((e) => e.host));
  io.err(`plan saved to ${path.relative(io.cwd, output) || output}: ${plan.entries.filter((e) => e.changes.length > 0).length} change(s) on ${changing.size} host(s); review with \`runbook show ${o.output}\`, run it with \`runbook apply ${o.output}\`\n`);
  return code;
}

export async function showCommand(file: string, o: { format: Format }, io: CliIO): Promise<number> {
  const plan = await readPlan(path.resolve(io.cwd, file));
  if (o.format === 'json') {
    io.out(`${JSON.stringify({ ...plan, events: undefined })}\n`);
    return EXIT.ok;
  }
  io.out(`plan ${file}, made ${plan.created} for ${path.relative(io.cwd, plan.playbook) || plan.playbook} with inventory ${plan.inventory.map((p) => path.relative(io.cwd, p) || p).join(', ')}${plan.limit ? ` -l ${plan.limit}` : ''}\n`);
  const color = io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
  const reporter = humanReporter(io.out, { color, verbosity: 0 });
  for (const ev of plan.events) reporter.onEvent(ev);
  reporter.finish();
  return EXIT.ok;
}

export async function applyCommand(file: string, o: PlayCliOptions, io: CliIO): Promise<number> {
  const plan = await readPlan(path.resolve(io.cwd, file));
  const verifier = planVerifier(await planKey(io.cwd, false), plan);
  const options: PlayCliOptions = {
    ...o, check: false, diff: Boolean(o.diff),
    inventory: o.inventory.length > 0 ? o.inventory : plan.inventory,
    limit: o.limit ?? plan.limit, tags: o.tags.length > 0 ? o.tags : plan.tags, skipTags: o.skipTags.length > 0 ? o.skipTags : plan.skipTags,
  };
  return executePlay(plan.playbook, options, io, [], { plan: verifier });
}
