// The template context of a task on a host: a lazy view (variable-view.ts) over the levels, lowest first, as in
// Ansible and docs/dsl.md: role defaults < inventory (group all → parent → child → host) < facts < play vars <
// vars_files < role vars < block vars < task vars < include_vars < set_fact / registered < role params < include
// params < extra vars. Every level's values are templates resolved
// against the final view, so an override at a higher level flows into everything derived from it.

import type { Play, Task } from '../load/playbook-types.js';
import { hostVars } from '../inventory/load-inventory.js';
import { plainMap } from '../plain-map.js';
import type { TemplateWhere } from '../template/render.js';
import type { Inherited } from './inheritance.js';
import type { HostState, RunContext } from './run-state.js';
import { variableView, type VariableLayer } from './variable-view.js';

export function taskVariables(runContext: RunContext, play: Play, hostState: HostState, inherited: Inherited, task?: Task, where?: TemplateWhere): Record<string, unknown> {
  const role = inherited.role;
  const layers: VariableLayer[] = [
    { values: play.roleDefaults ?? {}, templated: true },
    { values: role?.defaults ?? {}, templated: true },
    { values: hostState.vars, templated: true },
    { values: builtins(runContext, hostState), templated: false },
    { values: play.vars, templated: true },
    { values: play.varsFromFiles, templated: true },
    { values: play.roleVars ?? {}, templated: true },
    { values: role?.vars ?? {}, templated: true },
    { values: inherited.vars, templated: true },
    { values: task?.vars ?? {}, templated: true },
    { values: hostState.included, templated: true },
    { values: hostState.registered, templated: false },
    { values: role?.params ?? {}, templated: true },
    { values: inherited.includeParams ?? {}, templated: true },
    { values: runContext.settings.extraVars, templated: true },
    { values: { play_hosts: [...runContext.hosts.values()].filter((h) => h.status === 'active').map((h) => h.name), ...(role ? { role_name: role.name, role_path: role.dir } : {}) }, templated: false },
    { values: inherited.includeItems?.get(hostState.name) ?? {}, templated: false },
  ];
  return variableView(layers, where ?? { host: hostState.name, task: task?.name, location: task?.location ?? play.location });
}

function builtins(runContext: RunContext, hostState: HostState): Record<string, unknown> {
  return {
    facts: hostState.facts,
    hostvars: runContext.hostvars,
    groups: runContext.groups,
    inventory_hostname: hostState.name,
    runbook_check_mode: runContext.settings.check,
  };
}

/**
 * `hostvars`: every inventory host's variables as seen outside a play (inventory, facts, include_vars, set_fact and
 * registered results, extra vars), read live, each value resolved lazily against that host's own view.
 */
export function hostvarsView(runContext: Pick<RunContext, 'inventory' | 'hosts' | 'settings' | 'groups'> & { hostvars?: unknown }): Record<string, Record<string, unknown>> {
  const target = plainMap<Record<string, unknown>>();
  for (const name of Object.keys(runContext.inventory.hosts)) target[name] = plainMap();
  const viewOf = (name: string): Record<string, unknown> => {
    const hostState = runContext.hosts.get(name);
    return variableView([
      { values: hostState?.vars ?? hostVars(runContext.inventory, name), templated: true },
      { values: { ...(hostState?.facts ? { facts: hostState.facts } : {}), hostvars: runContext.hostvars, groups: runContext.groups, inventory_hostname: name }, templated: false },
      { values: hostState?.included ?? {}, templated: true },
      { values: hostState?.registered ?? {}, templated: false },
      { values: runContext.settings.extraVars, templated: true },
    ], { host: name });
  };
  return new Proxy(target, {
    get: (t, key) => (typeof key === 'string' && key in t ? viewOf(key) : undefined),
    getOwnPropertyDescriptor: (t, key) => (typeof key === 'string' && key in t
      ? { value: viewOf(key), writable: true, enumerable: true, configurable: true }
      : Reflect.getOwnPropertyDescriptor(t, key)),
    set: () => false,
  });
}
