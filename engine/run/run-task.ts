// Runs one task on one host: tags → when → loop → render → inspect → plan → (check: report | journal + apply)
// → changed_when/failed_when/until → register → notify. Failures come back as outcomes, never as exceptions.

import { ConnectionError, ModuleError, formatLocation } from '../errors.js';
import { describeFailure } from '../report/describe.js';
import type { RunEvent } from '../report/events.js';
import { createHost } from './host.js';
import { loginUserOf } from '../connection/index.js';
import { ensureConnected, ensureFacts } from './connect.js';
import type { HostState, RunContext } from './run-state.js';
import type { Play, Task } from '../load/playbook-types.js';
import { evaluateCondition, renderShellString, renderString, renderValue, type TemplateWhere } from '../template/render.js';
import { validateModuleArgs } from '../load/validate-args.js';
import type { Change, Diff, ModuleContext, ModuleDefinition, TaskStatus } from '../types.js';
import { REDACTED } from '../report/redact.js';
import { sealIfSensitive } from '../journal/seal.js';

export type TaskOutcome = TaskStatus;

/** What a task inherits from its play and enclosing blocks. */
export interface Inherited {
  tags: string[];
  become?: boolean;
  become_user?: string;
  when: unknown[];
  vars: Record<string, unknown>;
}

export function playInheritance(play: Play): Inherited {
  return { tags: play.tags, become: play.become, become_user: play.become_user, when: [], vars: {} };
}

/** --tags / --skip-tags selection; the `always` tag runs unless skipped explicitly, `never` only when asked. */
export function isTaskSelected(tags: string[], only: string[], skip: string[]): boolean {
  if (skip.some((t) => tags.includes(t))) return false;
  if (tags.includes('never') && !only.some((t) => tags.includes(t))) return false;
  if (only.length === 0 || only.includes('all')) return true;
  return tags.includes('always') || only.some((t) => tags.includes(t));
}

/** The template context of a task on a host; precedence lowest first, as documented in docs/dsl.md. */
export function taskContext(rc: RunContext, play: Play, hs: HostState, inh: Inherited, task?: Task): Record<string, unknown> {
  const base = {
    ...hs.vars,
    facts: hs.facts,
    hostvars: rc.hostvars,
    groups: rc.groups,
    inventory_hostname: hs.name,
    runbook_check_mode: rc.settings.check,
  };
  // Play vars and vars_files depend only on the host's vars and facts: rendered once per host and play.
  let rendered = hs.playVars?.get(play);
  if (!rendered) {
    const where: TemplateWhere = { host: hs.name, location: play.location };
    const playVars = renderValue(play.vars, base, where);
    const merged = { ...playVars, ...renderValue(play.varsFromFiles, { ...base, ...playVars }, where) };
    (hs.playVars ??= new WeakMap()).set(play, merged);
    rendered = merged;
  }
  return {
    ...base,
    ...rendered,
    ...hs.registered,
    ...inh.vars,
    ...(task?.vars ?? {}),
    ...rc.settings.extraVars,
    play_hosts: [...rc.hosts.values()].filter((h) => h.status === 'active').map((h) => h.name),
  };
}

const describeError = describeFailure;

interface ItemResult {
  status: TaskOutcome;
  msg: string;
  result: Record<string, unknown>;
  diffs: Diff[];
  changes: string[];
  irreversible: boolean;
}

/** Run a task (or a block) on a host. Emits events; returns the outcome for the scheduler. */
export async function runTaskOnHost(rc: RunContext, play: Play, hs: HostState, task: Task, inh: Inherited): Promise<TaskOutcome | 'filtered'> {
  const tags = [...new Set([...inh.tags, ...task.tags])];
  if (task.block) return runBlock(rc, play, hs, task, { ...inh, tags });
  if (!isTaskSelected(tags, rc.settings.tags, rc.settings.skipTags)) return 'filtered';
  if (rc.abort.aborted) return 'filtered';

  const started = Date.now();
  const where: TemplateWhere = { task: task.name, host: hs.name, location: task.location };
  const emit = (ev: Omit<Extract<RunEvent, { event: 'task' }>, 'event' | 'host' | 'task' | 'module' | 'duration_ms' | 'location'>) => {
    const safe = task.no_log ? { ...ev, msg: ev.status === 'failed' ? 'task failed (output hidden by no_log)' : 'output hidden by no_log', diff: undefined, item: undefined } : ev;
    rc.emit(rc.redactor.value({
      event: 'task',
      host: hs.name,
      task: task.name,
      module: task.module ?? 'block',
      duration_ms: Date.now() - started,
      location: formatLocation(task.location),
      ...safe,
    }));
  };

  if (task.run_once) {
    const key = `${formatLocation(task.location)}`;
    const first = !rc.runOnce.has(key);
    if (!first) {
      // Another host ran it: share its registered result, report nothing for this host.
      const shared = (await rc.runOnce.get(key)) as Record<string, unknown> | undefined;
      if (task.register && shared) register(rc, hs, task.register, shared);
      return 'ok';
    }
    let resolveShared!: (v: unknown) => void;
    rc.runOnce.set(key, new Promise((r) => (resolveShared = r)));
    try {
      return await runModuleTask(rc, play, hs, task, inh, where, emit, (res) => resolveShared(res));
    } finally {
      resolveShared(undefined);
    }
  }
  return runModuleTask(rc, play, hs, task, inh, where, emit);
}

async function runModuleTask(
  rc: RunContext, play: Play, hs: HostState, task: Task, inh: Inherited, where: TemplateWhere,
  emit: (ev: any) => void, share?: (result: unknown) => void,
): Promise<TaskOutcome> {
  let ctx: Record<string, unknown>;
  let items: unknown[] | undefined;
  try {
    ctx = taskContext(rc, play, hs, inh, task);
    for (const cond of inh.when) {
      if (!evaluateCondition(cond, ctx, where)) {
        emit({ status: 'skipped', msg: 'skipped: block condition is false' });
        return 'skipped';
      }
    }
    if (task.loop !== undefined) {
      const rendered = renderValue(task.loop, ctx, where);
      if (!Array.isArray(rendered)) throw new ModuleError(`loop must be a list, got ${typeof rendered}`, { location: task.location, task: task.name });
      items = rendered;
    }
  } catch (e) {
    emit({ status: 'failed', msg: describeError(e) });
    return 'failed';
  }

  const results: ItemResult[] = [];
  for (const item of items ?? [undefined]) {
    const ictx = items ? { ...ctx, [task.loop_var]: item } : ctx;
    const r = await runItem(rc, play, hs, task, inh, ictx, where);
    results.push(r);
    if (r.status === 'unreachable') break;
  }

  const statuses = results.map((r) => r.status);
  const status: TaskOutcome = statuses.includes('unreachable') ? 'unreachable'
    : statuses.includes('failed') ? 'failed'
    : statuses.includes('changed') ? 'changed'
    : statuses.length > 0 && statuses.every((s) => s === 'skipped') ? 'skipped' : 'ok';

  const registered: Record<string, unknown> = items
    ? { changed: status === 'changed', failed: status === 'failed', skipped: status === 'skipped', results: results.map((r, i) => ({ ...r.result, item: items![i] })), msg: results.map((r) => r.msg).join('; ') }
    : results[0].result;
  if (task.register) register(rc, hs, task.register, registered);
  share?.(registered);

  if (status === 'changed' && !rc.settings.check) for (const n of task.notify) hs.notified.add(n);
  if (status === 'changed' && rc.settings.check) for (const n of task.notify) hs.notified.add(n);

  const ignored = status === 'failed' && task.ignore_errors;
  emit({
    status,
    msg: (items ? results.map((r, i) => `[${JSON.stringify(items![i])}] ${r.msg}`).join('\n') : results[0].msg) + (ignored ? ' (ignored)' : ''),
    diff: rc.settings.diff ? results.flatMap((r) => r.diffs) : undefined,
    changes: results.flatMap((r) => r.changes),
    irreversible: results.some((r) => r.irreversible) || undefined,
  });
  return ignored ? 'ok' : status;
}

function register(rc: RunContext, hs: HostState, name: string, value: Record<string, unknown>): void {
  hs.registered[name] = value;
  rc.hostvars[hs.name] = { ...rc.hostvars[hs.name], [name]: value };
}

/** One module invocation (one loop item). */
async function runItem(
  rc: RunContext, play: Play, hs: HostState, task: Task, inh: Inherited, ictx: Record<string, unknown>, where: TemplateWhere,
): Promise<ItemResult> {
  const none: Omit<ItemResult, 'status' | 'msg'> = { result: {}, diffs: [], changes: [], irreversible: false };
  try {
    if (task.when !== undefined && !evaluateCondition(task.when, ictx, where)) {
      return { ...none, status: 'skipped', msg: 'skipped: condition is false', result: { changed: false, skipped: true } };
    }
    const module = rc.registry.resolve(task.module!);
    if (!module) throw new ModuleError(`unknown module '${task.module}'`, { location: task.location, task: task.name });
    const args = renderArgs(module, task.args, ictx, where);
    const problems = validateModuleArgs(module, args, where);
    if (problems.length > 0) throw problems[0];

    // delegate_to runs the module on another host's connection with this host's variables.
    const target = task.delegate_to ? delegateState(rc, renderString(task.delegate_to, ictx, where)) : hs;
    const conn = await ensureConnected(rc, target);
    const facts = await ensureFacts(rc, target, play.gather_facts);
    const become = task.become ?? inh.become ?? Boolean(ictx.become ?? false);
    const host = createHost({
      name: target.name,
      connection: conn,
      facts,
      vars: ictx,
      loginUser: loginUserOf(target.vars),
      become: {
        become,
        becomeUser: String(task.become_user ?? inh.become_user ?? ictx.become_user ?? 'root'),
        becomePassword: ictx.become_password === undefined ? undefined : String(ictx.become_password),
      },
    });
    const mctx: ModuleContext = {
      task: task.name,
      hostvars: rc.hostvars,
      groups: rc.groups,
      playbookDir: play.dir,
      vars: ictx,
      render: (text: string, file?: string) => renderString(text, ictx, { ...where, file }),
    };
    const attempts = task.until !== undefined ? Math.max(1, task.retries) : 1;
    let last: ItemResult | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      last = await invokeModule(rc, hs, target, task, module, host, args, mctx, ictx, where);
      if (task.until === undefined || last.status === 'unreachable') break;
      const uctx = { ...ictx, ...(task.register ? { [task.register]: last.result } : {}), result: last.result };
      if (evaluateCondition(task.until, uctx, where)) break;
      if (attempt === attempts) {
        last = { ...last, status: 'failed', msg: `${last.msg}; 'until' condition still false after ${attempts} attempts` };
        break;
      }
      await new Promise((r) => setTimeout(r, task.delay * 1000));
    }
    return last!;
  } catch (e) {
    if (e instanceof ConnectionError) return { ...none, status: 'unreachable', msg: e.message, result: { unreachable: true, msg: e.message } };
    const result = e instanceof ModuleError && e.result ? e.result : {};
    return { ...none, status: 'failed', msg: describeError(e), result: { ...result, failed: true, msg: describeError(e) } };
  }
}

/** Render a task's args; command-line args of the module render shell-quoted. */
function renderArgs(module: ModuleDefinition, raw: Record<string, unknown>, ctx: Record<string, unknown>, where: TemplateWhere): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = module.shellArgs?.includes(k) && typeof v === 'string' ? renderShellString(v, ctx, where) : renderValue(v, ctx, where);
  }
  return out;
}

function delegateState(rc: RunContext, name: string): HostState {
  const hs = rc.hosts.get(name);
  if (hs) return hs;
  if (!(name in rc.inventory.hosts) && name !== 'localhost') {
    throw new ModuleError(`delegate_to: host '${name}' is not in the inventory`);
  }
  const created: HostState = {
    name,
    vars: name in rc.inventory.hosts ? rc.inventory.hosts[name] : { connection: 'local' },
    registered: {},
    status: 'active',
    notified: new Set(),
    recap: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rolled_back: 0 },
    applied: [],
  };
  rc.hosts.set(name, created);
  return created;
}

async function invokeModule(
  rc: RunContext, hs: HostState, target: HostState, task: Task, module: ModuleDefinition, host: ReturnType<typeof createHost>,
  args: Record<string, unknown>, mctx: ModuleContext, ictx: Record<string, unknown>, where: TemplateWhere,
): Promise<ItemResult> {
  const current = await module.inspect(host, args, mctx);
  const changes: Change[] = module.plan(current, args, mctx);
  const base = {
    diffs: changes.flatMap((c) => (c.diff ? [c.diff] : [])),
    changes: changes.map((c) => c.msg),
    irreversible: changes.length > 0 && !module.reversible,
  };
  let status: TaskOutcome;
  let msg: string;
  let result: Record<string, unknown>;

  const runsInCheck = task.check_mode === false;
  if (changes.length === 0) {
    status = 'ok';
    msg = 'already in the desired state';
    result = { changed: false };
  } else if (rc.settings.check && !runsInCheck) {
    const uncertain = changes.every((c) => c.uncertain);
    const reportsNoChange = task.changed_when === false || task.changed_when === 'false';
    status = uncertain ? 'skipped' : reportsNoChange ? 'ok' : 'changed';
    msg = uncertain
      ? `check mode: would ${changes.map((c) => c.msg).join('; ')} (not run; set check_mode: false for read-only commands)`
      : `would ${changes.map((c) => c.msg).join('; ')}`;
    result = { changed: status === 'changed', skipped: uncertain, check_mode: true };
  } else {
    const seq = rc.journal.nextSeq();
    const entry = {
      type: 'change' as const, seq, host: target.name, task: task.name, module: task.module!, args, before: current,
      changes, reversible: module.reversible, ts: new Date().toISOString(),
    };
    await rc.journal.append(await sealIfSensitive(rc, entry, task.no_log));
    target.applied.push(seq);
    try {
      const applied = await module.apply(host, args, changes, current, mctx);
      if (applied?.secrets) rc.redactor.add(applied.secrets);
      await rc.journal.append({ type: 'applied', seq, host: target.name, undo: applied?.undo, ts: new Date().toISOString() });
      status = applied?.changed === false ? 'ok' : 'changed';
      msg = status === 'ok' ? `${changes.map((c) => c.msg).join('; ')}: nothing changed` : changes.map((c) => c.msg).join('; ');
      result = { changed: status === 'changed', ...(applied?.result ?? {}) };
    } catch (e) {
      await rc.journal.append({ type: 'apply_failed', seq, host: target.name, msg: rc.redactor.text(describeError(e)), ts: new Date().toISOString() });
      throw e;
    }
  }

  // changed_when / failed_when see the result under the register name and as `result`.
  const rctx = { ...ictx, ...(task.register ? { [task.register]: result } : {}), result };
  if (task.changed_when !== undefined && (status === 'changed' || status === 'ok') && (!rc.settings.check || runsInCheck)) {
    status = evaluateCondition(task.changed_when, rctx, where) ? 'changed' : 'ok';
    result = { ...result, changed: status === 'changed' };
  }
  if (task.failed_when !== undefined && status !== 'skipped' && (!rc.settings.check || runsInCheck)) {
    if (evaluateCondition(task.failed_when, rctx, where)) {
      status = 'failed';
      msg = `failed_when condition is true (${msg})`;
      result = { ...result, failed: true };
    }
  }
  return { ...base, status, msg, result: task.no_log ? { ...result, stdout: REDACTED, stderr: REDACTED } : result };
}

/** block / rescue / always, per host: rescue runs when the block failed; always runs regardless. */
async function runBlock(rc: RunContext, play: Play, hs: HostState, task: Task, inh: Inherited): Promise<TaskOutcome> {
  const inner: Inherited = {
    tags: inh.tags,
    become: task.become ?? inh.become,
    become_user: task.become_user ?? inh.become_user,
    when: task.when !== undefined ? [...inh.when, task.when] : inh.when,
    vars: { ...inh.vars, ...task.vars },
  };
  let outcome = await runTaskList(rc, play, hs, task.block ?? [], inner);
  if (outcome === 'failed' && task.rescue && task.rescue.length > 0) {
    outcome = await runTaskList(rc, play, hs, task.rescue, inner);
  }
  if (task.always && task.always.length > 0) {
    const always = await runTaskList(rc, play, hs, task.always, inner);
    if (always !== 'ok') outcome = always;
  }
  return outcome;
}

/** Tasks in order on one host until one fails or the host becomes unreachable. */
export async function runTaskList(rc: RunContext, play: Play, hs: HostState, tasks: Task[], inh: Inherited): Promise<TaskOutcome> {
  for (const t of tasks) {
    const out = await runTaskOnHost(rc, play, hs, t, inh);
    if (out === 'failed' || out === 'unreachable') return out;
  }
  return 'ok';
}
