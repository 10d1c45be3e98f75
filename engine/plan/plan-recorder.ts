// `runbook plan`: the hook that records each invocation of the check run into a SavedPlan (plan-file.ts).

import path from 'node:path';
import type { RunEvent } from '../report/events.js';
import type { PlanHook, PlanStep } from '../run/run-state.js';
import { entryKey, PLAN_FORMAT, type PlanEntry, type SavedPlan } from './plan-file.js';
import { inventoryDigest, keyedDigest, projectDigest } from './plan-digest.js';

type PlanHeader = Omit<SavedPlan, 'format' | 'created' | 'entries' | 'events'>;

export interface PlanRecorder {
  hook: PlanHook;
  /** The plan, once the check run ended. */
  finish(events: RunEvent[]): SavedPlan;
}

export function planRecorder(key: Buffer): PlanRecorder {
  const entries: PlanEntry[] = [];
  const seen = new Set<string>();
  /** Per target host: the paths/names earlier planned changes touch. */
  const touched = new Map<string, string[]>();
  let header: PlanHeader | undefined;
  const hook: PlanHook = {
    async begin(playbook, settings) {
      header = {
        playbook: playbook.file, playbookDigest: await projectDigest(key, playbook.dir, playbook.files),
        inventory: settings.inventoryPaths, inventoryDigest: await inventoryDigest(key, settings.inventoryPaths),
        ...(settings.limit ? { limit: settings.limit } : {}), tags: settings.tags, skipTags: settings.skipTags,
        extraVarsDigest: keyedDigest(key, settings.extraVars),
      };
    },
    async observe(step) {
      const entry = entryOf(key, step);
      if (seen.has(entryKey(entry))) return; // a retry of the same invocation
      seen.add(entryKey(entry));
      const target = targetOf(step.args);
      const earlier = touched.get(step.target) ?? [];
      if (target !== undefined && earlier.some((t) => target === t || target.startsWith(`${t}/`))) entry.afterEarlierChange = true;
      if (target !== undefined && step.changes.length > 0) touched.set(step.target, [...earlier, target]);
      entries.push(entry);
    },
  };
  return {
    hook,
    finish: (events) => ({ format: PLAN_FORMAT, created: new Date().toISOString(), ...header!, entries, events }),
  };
}

function entryOf(key: Buffer, step: PlanStep): PlanEntry {
  return {
    host: step.host, target: step.target, task: step.task, location: step.location, module: step.module, args: step.shownArgs,
    argsDigest: keyedDigest(key, step.args), stateDigest: keyedDigest(key, step.current), changes: step.shownChanges,
  };
}

/** What a task works on, when its arguments say it plainly (path, dest, name): two tasks on one target depend. */
function targetOf(args: Record<string, unknown>): string | undefined {
  const value = [args.path, args.dest, args.name].find((v) => typeof v === 'string');
  return typeof value === 'string' ? (value.startsWith('/') ? path.posix.normalize(value) : value) : undefined;
}
