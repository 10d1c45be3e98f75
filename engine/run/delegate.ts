// delegate_to: the state of the host a task is delegated to (created on first use for hosts outside the play).

import { ModuleError } from '../errors.js';
import { hostVars } from '../inventory/load-inventory.js';
import { newHostState } from './run-context.js';
import type { HostState, RunContext } from './run-state.js';

export function delegateState(runContext: RunContext, name: string): HostState {
  const existing = runContext.hosts.get(name);
  if (existing) return existing;
  if (!(name in runContext.inventory.hosts) && name !== 'localhost') {
    throw new ModuleError(`delegate_to: host '${name}' is not in the inventory`);
  }
  // Merged vars (group vars included), as the host has in its own plays: the journal records the route from them.
  const created = newHostState(name, name in runContext.inventory.hosts ? hostVars(runContext.inventory, name) : { connection: 'local' });
  runContext.hosts.set(name, created);
  return created;
}
