// A saved plan (`runbook plan -o FILE`): what a check run saw and would change, per host and task, with the
// digests `runbook apply` checks before it changes anything. Written 0600; no secret in clear (digests are keyed).

import { promises as fs } from 'node:fs';
import { RunbookError } from '../errors.js';
import type { RunEvent } from '../report/events.js';

export const PLAN_FORMAT = 'runbook-plan/1';

/** One module invocation of the check run. */
export interface PlanEntry {
  host: string;
  target: string;
  task: string;
  location: string;
  module: string;
  /** The rendered arguments, secrets masked. */
  args: unknown;
  /** Keyed digest of the full rendered arguments (secrets included). */
  argsDigest: string;
  /** Keyed digest of the state the module inspected: `apply` re-inspects and compares. */
  stateDigest: string;
  /** What would change (human words, secrets masked); empty when nothing would. */
  changes: string[];
  /** An earlier planned change on this host touches the same target: its state is compared at that earlier task. */
  afterEarlierChange?: boolean;
}

export interface SavedPlan {
  format: typeof PLAN_FORMAT;
  created: string;
  /** Absolute path of the playbook, and a keyed digest of every file of its project. */
  playbook: string;
  playbookDigest: string;
  inventory: string[];
  inventoryDigest: string;
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVarsDigest: string;
  entries: PlanEntry[];
  /** The check run's events (redacted), for `runbook show`. */
  events: RunEvent[];
}

export class PlanError extends RunbookError {
  constructor(message: string) { super('USAGE', message); }
}

export async function writePlan(file: string, plan: SavedPlan): Promise<void> {
  await fs.rm(file, { force: true });
  await fs.writeFile(file, `${JSON.stringify(plan, null, 1)}\n`, { mode: 0o600, flag: 'wx' });
}

export async function readPlan(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new PlanError(`cannot read the plan ${file}: ${(e as Error).message}`);
  }
  let plan: SavedPlan;
  try {
    plan = JSON.parse(text) as SavedPlan;
  } catch {
    throw new PlanError(`${file} is not a runbook plan (not JSON); make one with \`runbook plan PLAYBOOK -i INVENTORY -o ${file}\``);
  }
  if (plan?.format !== PLAN_FORMAT) throw new PlanError(`${file} is not a runbook plan of format ${PLAN_FORMAT} (found ${JSON.stringify(plan?.format)})`);
  return plan;
}

/** The key that matches an invocation of `apply` with its entry of the plan. */
export function entryKey(e: Pick<PlanEntry, 'host' | 'target' | 'location' | 'argsDigest'>): string {
  return [e.host, e.target, e.location, e.argsDigest].join('\u0000');
}
