// Roles, Ansible's layout: tasks/, handlers/, defaults/, vars/, meta/main.yml (dependencies, allow_duplicates),
// templates/ and files/. A role becomes a block of its dependencies' blocks and its own tasks, carrying its variables
// (RoleScope); its handlers join the play's. Every problem is reported at the role file's file:line:col.

import path from 'node:path';
import { RunbookError, type SourceLocation } from '../errors.js';
import type { RoleRequest, RoleScope, Task } from './playbook-types.js';
import { argumentSpecTask } from './role-argument-specs.js';
import { COLLECTION_ROLE, findRole, roleFile, roleSearchPath } from './role-search.js';
import { readYaml } from './yaml-source.js';

/** What one play collects from its roles while loading. */
export interface PlayRoles {
  /** Roles placed so far (dir, tasks file, params): a role runs once per play unless allow_duplicates. */
  seen: Set<string>;
  handlers: Task[];
  handlerFiles: Set<string>;
  /** defaults and vars of the roles the play exposes (roles:, import_role), in load order. */
  publicDefaults: Record<string, unknown>;
  publicVars: Record<string, unknown>;
}

/** What the loader lends to role loading (load-playbook.ts owns task parsing). */
export interface RoleLoading {
  playbookDir: string;
  rolesPath: string[];
  play: PlayRoles;
  problem(e: RunbookError): void;
  /** A task file (a list of tasks) loaded and validated; undefined once a problem was reported. */
  loadTaskFile(file: string, from: SourceLocation, stack: string[]): Promise<Task[] | undefined>;
  /** A vars file (defaults/, vars/) read as a mapping; problems reported. */
  loadVars(file: string, from: SourceLocation): Promise<Record<string, unknown>>;
  /** The block task a role entry becomes (its when/tags/become apply to every task of the role). */
  roleBlock(entry: Record<string, unknown>, role: RoleScope, block: Task[], location: SourceLocation): Task;
}

export type { RoleRequest } from './playbook-types.js';

/** Keys of a role entry that are keywords (applied to the role's tasks); every other key is a role param. */
const ENTRY_KEYWORDS = new Set(['role', 'name', 'vars', 'when', 'tags', 'become', 'become_user', 'ignore_errors', 'no_log', 'check_mode', 'delegate_to']);

const isMapping = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A `roles:` or meta dependency entry: `name`, or {role: name, vars, when, tags, param: value, ...}. */
export function roleEntry(raw: unknown, fromDir: string, location: SourceLocation): { request: RoleRequest; entry: Record<string, unknown> } | string {
  const entry = typeof raw === 'string' ? { role: raw } : isMapping(raw) ? raw : undefined;
  const name = entry?.role ?? entry?.name;
  if (!entry || typeof name !== 'string' || name === '') return 'a role entry must be a role name or a mapping with `role: <name>`';
  const params = Object.fromEntries(Object.entries(entry).filter(([k]) => !ENTRY_KEYWORDS.has(k)));
  const keywords = Object.fromEntries(Object.entries(entry).filter(([k]) => ENTRY_KEYWORDS.has(k) && k !== 'role' && k !== 'name' && k !== 'vars'));
  return {
    request: { name, params, vars: isMapping(entry.vars) ? entry.vars : {}, public: true, once: true, fromDir, location },
    entry: keywords,
  };
}

/** A role (its dependencies first) as one block task; undefined once a problem was reported. */
export async function loadRole(r: RoleLoading, req: RoleRequest, entry: Record<string, unknown>, parent: RoleScope | undefined, stack: string[]): Promise<Task | undefined> {
  const dir = await findRole(req.name, req.fromDir, r.playbookDir, r.rolesPath);
  if (!dir) {
    const places = [...roleSearchPath(r.playbookDir, r.rolesPath, req.name), `the npm package runbook-role-${req.name}`];
    r.problem(new RunbookError('VALIDATION', `role '${req.name}' not found (looked in ${places.join(', ')})`, { location: req.location }));
    return undefined;
  }
  const key = `${dir}|${req.tasksFrom ?? 'main'}`;
  if (stack.includes(key)) {
    r.problem(new RunbookError('VALIDATION', `circular role dependency: ${[...stack, key].map((k) => path.basename(k.split('|')[0])).join(' → ')}`, { location: req.location }));
    return undefined;
  }
  const meta = await readMeta(r, dir, req.location);
  if (!meta) return undefined;
  const params = { ...(parent?.params ?? {}), ...req.params };
  const scope: RoleScope = { name: COLLECTION_ROLE.test(req.name) ? req.name : path.basename(dir).replace(/^runbook-role-/, ''), dir, defaults: {}, vars: {}, params, dirs: [dir, ...(parent?.dirs ?? [])] };
  const dependencyBlocks: Task[] = [];
  for (const dep of meta.dependencies) {
    const block = await loadRole(r, { ...dep.request, public: req.public }, dep.entry, scope, [...stack, key]);
    if (!block?.role) continue;
    Object.assign(scope.defaults, block.role.defaults);
    Object.assign(scope.vars, block.role.vars);
    dependencyBlocks.push(block);
  }
  Object.assign(scope.defaults, await optionalVars(r, dir, 'defaults', req.defaultsFrom, req.location));
  Object.assign(scope.vars, req.vars, await optionalVars(r, dir, 'vars', req.varsFrom, req.location));
  if (req.public) {
    Object.assign(r.play.publicDefaults, scope.defaults);
    Object.assign(r.play.publicVars, scope.vars);
  }
  await loadRoleHandlers(r, scope, req, stack);
  const runKey = `${key}|${JSON.stringify(req.params)}`;
  const skip = req.once && !(req.allowDuplicates ?? meta.allowDuplicates) && r.play.seen.has(runKey);
  r.play.seen.add(runKey);
  const roleOwnTasks = skip ? [] : await roleTasks(r, dir, req, [...stack, key]);
  if (!roleOwnTasks) return undefined;
  const check = skip ? undefined : await argumentSpecTask(dir, req.tasksFrom ?? 'main', (e) => r.problem(e), req.location);
  const tasks = check ? [check, ...roleOwnTasks] : roleOwnTasks;
  // A role that runs once per play also runs once per host when an include_role loop reaches it again (its own
  // tasks: its dependencies decide for themselves, as in Ansible).
  const once = req.once && !(req.allowDuplicates ?? meta.allowDuplicates);
  const own = once ? [{ ...r.roleBlock({}, scope, prefixed(scope.name, tasks), req.location), role_once: runKey }] : prefixed(scope.name, tasks);
  return r.roleBlock(entry, scope, [...dependencyBlocks, ...own], req.location);
}

/** Ansible shows a role's tasks as `role : task`; a nested role's block keeps its own names. */
function prefixed(roleName: string, tasks: Task[]): Task[] {
  return tasks.map((t) => (t.role ? t : {
    ...t,
    name: t.block && !t.include ? t.name : `${roleName} : ${t.name}`,
    block: t.block ? prefixed(roleName, t.block) : undefined,
    rescue: t.rescue ? prefixed(roleName, t.rescue) : undefined,
    always: t.always ? prefixed(roleName, t.always) : undefined,
  }));
}

interface RoleMeta {
  dependencies: Array<{ request: RoleRequest; entry: Record<string, unknown> }>;
  allowDuplicates: boolean;
}

/** meta/main.yml: dependencies (each a role entry) and allow_duplicates; galaxy_info and the rest are ignored. */
async function readMeta(r: RoleLoading, dir: string, from: SourceLocation): Promise<RoleMeta | undefined> {
  const file = await roleFile(dir, 'meta', 'main');
  if (!file) return { dependencies: [], allowDuplicates: false };
  let src;
  try {
    src = await readYaml(file, 'role meta file', from);
  } catch (e) {
    if (e instanceof RunbookError) { r.problem(e); return undefined; }
    throw e;
  }
  const value = isMapping(src.value) ? src.value : {};
  const deps = value.dependencies ?? [];
  if (!Array.isArray(deps)) {
    r.problem(new RunbookError('VALIDATION', 'dependencies must be a list of roles', { location: src.loc(['dependencies']) }));
    return undefined;
  }
  const dependencies: RoleMeta['dependencies'] = [];
  for (const [i, raw] of deps.entries()) {
    const parsed = roleEntry(raw, path.dirname(dir), src.loc(['dependencies', i]));
    if (typeof parsed === 'string') r.problem(new RunbookError('VALIDATION', parsed, { location: src.loc(['dependencies', i]) }));
    else dependencies.push(parsed);
  }
  return { dependencies, allowDuplicates: value.allow_duplicates === true };
}

/** defaults/<from> or vars/<from>: absent main is fine, an absent file named by *_from is an error. */
async function optionalVars(r: RoleLoading, dir: string, sub: string, from: string | undefined, at: SourceLocation): Promise<Record<string, unknown>> {
  const file = await roleFile(dir, sub, from ?? 'main');
  if (file) return r.loadVars(file, at);
  if (from !== undefined) r.problem(new RunbookError('VALIDATION', `${sub}_from: ${path.join(dir, sub, from)}(.yml) not found`, { location: at }));
  return {};
}

async function roleTasks(r: RoleLoading, dir: string, req: RoleRequest, stack: string[]): Promise<Task[] | undefined> {
  const file = await roleFile(dir, 'tasks', req.tasksFrom ?? 'main');
  if (file) return r.loadTaskFile(file, req.location, stack);
  if (req.tasksFrom === undefined) return [];
  r.problem(new RunbookError('VALIDATION', `tasks_from: ${path.join(dir, 'tasks', req.tasksFrom)}(.yml) not found`, { location: req.location }));
  return undefined;
}

/** handlers/<from>: joins the play's handlers once, as a block with the role's variables; `role : name` notifies too. */
async function loadRoleHandlers(r: RoleLoading, scope: RoleScope, req: RoleRequest, stack: string[]): Promise<void> {
  const file = await roleFile(scope.dir, 'handlers', req.handlersFrom ?? 'main');
  if (!file) {
    if (req.handlersFrom !== undefined) r.problem(new RunbookError('VALIDATION', `handlers_from: ${path.join(scope.dir, 'handlers', req.handlersFrom)}(.yml) not found`, { location: req.location }));
    return;
  }
  if (r.play.handlerFiles.has(file)) return;
  r.play.handlerFiles.add(file);
  const handlers = await r.loadTaskFile(file, req.location, stack);
  if (!handlers) return;
  // Notified by their own name or as `role : name` (the name they are shown with).
  const named = (tasks: Task[]): Task[] => tasks.map((t) => (t.block
    ? { ...t, block: named(t.block) }
    : { ...t, name: `${scope.name} : ${t.name}`, listen: [...t.listen, t.name] }));
  r.play.handlers.push(r.roleBlock({}, scope, named(handlers), req.location));
}
