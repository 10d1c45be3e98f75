// What a task inherits from its play and enclosing blocks, and the outcome a task reports to the scheduler.

import type { Environment, Play, RoleScope } from '../load/playbook-types.js';
import type { TaskStatus } from '../types.js';

export type TaskOutcome = TaskStatus;

export interface Inherited {
  tags: string[];
  become?: boolean;
  become_user?: string;
  /** Conditions of enclosing blocks, all of which must hold. */
  when: unknown[];
  /** environment of the play and enclosing blocks, outermost first (inner wins). */
  environment?: Environment[];
  /** vars of enclosing blocks, outermost first. */
  vars: Record<string, unknown>;
  /** The role the task belongs to (innermost), with its variables; absent outside roles. */
  role?: RoleScope;
  /** vars of the enclosing include_tasks / include_role: above set_fact, as Ansible's include params. */
  includeParams?: Record<string, unknown>;
  /** Per host: the loop variables of enclosing looped includes (data, on top of everything). */
  includeItems?: Map<string, Record<string, unknown>>;
}

export function playInheritance(play: Play): Inherited {
  return { tags: play.tags, become: play.become, become_user: play.become_user, when: [], vars: {}, ...(play.environment !== undefined ? { environment: [play.environment] } : {}) };
}
