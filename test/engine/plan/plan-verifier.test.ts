// `runbook apply`'s drift check: a changed state stops a host when the plan or the run would change something; a
// read-only task whose state moves on its own (wait_for's elapsed, find's clock) with nothing planned is no drift.

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { keyedDigest } from '../../../engine/plan/plan-digest.js';
import { planVerifier } from '../../../engine/plan/plan-verifier.js';
import type { PlanEntry, SavedPlan } from '../../../engine/plan/plan-file.js';
import type { PlanStep } from '../../../engine/run/run-state.js';

const key = randomBytes(32);
const args = { timeout: 5 };

function verifierFor(changes: string[]) {
  const entry: PlanEntry = { host: 'node1', target: 'node1', task: 'wait', location: 'site.yml:3:7', module: 'wait_for', args, argsDigest: keyedDigest(key, args), stateDigest: keyedDigest(key, { elapsed: 0 }), changes };
  return planVerifier(key, { created: '2026-11-28T09:00:00Z', entries: [entry] } as unknown as SavedPlan);
}

const step = (changes: string[]): PlanStep => ({
  host: 'node1', target: 'node1', task: 'wait', location: 'site.yml:3:7', module: 'wait_for', args, shownArgs: args,
  current: { elapsed: 2 }, changes: changes.map((msg) => ({ msg })), shownChanges: changes,
});

describe('plan verifier (runbook apply)', () => {
  it('a read-only task whose state moved with nothing planned and nothing to do is not drift', async () => {
    await verifierFor([]).observe(step([]));
  });

  it('a state that moved under a planned change is drift', async () => {
    const err = await verifierFor(['write /etc/x']).observe(step(['write /etc/x'])).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/^drifted since the plan/);
  });

  it('a state that moved where nothing was planned but something would now be done is drift', async () => {
    const err = await verifierFor([]).observe(step(['write /etc/x'])).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/^drifted since the plan/);
  });
});
