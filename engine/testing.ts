// 'runbook/testing': what a pack's own tests need, without a host: the schema's verdict on args (as `validate` gives
// it), and a plan made twice — on the current state, then on the state after the changes, which must plan nothing.

import { validateModuleArgs } from './load/validate-args.js';
import { controllerPathResolver } from './run/controller-path.js';
import type { Change, ModuleContext, ModuleDefinition } from './types.js';

/** A context for pure functions (plan, report) outside a run. */
export function testModuleContext(vars: Record<string, unknown> = {}): ModuleContext {
  return { task: 'test', hostvars: {}, groups: {}, playbookDir: process.cwd(), vars, render: (text: string) => text, controllerPath: controllerPathResolver(process.cwd(), undefined) };
}

/** The problems `runbook validate` would report for these args ([] when valid); defaults are applied to `args`. */
export function argsProblems(module: ModuleDefinition, args: Record<string, unknown>): string[] {
  return validateModuleArgs(module, args, { task: 'test' }).map((p) => p.message);
}

export interface PlanCase {
  args: Record<string, unknown>;
  /** What inspect would have read. */
  current: unknown;
  /** The state once the changes are made: planning on it must find nothing to do. */
  after?: unknown;
  vars?: Record<string, unknown>;
}

export interface PlanOutcome {
  /** The changes in words, as `--check` prints them. */
  changes: string[];
  plan: Change[];
  /** The changes planned again on `after` (must be []); undefined when no `after` was given. */
  replanned?: string[];
}

/** Validate the args (throws with the problems), plan on `current`, and plan again on `after`. */
export function planTwice(module: ModuleDefinition, c: PlanCase): PlanOutcome {
  const args = structuredClone(c.args);
  const problems = argsProblems(module, args);
  if (problems.length > 0) throw new Error(`invalid args for ${module.name}: ${problems.join('; ')}`);
  const ctx = testModuleContext(c.vars);
  const plan = module.plan(c.current, args, ctx);
  const replanned = c.after === undefined ? undefined : module.plan(c.after, args, ctx).map((x) => x.msg);
  return { changes: plan.map((x) => x.msg), plan, replanned };
}
