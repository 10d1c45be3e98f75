// delegate_to: the state of the host a task is delegated to (created on first use for hosts outside the play).

import { ModuleError } from '../errors.js';
import { newHostState } from './run-context.js';
import type { HostState, RunContext } from './run-state.js';

export function delegateState(runContext: RunContext, name: string): HostState {
  const existing = runContext.hosts.get(name);
  if (existing) return existing;
  if (!(name in runContext.inventory.hosts) && name !== 'localhost') {
    throw new ModuleError(`delegate_to: host '${name}' is not in the inventory`);
  }
  const created = newHostState(name, name in runContext.inventory.hosts ? runContext.inventory.hosts[name] : { connection: 'local' });
  runContext.hosts.set(name, created);
  return created;
}
