// The JSON Schema of the playbook DSL: plays and task keywords (used by the loader), and the full schema with every
// module's args wired in (printed by `runbook schema` for editors).

import type { ModuleRegistry } from '../types.js';
import { forEditors } from './editor-schema.js';

const condition = { description: 'A condition: boolean, an expression like `eq facts.os_family "Debian"`, or a list (all must hold).', anyOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'array', items: { anyOf: [{ type: 'boolean' }, { type: 'string' }] } }] };
const stringList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const taskList = { type: 'array', items: { type: 'object' }, description: 'Tasks, run in order.' };
/** A keyword's value written as one template (Ansible templates its keywords): `"{{ runbook_check_mode }}"`. */
const templateOnly = { type: 'string', pattern: '^\\s*\\{\\{[\\s\\S]*\\}\\}\\s*$' };

/** `environment:` of a play, block or task: a mapping of variable names to values, or one template naming a mapping. */
const environmentSchema = {
  anyOf: [
    { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, additionalProperties: { type: ['string', 'number', 'boolean'] } },
    templateOnly,
  ],
};

/** include_tasks / include_role `apply:`: keywords given to every task the include runs (Ansible's apply). */
const applySchema = {
  type: 'object', additionalProperties: false,
  description: 'include_role / include_tasks: keywords every included task gets (tags, when, become, become_user, vars), as Ansible\'s apply.',
  properties: {
    tags: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    when: { anyOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'array', items: { anyOf: [{ type: 'boolean' }, { type: 'string' }] } }] },
    become: { type: 'boolean' }, become_user: { type: 'string' }, vars: { type: 'object' },
  },
};
const taskFileSchema = (description: string) => ({
  description,
  anyOf: [{ type: 'string' }, {
    type: 'object', required: ['file'], additionalProperties: false,
    properties: { file: { type: 'string', description: 'The task file.' }, apply: applySchema },
  }],
});

function roleTaskSchema(description: string): Record<string, unknown> {
  const file = (what: string) => ({ type: 'string', description: `The file of the role's ${what}/ to use instead of main.yml.` });
  return {
    type: 'object', required: ['name'], additionalProperties: false, description,
    properties: {
      name: { type: 'string', description: 'The role: roles/ beside the playbook, roles_path, or the npm package runbook-role-<name>.' },
      tasks_from: file('tasks'), vars_from: file('vars'), defaults_from: file('defaults'), handlers_from: file('handlers'),
      allow_duplicates: { type: 'boolean', description: 'Run its dependencies again even if they already ran in this play.' },
      public: { type: 'boolean', description: 'include_role: expose its defaults and vars to the rest of the play.' },
      apply: applySchema,
    },
  };
}

/** Task keywords (everything but the module key). */
export const TASK_KEYWORDS: Record<string, Record<string, unknown>> = {
  name: { type: 'string', description: 'What the task does, in words (shown in output).' },
  when: condition,
  loop: { description: 'Run the task once per item (a list, or "{{ var }}" naming one); the item is `item`.', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_items: { description: 'Like loop, with lists inside the list flattened one level (as Ansible).', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_list: { description: 'Alias of loop.', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_dict: { description: 'Loop over a mapping: each item has `key` and `value` (same as `loop: "{{ dict2items m }}"`).', anyOf: [{ type: 'object' }, { type: 'string' }] },
  with_subelements: { description: '[list, "subkey"] (+ {skip_missing: true}): one item [element, sub] per entry of each element\'s sub-list.', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_flattened: { description: 'Loop over the list flattened at every depth.', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_together: { description: 'Lists zipped: item.0 from the first list, item.1 from the second (missing ones null).', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_nested: { description: 'Every combination of the lists: item.0, item.1, ...', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_indexed_items: { description: 'Items as [index, value] pairs (item.0 is the index).', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_sequence: { description: 'Numbers as strings: "start=1 end=5 stride=1 format=node%02d" (count= instead of end), or the shortcut "[start-]end[/stride][:format]"; a list of such terms runs them in turn.', anyOf: [{ type: 'array' }, { type: 'string' }, { type: 'integer' }] },
  with_fileglob: { description: 'Controller files matching a glob (only the last part of the path is a pattern; role files/ and the play\'s folder searched), as absolute paths, sorted.', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_first_found: { description: 'The first controller file that exists (role files/ and the play\'s folder searched), as `item`; names, or {files, paths, skip}.', anyOf: [{ type: 'array' }, { type: 'string' }, { type: 'object' }] },
  loop_control: {
    type: 'object',
    properties: {
      loop_var: { type: 'string', description: 'The name of the item variable (default item).' },
      index_var: { type: 'string', description: 'A variable holding the item\'s position (0, 1, ...).' },
      label: { type: 'string', description: 'What each item is shown as in output (a template, e.g. "{{ item.name }}").' },
      pause: { type: 'number', minimum: 0, description: 'Seconds to wait between items.' },
    },
    additionalProperties: false,
    description: 'loop_var, index_var, label, pause.',
  },
  loop_var: { type: 'string', description: 'The name of the item variable (default item).' },
  register: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Save the result under this variable name.' },
  notify: { ...stringList, description: 'Handlers to run (once, at the end of the section) when this task changed something.' },
  listen: { ...stringList, description: 'Handlers only: topics this handler also answers to (`notify: <topic>` runs every handler that listens to it).' },
  meta: { type: 'string', enum: ['flush_handlers'], description: '`meta: flush_handlers` (a task of its own): run the handlers notified so far, here, instead of at the end of the section.' },
  tags: { ...stringList, description: 'Tags for --tags / --skip-tags.' },
  become: { type: 'boolean', description: 'Run with sudo.' },
  become_user: { type: 'string', description: 'The user to become (default root).' },
  changed_when: condition,
  failed_when: condition,
  ignore_errors: { anyOf: [{ type: 'boolean' }, templateOnly], description: 'A failure does not stop the host (a template is decided per host when the task runs: `"{{ runbook_check_mode }}"`).' },
  retries: { type: 'integer', minimum: 0, description: 'With until: how many attempts.' },
  until: condition,
  delay: { type: 'number', minimum: 0, description: 'Seconds between until attempts.' },
  run_once: { type: 'boolean', description: 'Run on the first host only; every host gets the registered result.' },
  delegate_to: { type: 'string', description: 'Run the module on this host, with the current host\'s variables.' },
  check_mode: { type: 'boolean', description: 'false: run even in --check (for read-only commands whose results later tasks need).' },
  no_log: { anyOf: [{ type: 'boolean' }, templateOnly], description: 'Hide messages, diffs and results of this task in every output and the journal (a template hides them always: safe whatever it would render).' },
  vars: { type: 'object', description: 'Variables for this task (or block) only.' },
  environment: { ...environmentSchema, description: 'Environment variables for the commands the module runs on the target (values are templates, quoted), or one template naming a mapping ("{{ proxy_env }}"); a block gives them to its tasks.' },
  block: taskList,
  rescue: taskList,
  always: taskList,
  import_tasks: taskFileSchema('Inline the tasks of this file (relative to the including file): static, its when/tags/vars apply to each task. Also `{file: x.yml}`.'),
  include_tasks: taskFileSchema('Run the tasks of this file, decided per host at run time: when, loop and tags apply to the include itself; the name may be a template. Also `{file: x.yml, apply: {tags, when, become, become_user, vars}}`: apply gives those keywords to every included task.'),
  import_role: roleTaskSchema('Run a role here (static: the when/tags of this task apply to each of its tasks; its defaults and vars are seen by the whole play).'),
  include_role: roleTaskSchema('Run a role here, decided per host at run time (when, loop and tags apply to the include itself; its variables stay inside it unless public).'),
};

export const PLAY_SCHEMA = {
  type: 'object',
  required: ['hosts'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'What the play does.' },
    hosts: { type: 'string', description: 'Host pattern: all, a group, a host, web*, a:b, a:!b, a:&b.' },
    vars: { type: 'object', description: 'Play variables.' },
    vars_files: { type: 'array', items: { type: 'string' }, description: 'YAML files of variables, relative to the playbook.' },
    gather_facts: { type: 'boolean', default: true, description: 'Gather facts (one round trip per host) before the tasks.' },
    serial: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[0-9]+%?$' }], description: 'Batch size: a number of hosts or a percentage.' },
    max_fail_percentage: { type: 'number', minimum: 0, maximum: 100, description: 'With serial: when more than this percentage of a batch failed, the run stops before the next batch and the whole batch is rolled back (docs/rollouts.md).' },
    any_errors_fatal: { type: 'boolean', description: 'One failed host fails its batch: the run stops and the batch is rolled back.' },
    rollback: { enum: ['batch', 'run'], default: 'batch', description: 'What a failed batch undoes: its own hosts (batch), or every change of the run so far (run).' },
    batch_check: { ...taskList, description: 'Health gate: tasks that must pass on every host of a batch before the next batch starts; a failure fails the batch.' },
    strategy: { enum: ['linear', 'free'], default: 'linear', description: 'linear: every host finishes a task before the next; free: each host runs through on its own.' },
    become: { type: 'boolean', description: 'Run every task with sudo.' },
    become_user: { type: 'string', description: 'The user to become.' },
    environment: { ...environmentSchema, description: 'Environment variables for every task of the play (a block\'s or task\'s own win).' },
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    handlers: taskList,
    tags: stringList,
    roles: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object' }] }, description: 'Roles run after pre_tasks, before tasks: names, or {role: name, vars, when, tags, param: value}.' },
    packs: { type: 'array', items: { type: 'string' }, description: 'Module packs to load: npm package names or paths.' },
  },
} as const;

/**
 * The whole DSL with module args, for editors (yaml-language-server): it accepts what the loader accepts, so a
 * module argument may be a template and a boolean a YAML 1.1 word (editor-schema.ts).
 */
export function playbookSchema(registry: ModuleRegistry): Record<string, unknown> {
  const moduleProps: Record<string, unknown> = {};
  for (const { module, qualified } of registry.list()) {
    const schema = forEditors(module.schema as Record<string, unknown>, { templates: true });
    const args = module.freeForm ? { anyOf: [{ type: 'string' }, schema] } : schema;
    moduleProps[module.name] = { ...args, description: module.doc };
    moduleProps[qualified] = { ...args, description: module.doc };
  }
  const keywords = forEditors({ properties: TASK_KEYWORDS }, { templates: false }).properties as Record<string, unknown>;
  const nested = { type: 'array', items: { $ref: '#/definitions/task' } };
  const task = {
    type: 'object',
    properties: { ...keywords, ...moduleProps, block: nested, rescue: nested, always: nested },
    additionalProperties: false,
  };
  const play = forEditors(PLAY_SCHEMA as unknown as Record<string, unknown>, { templates: false });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'runbook playbook',
    type: 'array',
    items: {
      anyOf: [
        { type: 'object', required: ['import_playbook'], properties: { import_playbook: { type: 'string' }, name: { type: 'string' } }, additionalProperties: false },
        { ...play, properties: { ...(play.properties as object), pre_tasks: nested, tasks: nested, post_tasks: nested, handlers: nested, batch_check: nested } },
      ],
    },
    definitions: { task },
  };
}
