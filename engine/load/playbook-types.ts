// The shapes a loaded playbook and inventory take once parsed and validated (output of load/inventory).

import type { SourceLocation } from '../errors.js';
import type { LoopKind } from '../run/loop-items.js';

/** A task after loading: the module key split from the task keywords; args still untemplated. */
export interface Task {
  /** Display name: `name:` or "<module> <short args>". */
  name: string;
  /** Module name as written (may be qualified: `pack.module`); absent for block tasks. */
  module?: string;
  /** Module args as written (strings still contain {{templates}}). Free-form strings are already mapped. */
  args: Record<string, unknown>;
  /** Controller files the module renders with the task's variables (its `renders`), for pre-flight. */
  renders?: string[];
  when?: unknown;
  loop?: unknown;
  /** Which loop keyword gave `loop` (`with_dict` → dict, ...); absent for `loop`. */
  loop_kind?: LoopKind;
  loop_var: string;
  /** loop_control: the item's position variable, how an item is shown, seconds between items. */
  index_var?: string;
  loop_label?: string;
  loop_pause?: number;
  register?: string;
  notify: string[];
  /** Handlers: topics this handler answers to besides its name. */
  listen: string[];
  /** `meta: flush_handlers`: a task that runs the notified handlers (module is undefined then). */
  meta?: 'flush_handlers';
  tags: string[];
  become?: boolean;
  become_user?: string;
  changed_when?: unknown;
  failed_when?: unknown;
  /** true/false, or a template decided per host when the task runs. */
  ignore_errors: boolean | string;
  retries: number;
  until?: unknown;
  delay: number;
  run_once: boolean;
  delegate_to?: string;
  /** false: run even in --check (read-only commands whose results later tasks need). */
  check_mode?: boolean;
  no_log: boolean;
  vars: Record<string, unknown>;
  /** `environment:` for the commands the module runs (templates, or one template naming a mapping); a block's is inherited by its tasks. */
  environment?: Environment;
  /** A role's block: its variables and folders, for every task inside. */
  role?: RoleScope;
  /** A role block that runs at most once per host in the play (roles: entries, dependencies): its key. */
  role_once?: string;
  /**
   * include_tasks / include_role: decided per host at run time (when, loop and tags apply to the include itself).
   * `file` is set when the task file's name is a template: it is loaded then, relative to `dir`; else `block` holds it.
   * `role` is set when include_role's name is a template: the role is found and loaded per host and item then.
   */
  include?: { kind: 'tasks' | 'role'; file?: string; dir?: string; apply?: IncludeApply; role?: RoleRequest };
  /** block/rescue/always: nested tasks (module is undefined then). */
  block?: Task[];
  rescue?: Task[];
  always?: Task[];
  location: SourceLocation;
}

/** A role as its tasks see it: where it lives and its variables at their three levels. */
export interface RoleScope {
  name: string;
  /** The role's folder: templates/ and files/ are searched there first. */
  dir: string;
  /** defaults/ of its dependencies, then its own (the lowest level of all). */
  defaults: Record<string, unknown>;
  /** vars/ of its dependencies, then the `vars:` it was given, then its own vars/ (above play vars). */
  vars: Record<string, unknown>;
  /** Role params (`- role: x` with `key: value` beside it), of enclosing roles too: above set_fact. */
  params: Record<string, unknown>;
  /** Folders of the enclosing roles, innermost first (for files/ and templates/ lookups). */
  dirs: string[];
}

export interface Play {
  name: string;
  hosts: string;
  vars: Record<string, unknown>;
  /** vars_files already read and merged, in order. */
  varsFromFiles: Record<string, unknown>;
  gather_facts: boolean;
  /** Batch size: a number of hosts or a percentage string like "30%". */
  serial?: number | string;
  /** A batch fails when more than this percentage of its hosts failed (none: only when all did). */
  max_fail_percentage?: number;
  /** One failed host fails its batch. */
  any_errors_fatal: boolean;
  /** What a failed batch rolls back: its own hosts, or the whole run so far. */
  rollback: 'batch' | 'run';
  /** Health gate run on each batch after its tasks; a failure fails the batch. */
  batch_check: Task[];
  strategy: 'linear' | 'free';
  become?: boolean;
  become_user?: string;
  /** `environment:` for every task of the play. */
  environment?: Environment;
  pre_tasks: Task[];
  tasks: Task[];
  post_tasks: Task[];
  handlers: Task[];
  tags: string[];
  /** defaults of the play's roles (roles:, import_role): the lowest level of all, for every task of the play. */
  roleDefaults: Record<string, unknown>;
  /** vars of the play's roles (their vars/ and the `vars:` given with them): above vars_files. */
  roleVars: Record<string, unknown>;
  /** Folder of the file the play is written in: relative src/template paths resolve from here. */
  dir: string;
  location: SourceLocation;
}

export interface Playbook {
  /** Absolute path of the top file. */
  file: string;
  dir: string;
  plays: Play[];
  /** Module packs named in the playbook (`packs:` on any play), resolved paths or package names. */
  packs: string[];
  /** Every file read while loading (playbook, imports, vars files), for locks and reports. */
  files: string[];
}

/** A loaded inventory: groups with their hosts and children; vars merged per host on demand. */
export interface Inventory {
  /** Host name → the host's own vars (host_vars and inline). */
  hosts: Record<string, Record<string, unknown>>;
  /** Group name → its direct hosts, child groups and vars. Always has `all` and `ungrouped`. */
  groups: Record<string, { hosts: string[]; children: string[]; vars: Record<string, unknown> }>;
  /** Files read, for messages. */
  sources: string[];
  /** Things worth one line to the operator (Ansible variables runbook ignores), said once per run. */
  notes?: string[];
}

/** `apply:` of include_tasks / include_role: keywords every included task gets. */
/** An `environment:` as written: a mapping (values are templates) or one template that renders to a mapping. */
export type Environment = Record<string, unknown> | string;

export interface IncludeApply { tags: string[]; when: unknown[]; become?: boolean; become_user?: string; vars: Record<string, unknown> }

/** A role to load: from roles:, a dependency, import_role or include_role (load-role.ts). */
export interface RoleRequest {
  name: string;
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  /** Role params: `key: value` beside `role:` (above set_fact, this role and its dependencies only). */
  params: Record<string, unknown>;
  /** `vars:` given with the role (role-vars level, below the role's own vars/). */
  vars: Record<string, unknown>;
  /** roles: and import_role expose their defaults and vars to the whole play; include_role does not. */
  public: boolean;
  /** roles: entries and dependencies run once per play (same params) unless allow_duplicates. */
  once: boolean;
  allowDuplicates?: boolean;
  /** Folder of the file that names the role (relative role paths). */
  fromDir: string;
  location: SourceLocation;
}
