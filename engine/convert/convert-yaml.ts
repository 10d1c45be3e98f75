// Ansible YAML (playbooks, task files, vars files, YAML inventories) rewritten in place for runbook: read as YAML 1.1
// like Ansible reads it (yes → true, 0644 → the mode "0644"), Jinja in values and conditions converted, module names
// and key=value arguments mapped. What cannot be converted stays as written, under a `# TODO(convert):` comment.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseKeyValueArgs } from '../load/free-form.js';
import { yaml11Boolean } from '../load/yaml11-booleans.js';
import { ANSIBLE_ARGUMENT_ALIASES, ansibleModuleAdvice, runbookModuleFor, shortAnsibleName } from '../load/ansible-modules.js';
import { convertCondition, convertTemplate, type TemplateProblem } from './jinja-template.js';

/** One construct left for the user: where, and why. */
export interface Todo { file: string; line: number; message: string }

/**
 * What the converter knows of runbook: each module's argument names (`open` when it takes any name, as set_fact does;
 * `freeForm` when a bare string fills one argument, as include_vars' file), and names templates must read as variables.
 */
export interface ModuleShape { names: Set<string>; open?: boolean; freeForm?: string }
export interface Knowledge { modules: Map<string, ModuleShape>; reserved: string[] }

export type YamlKind = 'playbook' | 'tasks' | 'vars';

interface Context { file: string; lines: LineCounter; todos: Todo[]; known: Knowledge; doc: Document }

const CONDITIONS = new Set(['when', 'changed_when', 'failed_when', 'until']);
const TASK_KEYWORDS = new Set(['name', 'loop', 'loop_control', 'register', 'notify', 'tags', 'become', 'become_user', 'become_method', 'vars',
  'ignore_errors', 'ignore_unreachable', 'retries', 'delay', 'delegate_to', 'delegate_facts', 'run_once', 'no_log', 'check_mode', 'diff', 'listen',
  'environment', 'any_errors_fatal', 'throttle', 'timeout', 'connection', 'remote_user', 'debugger', 'module_defaults', 'collections', 'port']);
/** Keys runbook reads itself (the roles and includes of issue #17): their values are converted, the keys kept. */
const DIRECTIVES = new Set(['import_tasks', 'include_tasks', 'import_role', 'include_role', 'import_playbook', 'include_vars_files', 'meta']);
const FREE_FORM = new Set(['command', 'shell']);
const TASK_LISTS = new Set(['tasks', 'pre_tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always']);

/** The runbook module an Ansible name stands for (the loader's table, engine/load/ansible-modules.ts). */
function runbookModule(name: string, known: Map<string, ModuleShape>): string | undefined {
  const short = shortAnsibleName(name);
  return known.has(short) ? short : runbookModuleFor(name, (m) => known.has(m));
}

const runbookArgument = (module: string, argument: string): string => ANSIBLE_ARGUMENT_ALIASES[module]?.[argument] ?? argument;

const lineOf = (ctx: Context, node: Node | null | undefined): number => (node?.range ? ctx.lines.linePos(node.range[0]).line : 1);

function todo(ctx: Context, anchor: Node, at: number, message: string): void {
  const text = ` TODO(convert): ${message}`;
  anchor.commentBefore = anchor.commentBefore ? `${anchor.commentBefore}\n${text}` : text;
  ctx.todos.push({ file: ctx.file, line: at, message });
}

const describe = (p: TemplateProblem) => `${p.message} (line ${p.line} of the expression)`;
const isTemplated = (text: string): boolean => text.includes('{{') || text.includes('{%') || text.includes('{#');

/** Every string under node: Jinja → Handlebars; an octal number (a mode) → its text. */
function convertValue(ctx: Context, node: unknown, anchor: Node): void {
  if (isScalar(node)) {
    if (typeof node.value === 'number' && node.format === 'OCT') { node.value = `0${node.value.toString(8)}`; node.format = undefined; return; }
    if (typeof node.value !== 'string' || !isTemplated(node.value)) return;
    const result = convertTemplate(node.value, ctx.known.reserved, true);
    if (result.ok) node.value = result.text;
    else todo(ctx, anchor, lineOf(ctx, node) + result.problems[0].line - 1, `${describe(result.problems[0])}: ${excerpt(node.value)}`);
  } else if (isMap(node)) {
    for (const pair of node.items) convertValue(ctx, pair.value, pair.key as Node);
  } else if (isSeq(node)) {
    for (const item of node.items) convertValue(ctx, item, item as Node);
  }
}

const excerpt = (text: string): string => (text.length > 70 ? `${text.slice(0, 67)}...` : text).replace(/\n/g, '\\n');

function convertConditionNode(ctx: Context, node: unknown, anchor: Node): void {
  if (isSeq(node)) { for (const item of node.items) convertConditionNode(ctx, item, item as Node); return; }
  if (!isScalar(node) || typeof node.value !== 'string') return;
  if (node.value.includes('{{') || node.value.includes('{%')) return convertValue(ctx, node, anchor);
  const result = convertCondition(node.value, ctx.known.reserved);
  if (result.ok) node.value = result.text;
  else todo(ctx, anchor, lineOf(ctx, node), `${result.problems[0].message}: ${excerpt(node.value)}`);
}

/**
 * `service: name=x state=started` → a mapping (an argument runbook lacks then gets its own TODO); a bare string for a
 * module that takes one (`include_vars: "{{ item }}"`) stays a string, converted; other text stays, with a TODO.
 */
function argumentsFromText(ctx: Context, module: string, pair: Pair): void {
  const value = pair.value as Scalar;
  const text = String(value.value);
  const { args, stray } = parseKeyValueArgs(text);
  if (stray !== undefined || Object.keys(args).length === 0) {
    if (ctx.known.modules.get(module)?.freeForm) return convertValue(ctx, value, pair.key as Node);
    return todo(ctx, pair.key as Node, lineOf(ctx, value), `'${(stray ?? text).trim()}' is not key=value arguments of ${module}`);
  }
  // Ansible reads `create=yes` as a boolean.
  const mapping = ctx.doc.createNode(Object.fromEntries(Object.entries(args).map(([k, v]) => [k, yaml11Boolean(v) ?? v]))) as YAMLMap;
  for (const item of mapping.items) (item.key as Scalar).range = value.range; // a TODO on one argument names the line
  pair.value = mapping;
}

function convertArguments(ctx: Context, module: string, args: YAMLMap): void {
  const shape = ctx.known.modules.get(module) ?? { names: new Set<string>() };
  for (const pair of args.items) {
    const key = pair.key as Scalar;
    const name = runbookArgument(module, String(key.value));
    key.value = name;
    if (!shape.names.has(name) && !shape.open) todo(ctx, key, lineOf(ctx, key), `runbook's ${module} has no argument '${name}' (it takes: ${[...shape.names].join(', ')})`);
    if (module === 'assert' && name === 'that') convertConditionNode(ctx, pair.value, key);
    else convertValue(ctx, pair.value, key);
  }
}

function convertModule(ctx: Context, task: YAMLMap, pair: Pair): void {
  const key = pair.key as Scalar;
  const ansibleName = String(key.value);
  if (DIRECTIVES.has(shortAnsibleName(ansibleName))) return convertValue(ctx, pair.value, key);
  if (shortAnsibleName(ansibleName) === 'include' && isScalar(pair.value) && !/\s\w+=/.test(String(pair.value.value))) {
    // Ansible's old `include:` of a task file (removed in ansible-core 2.16) is include_tasks, decided at run time.
    key.value = 'include_tasks';
    return convertValue(ctx, pair.value, key);
  }
  const module = runbookModule(ansibleName, ctx.known.modules);
  if (!module) {
    const advice = ansibleModuleAdvice(ansibleName);
    return todo(ctx, key, lineOf(ctx, key), `no runbook module for '${ansibleName}' (${advice ? `write ${advice}` : 'see docs/modules.md'})`);
  }
  key.value = module;
  const extra = task.items.find((p) => (p.key as Scalar).value === 'args');
  if (isScalar(pair.value) && typeof pair.value.value === 'string') {
    if (FREE_FORM.has(module)) { convertValue(ctx, pair.value, key); if (!extra) return; pair.value = ctx.doc.createNode({ cmd: pair.value.value }); }
    else argumentsFromText(ctx, module, pair);
  }
  if (extra && isMap(extra.value)) {
    if (!isMap(pair.value)) pair.value = ctx.doc.createNode({});
    (pair.value as YAMLMap).items.push(...extra.value.items);
    task.items.splice(task.items.indexOf(extra), 1);
  }
  if (isMap(pair.value)) convertArguments(ctx, module, pair.value);
}

/**
 * `action: copy src=a dest=b` and `local_action: { module: copy, ... }` → the module as the task's key, as Ansible
 * reads them; local_action also gets `delegate_to: localhost`.
 */
function convertAction(ctx: Context, task: YAMLMap, pair: Pair): void {
  const key = pair.key as Scalar;
  const local = key.value === 'local_action';
  let module: string | undefined;
  if (isScalar(pair.value) && typeof pair.value.value === 'string') {
    const [, name, rest] = /^\s*(\S+)\s*([\s\S]*)$/.exec(pair.value.value) ?? [];
    module = name;
    pair.value = rest ? ctx.doc.createNode(rest) : ctx.doc.createNode({});
  } else if (isMap(pair.value)) {
    const named = pair.value.items.find((p) => (p.key as Scalar).value === 'module');
    module = named && isScalar(named.value) ? String(named.value.value) : undefined;
    if (named) pair.value.items.splice(pair.value.items.indexOf(named), 1);
  }
  if (!module) return todo(ctx, key, lineOf(ctx, key), `'${key.value}:' without a module name`);
  if (local && task.has('delegate_to')) return todo(ctx, key, lineOf(ctx, key), "local_action with delegate_to (Ansible refuses both)");
  key.value = module;
  if (local) task.add(ctx.doc.createPair('delegate_to', 'localhost'));
  convertModule(ctx, task, pair);
}

function convertTask(ctx: Context, task: unknown): void {
  if (!isMap(task)) return;
  for (const pair of [...task.items]) {
    const key = pair.key as Scalar;
    const name = String(key.value);
    if (TASK_LISTS.has(name)) convertTaskList(ctx, pair.value);
    else if (CONDITIONS.has(name)) convertConditionNode(ctx, pair.value, key);
    else if (TASK_KEYWORDS.has(name) || name.startsWith('with_')) convertValue(ctx, pair.value, key);
    else if (name === 'args') continue;
    else if (name === 'local_action' || name === 'action') convertAction(ctx, task, pair);
    else convertModule(ctx, task, pair);
  }
}

function convertTaskList(ctx: Context, list: unknown): void {
  if (isSeq(list)) for (const task of list.items) convertTask(ctx, task);
}

function convertRoles(ctx: Context, roles: unknown): void {
  if (!isSeq(roles)) return;
  for (const role of roles.items) {
    if (!isMap(role)) continue;
    for (const pair of role.items) {
      if (CONDITIONS.has(String((pair.key as Scalar).value))) convertConditionNode(ctx, pair.value, pair.key as Node);
      else convertValue(ctx, pair.value, pair.key as Node);
    }
  }
}

function convertPlay(ctx: Context, play: unknown): void {
  if (!isMap(play)) return;
  for (const pair of play.items) {
    const name = String((pair.key as Scalar).value);
    if (TASK_LISTS.has(name)) convertTaskList(ctx, pair.value);
    else if (name === 'roles') convertRoles(ctx, pair.value);
    else convertValue(ctx, pair.value, pair.key as Node);
  }
}

/** What a YAML file is, from its shape: plays (hosts/import_playbook/roles), tasks, or variables. */
export function yamlKindOf(doc: Document): YamlKind {
  const top = doc.contents;
  if (!isSeq(top)) return 'vars';
  const first = top.items.find(isMap) as YAMLMap | undefined;
  const keys = new Set(first?.items.map((p) => String((p.key as Scalar).value)) ?? []);
  return keys.has('hosts') || keys.has('import_playbook') ? 'playbook' : 'tasks';
}

/** Convert one YAML file's text; `kind` when its place says what it is (a role's tasks/, defaults/). */
export function convertYaml(text: string, file: string, known: Knowledge, kind?: YamlKind): { text: string; todos: Todo[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: lines, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const at = doc.errors[0].linePos?.[0]?.line ?? 1;
    return { text, todos: [{ file, line: at, message: `not valid YAML, left as it is: ${doc.errors[0].message.split('\n')[0]}` }] };
  }
  const ctx: Context = { file, lines, todos: [], known, doc };
  const as = kind ?? yamlKindOf(doc);
  if (as === 'playbook' && isSeq(doc.contents)) (doc.contents as YAMLSeq).items.forEach((play) => convertPlay(ctx, play));
  else if (as === 'tasks') convertTaskList(ctx, doc.contents);
  else convertValue(ctx, doc.contents, doc.contents as Node);
  doc.setSchema('1.2');
  return { text: doc.toString({ lineWidth: 0 }), todos: ctx.todos };
}

