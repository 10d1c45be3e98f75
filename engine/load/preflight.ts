// Pre-flight: before anything runs, every variable a template uses must be defined somewhere (inventory, play
// vars, vars_files, extra vars, a register, a loop var, facts). A typo is an input error (exit 2), not a failure
// on host 37 after 36 hosts were changed.

import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RunbookError, TemplateError, ValidationError } from '../errors.js';
import { emptyFacts } from '../run/facts.js';
import { helperNames } from '../template/render.js';
import type { ModuleRegistry } from '../types.js';
import type { Inventory, Playbook, Task } from './playbook-types.js';
import { withRunbookNames } from '../inventory/ansible-variables.js';

const BUILTINS = ['facts', 'hostvars', 'groups', 'inventory_hostname', 'group_names', 'play_hosts', 'runbook_check_mode', 'result', 'this'];
const FACT_KEYS = new Set(Object.keys(emptyFacts('x')));

type Node = hbs.AST.Node & Record<string, any>;

/** Handlebars' built-in helpers and runbook's (helperNames() includes both), computed once. */
let helperSet: Set<string> | undefined;
const knownHelpers = () => (helperSet ??= new Set(helperNames()));

/** First segments of every variable path a template string uses (helpers and #each bodies excluded). */
export function templateRoots(text: string, isCondition: boolean): Array<{ root: string; path: string; unknownHelper?: boolean }> {
  const source = !isCondition || text.includes("{{") ? text : `{{${text}}}`;
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch {
    return []; // syntax errors are reported by the template checker with their position
  }
  const out: Array<{ root: string; path: string; unknownHelper?: boolean }> = [];
  const helpers = knownHelpers();
  const blockParams: string[] = [];
  const visitPath = (p: Node, asHelper: boolean, asParameter = false) => {
    if (p.type !== 'PathExpression' || p.data || p.this || p.depth > 0 || p.parts.length === 0) return;
    if (blockParams.includes(p.parts[0])) return; // `{{#for hosts as |host|}}`: host is the loop's, not a variable
    if (asHelper && p.parts.length === 1 && !helpers.has(p.parts[0])) out.push({ root: p.parts[0], path: p.parts[0], unknownHelper: true });
    // A parameter named like a helper (`join list ","`) is a variable: Handlebars calls helpers only in ( ) or alone.
    if (asHelper || (!asParameter && p.parts.length === 1 && helpers.has(p.parts[0]))) return;
    out.push({ root: p.parts[0], path: p.parts.join('.') });
  };
  const visitExpr = (e: Node | undefined) => {
    if (!e) return;
    if (e.type === 'PathExpression') visitPath(e, false, true);
    else if (e.type === 'SubExpression') visitCall(e);
  };
  const visitCall = (n: Node) => {
    const hasArgs = (n.params?.length ?? 0) > 0 || (n.hash?.pairs?.length ?? 0) > 0;
    visitPath(n.path, hasArgs || n.type === 'SubExpression');
    // `default x "y"` and `defined x` exist for variables that may be undefined: their first argument is not checked.
    const isDefault = n.path?.parts?.[0] === 'default' || n.path?.parts?.[0] === 'defined';
    (n.params ?? []).forEach((p: Node, i: number) => (isDefault && i === 0 ? undefined : visitExpr(p)));
    for (const pair of n.hash?.pairs ?? []) visitExpr(pair.value);
  };
  const visitProgram = (prog: Node | undefined) => {
    for (const s of prog?.body ?? []) {
      if (s.type === 'MustacheStatement') visitCall(s);
      else if (s.type === 'BlockStatement') {
        visitCall(s);
        const name = s.path.parts?.[0];
        // each/with change the context: their bodies refer to the item, not to variables.
        const params: string[] = s.program?.blockParams ?? [];
        blockParams.push(...params);
        if (name !== 'each' && name !== 'with') visitProgram(s.program);
        blockParams.splice(blockParams.length - params.length, params.length);
        visitProgram(s.inverse);
      }
    }
  };
  visitProgram(ast as unknown as Node);
  return out;
}

function readTemplateFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // a missing file is the module's error, with its own message
  }
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** Names a block-like task defines for the tasks inside it: vars, a role's variables, an include's loop variables. */
function innerNames(t: Task): string[] {
  const role = t.role ? [...Object.keys(t.role.defaults), ...Object.keys(t.role.vars), ...Object.keys(t.role.params), 'role_name', 'role_path'] : [];
  const loop = t.include && t.loop !== undefined ? [t.loop_var, ...(t.index_var ? [t.index_var] : [])] : [];
  return [...Object.keys(t.vars ?? {}), ...role, ...loop];
}

/** Every task with the names its enclosing blocks define and the folders of its enclosing roles (innermost first). */
function walkTasks(tasks: Task[], fn: (t: Task, scope: string[], roleDirs: string[]) => void, scope: string[] = [], roleDirs: string[] = []): void {
  for (const t of tasks) {
    const inner = [...scope, ...innerNames(t)];
    fn(t, inner, roleDirs);
    walkTasks([...(t.block ?? []), ...(t.rescue ?? []), ...(t.always ?? [])], fn, inner, t.role ? t.role.dirs : roleDirs);
  }
}

/** A file a task renders: in its roles' templates/ first (as the template module looks), then the play's folder. */
function renderedFile(file: string, playDir: string, roleDirs: string[]): string | undefined {
  for (const dir of [...roleDirs.flatMap((d) => [path.join(d, 'templates'), d]), playDir]) {
    const text = readTemplateFile(path.resolve(dir, file));
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Throws a ValidationError listing every undefined variable with its task and location. */
export function preflightVariables(pb: Playbook, inv: Inventory, extraVars: Record<string, unknown>, registry?: ModuleRegistry): void {
  const known = new Set<string>([...BUILTINS, ...Object.keys(extraVars)]);
  // Ansible's connection names (ansible_host) also define runbook's (address).
  for (const vars of Object.values(inv.hosts)) Object.keys(withRunbookNames(vars) ?? vars).forEach((k) => known.add(k));
  for (const g of Object.values(inv.groups)) Object.keys(withRunbookNames(g.vars) ?? g.vars).forEach((k) => known.add(k));
  const allTasks = (p: Playbook['plays'][number]) => [...p.pre_tasks, ...p.tasks, ...p.post_tasks, ...p.handlers, ...p.batch_check];
  for (const play of pb.plays) {
    Object.keys(play.vars).forEach((k) => known.add(k));
    Object.keys(play.varsFromFiles).forEach((k) => known.add(k));
    [play.roleDefaults, play.roleVars].forEach((vars) => Object.keys(vars ?? {}).forEach((k) => known.add(k)));
    walkTasks(allTasks(play), (t) => {
      if (t.register) known.add(t.register);
      // set_fact, include_vars: the names a module says it will set.
      if (t.module) registry?.resolve(t.module)?.declaredVariables?.(t.args, play.dir).forEach((name) => known.add(name));
    });
  }
  const definitions = variableDefinitions(pb, inv, extraVars);
  const reported = new Set<string>();
  const problems: RunbookError[] = [];
  for (const play of pb.plays) {
    walkTasks(allTasks(play), (t, scope, roleDirs) => {
      const local = new Set([...scope, t.loop_var, ...(t.index_var ? [t.index_var] : [])]);
      /** Every template in value (or in the rendered file `file`) must use known variables, facts and helpers. */
      const check = (value: unknown, isCondition: boolean, file?: string) => {
        const where = file ? `in ${file}, rendered by task '${t.name}'` : `in task '${t.name}'`;
        const fail = (message: string) => problems.push(new TemplateError(message, { location: t.location, task: t.name }));
        for (const text of strings(value)) {
          for (const { root, path: varPath, unknownHelper } of templateRoots(text, isCondition)) {
            const fact = root === 'facts' ? varPath.split('.')[1] : undefined;
            if (unknownHelper) fail(`unknown helper '${root}' ${where} (helpers: ${[...helperNames()].sort().join(', ')})`);
            else if (fact && !FACT_KEYS.has(fact)) fail(`unknown fact '${varPath}' ${where} (facts: ${[...FACT_KEYS].join(', ')})`);
            else if (!known.has(root) && !local.has(root)) {
              fail(`undefined variable '${root}' ${where}: not defined in the inventory, play vars, vars_files, extra vars (-e), a task's vars, registered by any task, or set by set_fact/include_vars`);
            } else {
              for (const { missing, chain } of undefinedInDerived(root, definitions, (name) => known.has(name) || local.has(name))) {
                if (reported.has(`${chain[chain.length - 1]}:${missing}`)) continue;
                reported.add(`${chain[chain.length - 1]}:${missing}`);
                fail(`undefined variable '${missing}' in the value of variable ${chain.map((c) => `'${c}'`).join(' ← ')}, used ${where}`);
              }
            }
          }
        }
      };
      check(t.args, false);
      // A file the module renders (its `renders`: template's src, a kubectl *.hbs) uses variables too: check it now.
      for (const file of t.renders ?? []) {
        if (file.includes('{{')) continue; // known only once rendered
        const text = renderedFile(file, play.dir, roleDirs);
        if (text !== undefined) check(text, false, file);
      }
      check(t.loop, false);
      check(t.loop_label, false);
      check(t.delegate_to, false);
      for (const cond of [t.when, t.changed_when, t.failed_when, t.until]) {
        for (const c of Array.isArray(cond) ? cond : [cond]) if (typeof c === 'string') check(c, true);
      }
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/** Every template a variable is defined with, at any level (inventory, play vars, vars_files, block/task vars, -e). */
function variableDefinitions(pb: Playbook, inv: Inventory, extraVars: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (vars: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(vars ?? {})) {
      const templates = strings(value).filter((text) => text.includes('{{'));
      if (templates.length > 0) out.set(name, [...(out.get(name) ?? []), ...templates]);
    }
  };
  [...Object.values(inv.hosts), ...Object.values(inv.groups).map((g) => g.vars), extraVars].forEach(add);
  for (const play of pb.plays) {
    add(play.vars);
    add(play.varsFromFiles);
    add(play.roleDefaults);
    add(play.roleVars);
    walkTasks([...play.pre_tasks, ...play.tasks, ...play.post_tasks, ...play.handlers, ...play.batch_check], (t) => [t.vars, t.role?.defaults, t.role?.vars, t.role?.params].forEach(add));
  }
  return out;
}

/** Names used (transitively) by the templates that define `name` and defined nowhere, with the chain that leads there. */
function undefinedInDerived(name: string, definitions: Map<string, string[]>, isKnown: (name: string) => boolean): Array<{ missing: string; chain: string[] }> {
  const found: Array<{ missing: string; chain: string[] }> = [];
  const visit = (current: string, chain: string[]) => {
    for (const text of definitions.get(current) ?? []) {
      for (const { root, unknownHelper } of templateRoots(text, false)) {
        if (unknownHelper || chain.includes(root)) continue; // a cycle is reported at run time with its chain
        if (!isKnown(root)) found.push({ missing: root, chain: [...chain].reverse() });
        else visit(root, [...chain, root]);
      }
    }
  };
  visit(name, [name]);
  return found;
}
