// The types the task stages hand each other: one task on one host (TaskRun), its prepared module invocation,
// and what each loop item ended as.

import type { Play, Task } from '../load/playbook-types.js';
import type { TemplateWhere } from '../template/render.js';
import type { Diff, Host, ModuleContext, ModuleDefinition, ModuleReport } from '../types.js';
import type { Inherited, TaskOutcome } from './inheritance.js';
import type { HostState, RunContext } from './run-state.js';
import type { TaskEmitter } from './task-events.js';

export interface TaskRun {
  runContext: RunContext;
  play: Play;
  hostState: HostState;
  task: Task;
  inherited: Inherited;
  where: TemplateWhere;
  emit: TaskEmitter;
  /** run_once: hands the registered result to the hosts that wait for it. */
  share?: (result: unknown) => void;
}

/** The module, its rendered args, the host it runs on (delegate_to) with its handle, and the module context. */
export interface Invocation {
  module: ModuleDefinition;
  args: Record<string, unknown>;
  target: HostState;
  host: Host;
  moduleContext: ModuleContext;
}

export interface ItemResult {
  status: TaskOutcome;
  msg: string;
  result: Record<string, unknown>;
  diffs: Diff[];
  changes: string[];
  irreversible: boolean;
  /** What the module reported for the operator (debug). */
  data?: unknown;
  /** The argv of each command the module ran on its host (-vv); never for no_log tasks. */
  commands?: string[][];
  /** With a loop: how the item is shown (loop_control.label, else the item as JSON). */
  label?: string;
  /** Variables the module set for the host (set_fact, include_vars). */
  variables?: ModuleReport['variables'];
}

export type Outcome = Pick<ItemResult, 'status' | 'msg' | 'result'>;
