// The template context of a task on a host. Precedence, lowest first, as documented in docs/dsl.md:
// inventory (group → host) < facts < play vars < vars_files < registered < block vars < task vars < extra vars.

import type { Play, Task } from '../load/playbook-types.js';
import { renderValue, type TemplateWhere } from '../template/render.js';
import type { Inherited } from './inheritance.js';
import type { HostState, RunContext } from './run-state.js';

export function taskVariables(runContext: RunContext, play: Play, hostState: HostState, inherited: Inherited, task?: Task): Record<string, unknown> {
  const base = {
    ...hostState.vars,
    facts: hostState.facts,
    hostvars: runContext.hostvars,
    groups: runContext.groups,
    inventory_hostname: hostState.name,
    runbook_check_mode: runContext.settings.check,
  };
  return {
    ...base,
    ...playVariables(play, hostState, base),
    ...hostState.registered,
    ...inherited.vars,
    ...(task?.vars ?? {}),
    ...runContext.settings.extraVars,
    play_hosts: [...runContext.hosts.values()].filter((h) => h.status === 'active').map((h) => h.name),
  };
}

/** Play vars and vars_files depend only on the host's vars and facts: rendered once per host and play. */
function playVariables(play: Play, hostState: HostState, base: Record<string, unknown>): Record<string, unknown> {
  const cached = hostState.playVars?.get(play);
  if (cached) return cached;
  const where: TemplateWhere = { host: hostState.name, location: play.location };
  const vars = renderValue(play.vars, base, where);
  const merged = { ...vars, ...renderValue(play.varsFromFiles, { ...base, ...vars }, where) };
  (hostState.playVars ??= new WeakMap()).set(play, merged);
  return merged;
}
