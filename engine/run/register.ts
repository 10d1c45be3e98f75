// register: a task's result becomes a variable of the host, for later tasks and for other hosts' hostvars.

import type { HostState, RunContext } from './run-state.js';

export function registerResult(_runContext: RunContext, hostState: HostState, name: string, value: Record<string, unknown>): void {
  hostState.registered[name] = value;
}
