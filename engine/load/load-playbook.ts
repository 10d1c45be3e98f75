// Loading: a playbook file (and what it imports) → validated, normalized plays. Every problem of every file is
// collected and reported at once, each at file:line:col.

import path from 'node:path';
import { PlaybookError, RunbookError, ValidationError, type SourceLocation } from '../errors.js';
import type { Play, Playbook, Task } from './playbook-types.js';
import { PLAY_SCHEMA, TASK_KEYWORDS } from './playbook-schema.js';
import type { ModuleDefinition, ModuleRegistry } from '../types.js';
import { compileSchema, describeAjvErrors, suggest, validateModuleArgs } from './validate-args.js';
import { parseYaml, readYaml, type SourceFile, type YamlPath } from './yaml-source.js';
import { checkShellTemplate, checkTemplates } from '../template/render.js';
import { commandLineDialect } from '../template/shell-context.js';
import { coerceBooleans, conditionValue } from './yaml11-booleans.js';
import { parseKeyValueArgs, splitFreeForm, typedKeyValueArgs } from './free-form.js';
import { ansibleModuleAdvice, normalizeActionKeyword, normalizeAnsibleKeywords, renameArgumentAliases, runbookModuleFor, shortAnsibleName } from './ansible-modules.js';
import { findJinjaHabits } from '../template/jinja-habits.js';
import { loopKeywords, loopProblems } from './loop-keywords.js';
import { LOOP_KINDS } from '../run/loop-items.js';
import { includeApply, taskFileOf } from './include-apply.js';
import { loadRole, roleEntry, type PlayRoles, type RoleLoading, type RoleRequest } from './load-role.js';

export interface LoadOptions {
  registry: ModuleRegistry;
  /** The playbook's text when it exists only in memory (an ad-hoc `runbook exec` play); `file` then only names it. */
  text?: string;
  /** Folders searched for roles after roles/ beside the playbook (runbook.yml `roles_path`). */
  rolesPath?: string[];
}

interface Loader {
  registry: ModuleRegistry;
  text?: string;
  rolesPath: string[];
  playbookDir: string;
  /** The roles of the play being loaded (import_role inside its tasks adds to them). */
  playRoles?: PlayRoles;
  problems: RunbookError[];
  files: string[];
  packs: string[];
  /** Plays and tasks read so far, imports expanded: bounded so an import bomb stops early. */
  expanded: number;
}

/** The most plays + tasks one playbook may expand to (imports included); docs/dsl.md states it. */
export const MAX_EXPANDED_TASKS = 10_000;

/** Count one more play or task; false (with one problem reported at `location`) once the bound is passed. */
function withinBound(l: Loader, location: SourceLocation): boolean {
  l.expanded++;
  if (l.expanded === MAX_EXPANDED_TASKS + 1) {
    l.problems.push(new RunbookError('VALIDATION', `the playbook expands to more than ${MAX_EXPANDED_TASKS} tasks (imports of imports?): refused`, { location }));
  }
  return l.expanded <= MAX_EXPANDED_TASKS;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Read a vars file (-e @vars.yml, vars_files): a mapping of variables. */
export async function loadVarsFile(file: string, from?: SourceLocation): Promise<Record<string, unknown>> {
  const src = await readYaml(file, 'vars file', from);
  if (src.value === null || src.value === undefined) return {};
  if (!isObject(src.value)) throw new PlaybookError('a vars file must be a mapping of variable names to values', { location: src.loc([]) });
  return src.value;
}

/** Parse + validate + normalize a playbook file and everything it imports. */
export async function loadPlaybook(file: string, opts: LoadOptions): Promise<Playbook> {
  const abs = path.resolve(file);
  const l: Loader = { registry: opts.registry, text: opts.text, rolesPath: opts.rolesPath ?? [], playbookDir: path.dirname(abs), problems: [], files: [], packs: [], expanded: 0 };
  const plays = await loadPlays(l, abs, []);
  if (l.problems.length > 0) throw new ValidationError(l.problems);
  return { file: abs, dir: path.dirname(abs), plays, packs: [...new Set(l.packs)], files: [...new Set(l.files)] };
}

async function loadPlays(l: Loader, file: string, stack: string[], from?: SourceLocation): Promise<Play[]> {
  if (stack.includes(file)) {
    throw new PlaybookError(`circular import_playbook: ${[...stack, file].map((f) => path.basename(f)).join(' → ')}`, { location: from });
  }
  const src = stack.length === 0 && l.text !== undefined ? parseYaml(file, l.text) : await readYaml(file, 'playbook', from);
  l.files.push(file);
  if (!Array.isArray(src.value)) {
    l.problems.push(new RunbookError('VALIDATION', 'a playbook must be a list of plays (each starting with `- hosts: ...`)', { location: src.loc([]) }));
    return [];
  }
  const plays: Play[] = [];
  for (const [i, raw] of src.value.entries()) {
    if (!withinBound(l, src.loc([i]))) break;
    if (isObject(raw) && 'import_playbook' in raw) {
      const extra = Object.keys(raw).filter((k) => k !== 'import_playbook' && k !== 'name');
      if (extra.length) l.problems.push(new RunbookError('VALIDATION', `unknown key '${extra[0]}' beside import_playbook`, { location: src.loc([i, extra[0]], true) }));
      const target = path.resolve(path.dirname(file), String(raw.import_playbook));
      plays.push(...(await loadPlays(l, target, [...stack, file], src.loc([i, 'import_playbook']))));
      continue;
    }
    const play = await loadPlay(l, src, i, raw, stack);
    if (play) plays.push(play);
  }
  return plays;
}

async function loadPlay(l: Loader, src: SourceFile, i: number, raw: unknown, stack: string[]): Promise<Play | undefined> {
  const at: YamlPath = [i];
  if (!isObject(raw)) {
    l.problems.push(new RunbookError('VALIDATION', 'a play must be a mapping with at least `hosts:`', { location: src.loc(at) }));
    return undefined;
  }
  const name = typeof raw.name === 'string' ? raw.name : `play ${i + 1}`;
  const validate = compileSchema(PLAY_SCHEMA as unknown as Record<string, unknown>);
  coerceBooleans(PLAY_SCHEMA as unknown as Record<string, unknown>, raw);
  const data = { ...raw };
  if (!validate(data)) {
    l.problems.push(...describeAjvErrors(validate.errors ?? [], {
      subject: `play '${name}'`, noun: 'key', schema: PLAY_SCHEMA as unknown as Record<string, unknown>, data,
      locate: (p, key) => src.loc([...at, ...p.split('/').filter(Boolean), ...(key ? [key] : [])], key !== undefined),
      lenientTemplates: false,
    }));
    return undefined;
  }
  const dir = path.dirname(src.file);
  let varsFromFiles: Record<string, unknown> = {};
  for (const [j, vf] of asList(raw.vars_files).entries()) {
    const vfile = path.resolve(dir, vf);
    l.files.push(vfile);
    try {
      varsFromFiles = { ...varsFromFiles, ...(await loadVarsFile(vfile, src.loc([...at, 'vars_files', j]))) };
    } catch (e) {
      if (e instanceof RunbookError) l.problems.push(e);
      else throw e;
    }
  }
  l.packs.push(...asList(raw.packs));
  const playRoles: PlayRoles = { seen: new Set(), handlers: [], handlerFiles: new Set(), publicDefaults: {}, publicVars: {} };
  l.playRoles = playRoles;
  const roles = await loadPlayRoles(l, src, [...at, 'roles'], raw.roles, [...stack, src.file]);
  const rolesHandlers = playRoles.handlers.splice(0);
  const section = async (key: string) => (raw[key] === undefined ? [] : loadTasks(l, src, [...at, key], raw[key] as unknown[], [...stack, src.file]));
  const sections = { pre_tasks: await section('pre_tasks'), tasks: [...roles, ...(await section('tasks'))], post_tasks: await section('post_tasks'), handlers: await section('handlers') };
  // As Ansible: the handlers of `roles:` come before the play's own, those of import_role/include_role after.
  sections.handlers = [...rolesHandlers, ...sections.handlers, ...playRoles.handlers];
  checkNotify(l, sections);
  return {
    roleDefaults: playRoles.publicDefaults,
    roleVars: playRoles.publicVars,
    name,
    hosts: String(raw.hosts),
    vars: isObject(raw.vars) ? raw.vars : {},
    varsFromFiles,
    gather_facts: raw.gather_facts !== false,
    serial: raw.serial as number | string | undefined,
    max_fail_percentage: raw.max_fail_percentage as number | undefined,
    any_errors_fatal: raw.any_errors_fatal === true,
    rollback: raw.rollback === 'run' ? 'run' : 'batch',
    batch_check: await section('batch_check'),
    strategy: raw.strategy === 'free' ? 'free' : 'linear',
    become: raw.become as boolean | undefined,
    become_user: raw.become_user as string | undefined,
    environment: isObject(raw.environment) || typeof raw.environment === 'string' ? raw.environment : undefined,
    ...sections,
    tags: asList(raw.tags),
    dir,
    location: src.loc(at),
  };
}

/** `meta: flush_handlers`: a task of its own (only tags and when-less keywords make sense beside it). */
function loadMetaTask(site: TaskSite, candidates: string[]): Task | undefined {
  const { src, at, raw, label, push, l } = site;
  if (candidates.length > 0) push(`unexpected key '${candidates[0]}' beside meta`, [...at, candidates[0]], true);
  if (l.problems.length > site.problemsBefore) return undefined;
  return { ...keywords(raw), name: label ?? `meta: ${String(raw.meta)}`, args: {}, meta: 'flush_handlers', location: src.loc(at) };
}

/** Every notify must name a handler (or a `listen` topic) of the play: a typo would otherwise silently never run. */
function checkNotify(l: Loader, s: Record<'pre_tasks' | 'tasks' | 'post_tasks' | 'handlers', Task[]>): void {
  const leaves = (tasks: Task[]): Task[] => tasks.flatMap((t) => (t.block ? leaves([...t.block, ...(t.rescue ?? []), ...(t.always ?? [])]) : [t]));
  const handlers = [...new Set(leaves(s.handlers).flatMap((h) => [h.name, ...h.listen]))];
  const walk = (tasks: Task[]) => {
    for (const t of tasks) {
      for (const n of t.notify) {
        if (!handlers.includes(n)) {
          const hint = suggest(n, handlers);
          l.problems.push(new RunbookError('VALIDATION', `task '${t.name}': notify '${n}' names no handler of this play${hint ? ` (did you mean '${hint}'?)` : handlers.length ? ` (handlers: ${handlers.join(', ')})` : ''}`, { location: t.location, task: t.name }));
        }
      }
      walk([...(t.block ?? []), ...(t.rescue ?? []), ...(t.always ?? [])]);
    }
  };
  walk([...s.pre_tasks, ...s.tasks, ...s.post_tasks, ...s.handlers]);
}

async function loadTasks(l: Loader, src: SourceFile, at: YamlPath, list: unknown[], stack: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const [i, raw] of list.entries()) {
    const t = await loadTask(l, src, [...at, i], raw, stack);
    if (t) tasks.push(t);
  }
  return tasks;
}

/** The args as a task's default name; secrets (writeOnly in the module's schema) are never part of it. */
function shortArgs(args: Record<string, unknown>, schema: Record<string, unknown>): string {
  const props = (schema.properties ?? {}) as Record<string, { writeOnly?: boolean }>;
  const text = Object.entries(args).map(([k, v]) => `${k}=${props[k]?.writeOnly ? '********' : typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ').replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

type PushProblem = (msg: string, p?: YamlPath, key?: boolean) => void;

/** What loading one task needs to know about where it is. */
interface TaskSite {
  l: Loader;
  src: SourceFile;
  at: YamlPath;
  raw: Record<string, unknown>;
  stack: string[];
  label?: string;
  push: PushProblem;
  problemsBefore: number;
}

async function loadTask(l: Loader, src: SourceFile, at: YamlPath, raw: unknown, stack: string[]): Promise<Task | undefined> {
  if (!withinBound(l, src.loc(at))) return undefined;
  if (!isObject(raw)) {
    l.problems.push(new RunbookError('VALIDATION', 'a task must be a mapping: a module name with its arguments, plus keywords like name/when/loop', { location: src.loc(at) }));
    return undefined;
  }
  const actionProblem = normalizeActionKeyword(raw);
  normalizeAnsibleKeywords(raw);
  const label = typeof raw.name === 'string' ? raw.name : undefined;
  const push: PushProblem = (msg, p = at, key = false) => l.problems.push(new RunbookError('VALIDATION', `task${label ? ` '${label}'` : ''}: ${msg}`, { location: src.loc(p, key), task: label }));
  if (actionProblem) {
    push(actionProblem);
    return undefined;
  }
  const site: TaskSite = { l, src, at, raw, stack, label, push, problemsBefore: l.problems.length };
  checkKeywords(site);
  // Keywords are checked against their own small schemas; anything else must be the one module key.
  const unknownLoops = Object.keys(raw).filter((k) => k.startsWith('with_') && !(k in TASK_KEYWORDS));
  for (const k of unknownLoops) push(`'${k}' is a lookup runbook does not run; write \`loop:\` with the list, or use one of ${Object.keys(LOOP_KINDS).filter((x) => x.startsWith('with_')).join(', ')}`, [...at, k], true);
  const candidates = Object.keys(raw).filter((k) => !(k in TASK_KEYWORDS) && !unknownLoops.includes(k));
  if (raw.import_tasks !== undefined || raw.include_tasks !== undefined || raw.block !== undefined) return loadBlockOrImport(site, candidates);
  if (raw.import_role !== undefined || raw.include_role !== undefined) return loadRoleTask(site, candidates);
  if (raw.meta !== undefined) return loadMetaTask(site, candidates);
  if (raw.rescue !== undefined || raw.always !== undefined) push('rescue/always need a block');
  return loadModuleTask(site, candidates);
}

function checkKeywords({ raw, at, push }: TaskSite): void {
  const loopIssues = loopProblems(raw);
  for (const { key, message } of loopIssues) push(message, [...at, key], true);
  for (const k of Object.keys(raw).filter((k) => k in TASK_KEYWORDS && !loopIssues.some((p) => p.key === k))) {
    raw[k] = coerceBooleans(TASK_KEYWORDS[k], raw[k]);
    const validate = compileSchema(TASK_KEYWORDS[k]);
    if (!validate(raw[k])) {
      const e = validate.errors?.[0];
      push(`'${k}' ${e?.keyword === 'type' ? `must be ${String((e.params as { type: string }).type).replace(',', ' or ')}` : e?.keyword === 'anyOf' ? 'has the wrong type' : (e?.message ?? 'is invalid')}`, [...at, k]);
    }
  }
}

/** A block (with rescue/always) or an imported task file: both become a task with a `block`. */
async function loadBlockOrImport(site: TaskSite, candidates: string[]): Promise<Task | undefined> {
  const { l, src, at, raw, stack, label, push } = site;
  const apply = includeApply(raw.import_tasks ?? raw.include_tasks);
  if (raw.import_tasks !== undefined) raw.import_tasks = taskFileOf(raw.import_tasks);
  if (raw.include_tasks !== undefined) raw.include_tasks = taskFileOf(raw.include_tasks);
  const imported = raw.import_tasks ?? raw.include_tasks;
  const isBlock = raw.block !== undefined;
  if (candidates.length > 0) push(`unexpected key '${candidates[0]}' in a ${isBlock ? 'block' : 'task import'}`, [...at, candidates[0]], true);
  if (apply && raw.import_tasks !== undefined) push("'apply' is for include_tasks: import_tasks gives its own keywords (when, tags, become) to each task", [...at, 'import_tasks', 'apply'], true);
  l.problems.push(...jinjaHabits(site, [['when', conditionValue(raw.when), true], ['apply', apply?.when, true]]));
  if (l.problems.length > site.problemsBefore) return undefined;
  const included = raw.include_tasks !== undefined;
  // A templated file name is known per host at run time only: loaded (and validated) then.
  const templated = included && String(imported).includes('{{');
  const block = isBlock ? await loadTasks(l, src, [...at, 'block'], raw.block as unknown[], stack) : templated ? [] : await loadImportedTasks(site);
  if (!block) return undefined;
  return {
    ...keywords(raw),
    name: label ?? (isBlock ? 'block' : `${included ? 'include' : 'import'} ${String(imported)}`),
    args: {},
    block,
    include: included ? { kind: 'tasks', ...(templated ? { file: String(imported), dir: path.dirname(src.file) } : {}), ...(apply ? { apply } : {}) } : undefined,
    rescue: raw.rescue ? await loadTasks(l, src, [...at, 'rescue'], raw.rescue as unknown[], stack) : undefined,
    always: raw.always ? await loadTasks(l, src, [...at, 'always'], raw.always as unknown[], stack) : undefined,
    location: src.loc(at),
  };
}

async function loadImportedTasks({ l, src, at, raw, stack, push }: TaskSite): Promise<Task[] | undefined> {
  const key = raw.import_tasks !== undefined ? 'import_tasks' : 'include_tasks';
  const file = path.resolve(path.dirname(src.file), String(raw[key]));
  if (stack.includes(file)) {
    push(`circular import_tasks: ${[...stack, file].map((f) => path.basename(f)).join(' → ')}`, [...at, key]);
    return undefined;
  }
  return loadTaskFile(l, file, src.loc([...at, key]), stack);
}

/** A file that is a list of tasks (imported, included, a role's tasks/ or handlers/), loaded and validated. */
async function loadTaskFile(l: Loader, file: string, from: SourceLocation | undefined, stack: string[]): Promise<Task[] | undefined> {
  let imported: SourceFile;
  try {
    imported = await readYaml(file, 'task file', from);
  } catch (e) {
    if (e instanceof RunbookError) { l.problems.push(e); return undefined; }
    throw e;
  }
  l.files.push(file);
  if (imported.value === null || imported.value === undefined) return [];
  if (!Array.isArray(imported.value)) {
    l.problems.push(new RunbookError('VALIDATION', 'a task file must be a list of tasks', { location: imported.loc([]) }));
    return undefined;
  }
  return loadTasks(l, imported, [], imported.value, [...stack, file]);
}

/** A task file named by a templated include_tasks, loaded when the run reaches it; problems thrown together. */
export async function loadTaskFileAtRunTime(file: string, registry: ModuleRegistry, rolesPath: string[], playbookDir: string): Promise<Task[]> {
  const l: Loader = {
    registry, rolesPath, playbookDir, problems: [], files: [], packs: [], expanded: 0,
    playRoles: { seen: new Set(), handlers: [], handlerFiles: new Set(), publicDefaults: {}, publicVars: {} },
  };
  const tasks = await loadTaskFile(l, file, undefined, []);
  if (l.problems.length > 0) throw new ValidationError(l.problems);
  return tasks ?? [];
}

/** include_role with a templated name, at run time: the role's block and the handlers it brings (validated, or throws). */
export async function loadRoleAtRunTime(request: RoleRequest, registry: ModuleRegistry, rolesPath: string[], playbookDir: string): Promise<{ block: Task; handlers: Task[] }> {
  const l: Loader = {
    registry, rolesPath, playbookDir, problems: [], files: [], packs: [], expanded: 0,
    playRoles: { seen: new Set(), handlers: [], handlerFiles: new Set(), publicDefaults: {}, publicVars: {} },
  };
  const block = await loadRole(roleLoading(l), request, {}, undefined, []);
  if (l.problems.length > 0 || !block) throw new ValidationError(l.problems);
  return { block, handlers: l.playRoles!.handlers };
}

/** What role loading (load-role.ts) borrows from this loader, for the play being loaded. */
function roleLoading(l: Loader): RoleLoading {
  return {
    playbookDir: l.playbookDir,
    rolesPath: l.rolesPath,
    play: l.playRoles!,
    problem: (e) => l.problems.push(e),
    loadTaskFile: (file, from, stack) => loadTaskFile(l, file, from, stack),
    loadVars: async (file, from) => {
      l.files.push(file);
      try {
        return await loadVarsFile(file, from);
      } catch (e) {
        if (e instanceof RunbookError) { l.problems.push(e); return {}; }
        throw e;
      }
    },
    roleBlock: (entry, role, block, location) => ({ ...keywords(entry), vars: {}, name: `role ${role.name}`, args: {}, block, role, location }),
  };
}

/** The play's `roles:`, each a block of its tasks (dependencies first), run before the play's `tasks:`. */
async function loadPlayRoles(l: Loader, src: SourceFile, at: YamlPath, list: unknown, stack: string[]): Promise<Task[]> {
  const blocks: Task[] = [];
  for (const [i, raw] of (Array.isArray(list) ? list : []).entries()) {
    if (!withinBound(l, src.loc([...at, i]))) break;
    const parsed = roleEntry(raw, path.dirname(src.file), src.loc([...at, i]));
    if (typeof parsed === 'string') {
      l.problems.push(new RunbookError('VALIDATION', parsed, { location: src.loc([...at, i]) }));
      continue;
    }
    const block = await loadRole(roleLoading(l), parsed.request, parsed.entry, undefined, stack);
    if (block) blocks.push(block);
  }
  return blocks;
}

/** import_role (static: its when/tags apply to each task) and include_role (when/loop apply to the include). */
async function loadRoleTask(site: TaskSite, candidates: string[]): Promise<Task | undefined> {
  const { l, src, at, raw, stack, label, push } = site;
  const key = raw.import_role !== undefined ? 'import_role' : 'include_role';
  if (candidates.length > 0) push(`unexpected key '${candidates[0]}' beside ${key}`, [...at, candidates[0]], true);
  const spec = raw[key] as Record<string, unknown>;
  const apply = includeApply(spec);
  if (apply && key === 'import_role') push("'apply' is for include_role: import_role gives its own keywords (when, tags, become) to each task", [...at, key, 'apply'], true);
  l.problems.push(...jinjaHabits(site, [['when', conditionValue(raw.when), true], ['apply', apply?.when, true]]));
  if (l.problems.length > site.problemsBefore) return undefined;
  const request: RoleRequest = {
    name: String(spec.name), tasksFrom: spec.tasks_from as string | undefined, varsFrom: spec.vars_from as string | undefined,
    defaultsFrom: spec.defaults_from as string | undefined, handlersFrom: spec.handlers_from as string | undefined,
    params: {}, vars: key === 'import_role' ? keywords(raw).vars : {}, public: key === 'import_role' || spec.public === true, once: false,
    allowDuplicates: spec.allow_duplicates as boolean | undefined, fromDir: path.dirname(src.file), location: src.loc([...at, key]),
  };
  const kw = keywords(raw);
  if (key === 'include_role' && request.name.includes('{{')) {
    // A templated name is known per host and item at run time only: the role is found and loaded (validated) then.
    l.problems.push(...checkTemplates({ name: request.name }, { task: label, location: request.location }));
    if (request.public) push("'public: true' needs a role name written literally (a templated name is known only at run time, after the play's variables are fixed)", [...at, key, 'public'], true);
    return { ...kw, name: label ?? `include_role ${request.name}`, args: {}, block: [], include: { kind: 'role', role: request, ...(apply ? { apply } : {}) }, location: src.loc(at) };
  }
  const block = await loadRole(roleLoading(l), request, {}, undefined, stack);
  if (!block) return undefined;
  // import_role's vars are the role's (role-vars level, seen by the play); include_role's are include params.
  if (key === 'import_role') return { ...kw, vars: {}, name: label ?? `import_role ${request.name}`, args: {}, block: [block], location: src.loc(at) };
  return { ...kw, name: label ?? `include_role ${request.name}`, args: {}, block: [block], include: { kind: 'role', ...(apply ? { apply } : {}) }, location: src.loc(at) };
}

/** A task that runs one module: the module resolved, its args read (free-form or mapping) and validated. */
async function loadModuleTask(site: TaskSite, candidates: string[]): Promise<Task | undefined> {
  const { l, src, at, raw, label, push } = site;
  const location = src.loc(at);
  if (candidates.length === 0) {
    push('no module: a task needs one module key (e.g. `copy:`, `command:`); see `runbook modules`');
    return undefined;
  }
  if (candidates.length > 1) {
    push(`more than one module key (${candidates.join(', ')}): a task runs exactly one module`, [...at, candidates[1]], true);
    return undefined;
  }
  const moduleName = candidates[0];
  const resolved = resolveModule(site, moduleName);
  if (!resolved) return undefined;
  const { module } = resolved;
  const rawArgs = raw[moduleName];
  const args = moduleArgs(site, module, moduleName, rawArgs);
  if (!args) return undefined;
  // no_log hides the arguments from the default name too (it is printed everywhere).
  const name = label ?? (keywords(raw).no_log ? `${module.name} (arguments hidden by no_log)` : `${module.name} ${shortArgs(args, module.schema)}`.trim());
  // Validate now (lenient with values only known after rendering); the engine validates again after rendering.
  for (const p of validateModuleArgs(module, args, { task: name, location }, true)) {
    const m = /'([A-Za-z0-9_]+)/.exec(p.message.split(': ').slice(1).join(': '));
    const argPath: YamlPath = [...at, moduleName, ...(m && rawArgs !== null && typeof rawArgs === 'object' && m[1] in (rawArgs as object) ? [m[1]] : [])];
    l.problems.push(new RunbookError('VALIDATION', p.message, { location: src.loc(argPath, argPath.length > at.length + 1), task: name }));
  }
  // Template syntax is checked up front: a typo in a template must not surface after other tasks ran.
  const kw = keywords(raw);
  const ignore = typeof kw.ignore_errors === 'string' ? kw.ignore_errors : undefined;
  const habits = jinjaHabits(site, [[moduleName, args, false], ['loop', kw.loop, false], ['ignore_errors', ignore, false], ...CONDITION_KEYS.map((k) => [k, kw[k], true] as JinjaField)]);
  l.problems.push(...habits);
  if (habits.length === 0) l.problems.push(...checkTemplates({ args, when: kw.when, loop: kw.loop, changed_when: kw.changed_when, failed_when: kw.failed_when, until: kw.until, ignore_errors: ignore }, { task: name, location }));
  for (const [key, value] of Object.entries(args)) {
    const dialect = commandLineDialect(module, key);
    const argAt: YamlPath = [...at, moduleName, ...(typeof rawArgs === 'object' ? [key] : [])];
    if (dialect && typeof value === 'string') l.problems.push(...checkShellTemplate(value, dialect, { task: name, location: src.loc(argAt) }));
  }
  if (l.problems.length > site.problemsBefore) return undefined;
  return { ...kw, name, module: resolved.name, args, location, renders: module.renders?.(args) };
}

/** The module a task names: runbook's name, or an Ansible name (`ansible.builtin.copy`, `apt`) with a twin here. */
function resolveModule({ l, at, push }: TaskSite, moduleName: string): { module: ModuleDefinition; name: string } | undefined {
  const exists = (name: string): boolean => { try { return Boolean(l.registry.resolve(name)); } catch { return true; } };
  const name = exists(moduleName) ? moduleName : runbookModuleFor(moduleName, exists) ?? moduleName;
  let module;
  try {
    module = l.registry.resolve(name);
  } catch (e) {
    push((e as Error).message, [...at, moduleName], true);
    return undefined;
  }
  if (!module) {
    const advice = ansibleModuleAdvice(moduleName);
    const hint = suggest(shortAnsibleName(moduleName), l.registry.list().map((e) => e.module.name));
    const instead = advice ? ` (an Ansible module runbook has no twin for: use ${advice})` : hint ? ` (did you mean '${hint}'?)` : '';
    push(`unknown module '${moduleName}'${instead}; see \`runbook modules\` and docs/ansible-differences.md`, [...at, moduleName], true);
    return undefined;
  }
  return { module, name };
}

/**
 * Args as a mapping, a free-form string for modules that take one (`command: ls -l`), or Ansible's `key=value` words
 * (`service: name=nginx state=started`); Ansible's argument aliases (`dest` for file's `path`) read as runbook's names.
 */
function moduleArgs({ at, push }: TaskSite, module: ModuleDefinition, moduleName: string, rawArgs: unknown): Record<string, unknown> | undefined {
  if (rawArgs === null || rawArgs === undefined) return {};
  let args: Record<string, unknown>;
  if (typeof rawArgs === 'string' || typeof rawArgs === 'number') {
    if (module.freeForm) {
      if (!module.freeFormKeys) return { [module.freeForm]: String(rawArgs) };
      const { rest, options } = splitFreeForm(String(rawArgs), module.freeFormKeys);
      return { [module.freeForm]: rest, ...options };
    }
    const { args: words, stray } = parseKeyValueArgs(String(rawArgs));
    if (stray !== undefined) {
      push(`module ${module.name} takes its arguments as a mapping or as key=value words (${Object.keys((module.schema as { properties?: object }).properties ?? {}).join(', ')}), got '${stray}'`, [...at, moduleName]);
      return undefined;
    }
    args = typedKeyValueArgs(module.schema, words);
  } else if (isObject(rawArgs)) {
    args = { ...rawArgs };
  } else {
    push(`the arguments of ${module.name} must be a mapping`, [...at, moduleName]);
    return undefined;
  }
  const renamed = renameArgumentAliases(module.name, args);
  if (renamed.problem) push(renamed.problem, [...at, moduleName]);
  return renamed.problem ? undefined : renamed.args;
}

/** The task keywords, normalized (defaults applied). */
function keywords(raw: Record<string, unknown>): Omit<Task, 'name' | 'args' | 'location'> {
  return {
    when: conditionValue(raw.when),
    ...loopKeywords(raw),
    register: raw.register as string | undefined,
    notify: asList(raw.notify),
    listen: asList(raw.listen),
    tags: asList(raw.tags),
    become: raw.become as boolean | undefined,
    become_user: raw.become_user as string | undefined,
    changed_when: conditionValue(raw.changed_when),
    failed_when: conditionValue(raw.failed_when),
    // A template is decided per host when the task runs (task-loop.ts).
    ignore_errors: typeof raw.ignore_errors === 'string' ? raw.ignore_errors : raw.ignore_errors === true,
    retries: typeof raw.retries === 'number' ? raw.retries : raw.until !== undefined ? 3 : 0,
    until: conditionValue(raw.until),
    delay: typeof raw.delay === 'number' ? raw.delay : raw.until !== undefined ? 5 : 0,
    run_once: raw.run_once === true,
    delegate_to: raw.delegate_to as string | undefined,
    check_mode: raw.check_mode as boolean | undefined,
    // A template hides always: what it renders is not known before the task's output exists (safe either way).
    no_log: raw.no_log === true || typeof raw.no_log === 'string',
    vars: isObject(raw.vars) ? raw.vars : {},
    environment: isObject(raw.environment) || typeof raw.environment === 'string' ? raw.environment : undefined,
  };
}

const CONDITION_KEYS = ['when', 'changed_when', 'failed_when', 'until'] as const;
type JinjaField = [key: string, value: unknown, isCondition: boolean];

/** Jinja spellings (`os == 'Debian'`, `{{ x | upper }}`) at the key that holds them, with the Handlebars to write. */
function jinjaHabits({ src, at, label }: TaskSite, fields: JinjaField[]): RunbookError[] {
  const problems: RunbookError[] = [];
  const texts = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(texts) : isObject(v) ? Object.values(v).flatMap(texts) : []);
  for (const [key, value, isCondition] of fields) {
    for (const text of texts(value)) {
      for (const habit of findJinjaHabits(text, isCondition)) {
        const kind = isCondition && !text.includes('{{') ? 'condition' : 'template';
        const fix = habit.suggestion ? `write ${habit.suggestion}` : 'see docs/dsl.md (Templates, Conditions)';
        problems.push(new RunbookError('VALIDATION', `task${label ? ` '${label}'` : ''}: Jinja syntax in '${key}': ${habit.expression} — runbook ${kind}s are Handlebars: ${fix}`, { location: src.loc([...at, key], true), task: label }));
      }
    }
  }
  return problems;
}
