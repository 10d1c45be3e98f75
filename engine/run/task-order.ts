// The tasks of a play in the order they run (blocks opened), with the tags each carries from its play and blocks:
// what --list-tasks and --list-tags print and what --start-at-task searches.

import type { Play, Task } from '../load/playbook-types.js';

export interface OrderedTask {
  task: Task;
  /** The task's own tags and those of its play and enclosing blocks. */
  tags: string[];
}

/**
 * pre_tasks, tasks, post_tasks with blocks opened (never handlers). `withAlways` also walks rescue and always, which
 * --start-at-task can land in; --list-tasks, like Ansible's, lists a block's own tasks only.
 */
export function orderedTasks(play: Play, opts: { withAlways?: boolean } = {}): OrderedTask[] {
  const out: OrderedTask[] = [];
  const walk = (tasks: Task[], inherited: string[]) => {
    for (const task of tasks) {
      const tags = [...new Set([...inherited, ...task.tags])];
      if (!task.block) {
        out.push({ task, tags });
        continue;
      }
      walk(task.block, tags);
      if (opts.withAlways) walk([...(task.rescue ?? []), ...(task.always ?? [])], tags);
    }
  };
  walk([...play.pre_tasks, ...play.tasks, ...play.post_tasks], play.tags);
  return out;
}
