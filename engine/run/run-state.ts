// The state one run carries: per-host connection, facts, registered results, recap; shared by the run stages.

import type { ConnectionSettings } from '../connection/index.js';
import type { BatchRecord, EventSink, HostRecap } from '../report/events.js';
import type { JournalWriter } from '../journal/journal.js';
import type { Inventory, Playbook, Task } from '../load/playbook-types.js';
import type { Slice } from '../slice/slice-hosts.js';
import type { Redactor } from '../report/redact.js';
import type { Change, Connection, Facts, ModuleRegistry } from '../types.js';

export interface RunSettings {
  inventoryPaths: string[];
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Record<string, unknown>;
  check: boolean;
  diff: boolean;
  forks: number;
  rollback: boolean;
  connection: ConnectionSettings;
  /** Where .runbook/ (the journal of runs) lives. */
  projectDir: string;
  /** Packs every playbook gets (runbook.yml `packs`), beside those it names. */
  packs?: string[];
  /** Where roles are looked for after roles/ beside the playbook (runbook.yml `roles_path`). */
  rolesPath?: string[];
  /** The play as text when it exists only in memory (`runbook exec`); the playbook path then only names it. */
  playbookText?: string;
  /** Connection vars from the command line (-u, --private-key, -b, ...): below the inventory's own. */
  hostDefaults?: Record<string, unknown>;
  /** The user's state folder (host locks): $XDG_STATE_HOME/runbook. */
  stateDir: string;
  /** --slice I/N: this run takes only its slice of the hosts (engine/slice/). */
  slice?: Slice;
  /** `runbook plan` records each invocation, `runbook apply` checks each against the saved plan (engine/plan/). */
  plan?: PlanHook;
  /** --start-at-task NAME (Ansible's semantics: start-at-task.ts). */
  startAtTask?: string;
  /** --step: asked before each task (once for all its hosts); false skips the task. */
  confirmTask?: (task: Task) => Promise<boolean>;
}

/** One module invocation after inspect and plan, as a saved plan records it and `apply` checks it. */
export interface PlanStep {
  /** The host the task is for, and the one it runs on (delegate_to). */
  host: string;
  target: string;
  task: string;
  /** file:line:col of the task. */
  location: string;
  module: string;
  args: Record<string, unknown>;
  /** The args as they may be shown: secrets masked, hidden entirely under no_log. */
  shownArgs: unknown;
  /** What the module inspected on the host. */
  current: unknown;
  changes: Change[];
  /** The changes' messages as they may be shown. */
  shownChanges: string[];
}

export interface PlanHook {
  /** Called once the playbook is loaded, before any lock or connection: may refuse the run (a RunbookError). */
  begin(playbook: Playbook, settings: RunSettings): Promise<void>;
  /** Called before a change would be applied; throws to stop the host (the failure rolls it back). */
  observe(step: PlanStep): Promise<void>;
}

export interface HostState {
  name: string;
  /** Inventory vars merged for this host (group → host). */
  vars: Record<string, unknown>;
  conn?: Connection;
  /** The connection attempt in flight (so concurrent callers share it). */
  connecting?: Promise<Connection>;
  facts?: Facts;
  /** Registered results and set_fact variables (one level, as in Ansible): data, never rendered again. */
  registered: Record<string, unknown>;
  /** include_vars variables: templates, above task vars and below set_fact. */
  included: Record<string, unknown>;
  status: 'active' | 'failed' | 'unreachable';
  /** Why the host stopped (failed task or unreachable cause). */
  reason?: string;
  notified: Set<string>;
  recap: HostRecap;
  /** Journal sequence numbers of this run's changes on this host, in order. */
  applied: number[];
}

export interface RunContext {
  runId: string;
  runDir: string;
  playbook: Playbook;
  inventory: Inventory;
  registry: ModuleRegistry;
  settings: RunSettings;
  hosts: Map<string, HostState>;
  /** `hostvars` seen by templates: a live view per host (task-variables.ts hostvarsView). */
  hostvars: Record<string, Record<string, unknown>>;
  groups: Record<string, string[]>;
  journal: JournalWriter;
  redactor: Redactor;
  emit: EventSink;
  /** Set on SIGINT: no new task starts. */
  abort: AbortSignal;
  /** Set when a batch of a rolling play failed: no later batch or play starts. */
  halted?: string;
  /** What became of each batch of the rolling plays so far. */
  batches: BatchRecord[];
  /** run_once results shared across hosts, keyed by task location. */
  runOnce: Map<string, Promise<unknown>>;
  /** --start-at-task: tasks of the start play before the start task (they do not run). */
  skippedTasks: Set<Task>;
}
