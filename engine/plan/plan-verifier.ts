// `runbook apply`: the hook that refuses a plan made from another playbook, inventory or variables, and stops a
// host whose state drifted since the plan before anything nobody reviewed is done to it.

import path from 'node:path';
import { ModuleError } from '../errors.js';
import type { PlanHook } from '../run/run-state.js';
import { entryKey, PlanError, type SavedPlan } from './plan-file.js';
import { inventoryDigest, keyedDigest, projectDigest } from './plan-digest.js';

export function planVerifier(key: Buffer, plan: SavedPlan): PlanHook {
  const byKey = new Map(plan.entries.map((e) => [entryKey(e), e]));
  return {
    async begin(playbook, settings) {
      const refuse = (why: string) => { throw new PlanError(`refusing the plan made ${plan.created}: ${why}; make a new plan with \`runbook plan\``); };
      if (path.resolve(playbook.file) !== plan.playbook) refuse(`it was made for ${plan.playbook}, not ${playbook.file}`);
      if (await projectDigest(key, playbook.dir, playbook.files) !== plan.playbookDigest) refuse(`the playbook's files (${path.dirname(plan.playbook)}) changed since`);
      if (settings.inventoryPaths.join('\n') !== plan.inventory.join('\n')) refuse(`it was made with inventory ${plan.inventory.join(', ')}, not ${settings.inventoryPaths.join(', ')}`);
      if (await inventoryDigest(key, settings.inventoryPaths) !== plan.inventoryDigest) refuse('the inventory changed since');
      if (keyedDigest(key, settings.extraVars) !== plan.extraVarsDigest) refuse('the extra variables (-e) differ from those it was made with');
      if ((settings.limit ?? '') !== (plan.limit ?? '') || settings.tags.join(',') !== plan.tags.join(',') || settings.skipTags.join(',') !== plan.skipTags.join(',')) {
        refuse('--limit, --tags or --skip-tags differ from those it was made with');
      }
    },
    async observe(step) {
      const entry = byKey.get(entryKey({ ...step, argsDigest: keyedDigest(key, step.args) }));
      const where = { host: step.host, task: step.task };
      if (!entry) {
        if (step.changes.length === 0) return;
        throw new ModuleError(`not in the plan: ${step.module} on ${step.target} would ${step.shownChanges.join('; ')}, which the plan did not show (its arguments differ from the planned ones, or the task was not reached when the plan was made)`, where);
      }
      if (entry.afterEarlierChange || keyedDigest(key, step.current) === entry.stateDigest) return;
      // Nothing was planned and nothing would be done: a read-only task's state (wait_for's elapsed time, find's
      // clock) may differ run to run, but nothing unreviewed can happen.
      if (entry.changes.length === 0 && step.changes.length === 0) return;
      throw new ModuleError(`drifted since the plan: the ${step.module} target on ${step.target} is no longer what the plan saw (${plan.created}); nothing unreviewed is done to this host, and it is rolled back`, where);
    },
  };
}
