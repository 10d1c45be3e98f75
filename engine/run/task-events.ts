// The task event of one task on one host: redacted, and with no_log hiding message, diff and item.

import { formatLocation } from '../errors.js';
import type { RunEvent } from '../report/events.js';
import type { Task } from '../load/playbook-types.js';
import type { HostState, RunContext } from './run-state.js';

export type TaskEventFields = Omit<Extract<RunEvent, { event: 'task' }>, 'event' | 'host' | 'task' | 'module' | 'duration_ms' | 'location'>;
export type TaskEmitter = (fields: TaskEventFields) => void;

export function taskEmitter(runContext: RunContext, hostState: HostState, task: Task): TaskEmitter {
  const started = Date.now();
  return (fields) => {
    const safe = task.no_log
      ? { ...fields, msg: fields.status === 'failed' ? 'task failed (output hidden by no_log)' : 'output hidden by no_log', diff: undefined, item: undefined, data: undefined, result: undefined, commands: undefined, changes: fields.changes?.map(() => 'change hidden by no_log') }
      : fields;
    runContext.emit(runContext.redactor.value({
      event: 'task',
      host: hostState.name,
      task: task.name,
      module: task.module ?? (task.include ? `include_${task.include.kind}` : 'block'),
      duration_ms: Date.now() - started,
      location: formatLocation(task.location),
      ...safe,
    }));
  };
}
