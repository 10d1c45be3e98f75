// register, set_fact and include_vars: a task's result or a module's variables become variables of the host, for
// later tasks and for other hosts' hostvars.

import type { VariableLevel } from '../types.js';
import type { HostState, RunContext } from './run-state.js';

export function registerResult(_runContext: RunContext, hostState: HostState, name: string, value: Record<string, unknown>): void {
  hostState.registered[name] = value;
}

/** set_fact values join the registered level (data); include_vars values their own level (templates). */
export function setHostVariables(hostState: HostState, level: VariableLevel, values: Record<string, unknown>): void {
  const target = level === 'set_fact' ? hostState.registered : hostState.included;
  for (const key of Object.keys(values)) target[key] = values[key];
}
