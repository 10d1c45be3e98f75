// The state of one run: host states, hostvars, the journal, the redactor and the recap-counting event sink.

import { plainMap } from '../plain-map.js';
import { emptyRecap, type EventSink, type RunEvent } from '../report/events.js';
import { groupMembers, hostVars } from '../inventory/load-inventory.js';
import { JournalWriter } from '../journal/journal.js';
import { collectSecrets, Redactor, writeOnlyVariables } from '../report/redact.js';
import { currentKeyring } from '../vault/keyring.js';
import type { Inventory, Playbook, Task } from '../load/playbook-types.js';
import type { ModuleRegistry } from '../types.js';
import type { HostState, RunContext, RunSettings } from './run-state.js';
import { hostvarsView } from './task-variables.js';

export function newHostState(name: string, vars: Record<string, unknown>): HostState {
  return { name, vars, registered: plainMap(), included: plainMap(), status: 'active', notified: new Set(), recap: emptyRecap(), applied: [] };
}

export interface RunContextInput {
  runId: string;
  runDir: string;
  journalPath: string;
  playbook: Playbook;
  inventory: Inventory;
  registry: ModuleRegistry;
  settings: RunSettings;
  targeted: string[];
  sink: EventSink;
  abort: AbortSignal;
  /** --start-at-task: the tasks before the start task. */
  skippedTasks?: Set<Task>;
}

export function createRunContext(input: RunContextInput): RunContext {
  const { inventory, settings, targeted, playbook } = input;
  const redactor = new Redactor();
  // Every value a vault password revealed while the playbook, vars files and inventory were read.
  redactor.add(currentKeyring().revealed);
  // Vars that feed arguments a module marks secret (writeOnly) are secrets too, whatever their names.
  const literals = new Set<string>();
  const schemaOf = (module: string) => { try { return input.registry.resolve(module)?.schema; } catch { return undefined; } };
  const secretNames = writeOnlyVariables(playbook.plays.flatMap((p) => [...p.pre_tasks, ...p.tasks, ...p.post_tasks, ...p.handlers, ...p.batch_check]), schemaOf, literals);
  redactor.add(literals);
  redactor.add(collectSecrets(settings.extraVars, undefined, 0, secretNames));
  const hosts = new Map<string, HostState>();
  for (const name of Object.keys(inventory.hosts)) {
    const vars = hostVars(inventory, name);
    redactor.add(collectSecrets(vars, undefined, 0, secretNames));
    if (targeted.includes(name)) hosts.set(name, newHostState(name, vars));
  }
  for (const play of playbook.plays) redactor.add(collectSecrets({ ...play.vars, ...play.varsFromFiles }, undefined, 0, secretNames));
  // Every task event feeds the recap; the recap is never computed twice.
  const emit: EventSink = (event: RunEvent) => {
    if (event.event === 'task') {
      const hostState = hosts.get(event.host);
      if (hostState) countTask(hostState, event);
    }
    input.sink(event);
  };
  const runContext: RunContext = {
    runId: input.runId, runDir: input.runDir, playbook, inventory, registry: input.registry, settings, hosts, hostvars: plainMap(),
    groups: groupMembers(inventory), journal: new JournalWriter(input.journalPath), redactor, emit, abort: input.abort, runOnce: new Map(), batches: [],
    skippedTasks: input.skippedTasks ?? new Set(),
  };
  runContext.hostvars = hostvarsView(runContext);
  return runContext;
}

/** Ansible's counting: an ignored failure is ok and ignored, never failed. */
function countTask(hostState: HostState, event: Extract<RunEvent, { event: 'task' }>): void {
  if (!event.ignored) {
    hostState.recap[event.status]++;
    return;
  }
  hostState.recap.ok++;
  hostState.recap.ignored++;
}
