// The command line: parses arguments, wires reporters, maps outcomes to exit codes. The only place that prints
// or exits (through main.ts).

import { mergedMap, plainMap } from '../plain-map.js';
import { Command, Option } from 'commander';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { defaultConnectionSettings, type ConnectionSettings } from '../connection/index.js';
import { isInputError, LockError, RunbookError, UsageError } from '../errors.js';
import { describeFailure } from '../report/describe.js';
import type { EventSink, RunEvent } from '../report/events.js';
import { loadVarsFile } from '../load/load-playbook.js';
import { humanReporter } from '../report/human.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import { loadPlaybookWithPacks, runPlaybook } from '../run/run-playbook.js';
import type { RunSettings } from '../run/run-state.js';
import { preflightVariables } from '../load/preflight.js';
import { loadRegistry } from '../load/packs.js';
import { playbookSchema } from '../load/playbook-schema.js';
import { checkTemplates } from '../template/render.js';
import { inventoryCommand, factsCommand } from './inventory-command.js';
import { rollbackCommand, runsCommand } from './runs-command.js';

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, failed: 1, input: 2, drift: 4, interrupted: 130 } as const;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT. */
  abort: AbortSignal;
}

export type Format = 'human' | 'json' | 'junit';

export interface Reporter { onEvent: (ev: RunEvent) => void; finish: () => void }

export function makeReporter(format: Format, io: CliIO, opts: { driftIsFailure: boolean; verbose?: boolean }): Reporter {
  if (format === 'json') return jsonReporter(io.out);
  if (format === 'junit') return junitReporter(io.out, { driftIsFailure: opts.driftIsFailure });
  const color = io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
  return humanReporter(io.out, { color, progress: io.isTTY, verbose: opts.verbose ?? false });
}

const collect = (v: string, prev: string[]) => [...prev, v];
const splitList = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** -e k=v, -e '{"json": 1}', -e @vars.yml — later ones win. */
export async function parseExtraVars(specs: string[], cwd: string): Promise<Record<string, unknown>> {
  // No prototype: `-e __proto__=x` is a variable like any other.
  let vars = plainMap<unknown>();
  for (const spec of specs) {
    if (spec.startsWith('@')) vars = mergedMap(vars, await loadVarsFile(path.resolve(cwd, spec.slice(1))));
    else if (spec.trim().startsWith('{')) {
      try {
        vars = mergedMap(vars, JSON.parse(spec));
      } catch (e) {
        throw new UsageError(`-e ${spec}: invalid JSON (${(e as Error).message})`);
      }
    } else {
      for (const pair of spec.split(/\s+(?=[A-Za-z_][\w]*=)/)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`-e ${spec}: expected key=value, @file or JSON`);
        vars[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  }
  return vars;
}

/** A CLI number that must be a positive decimal (seconds) or, with `integer`, a positive whole number. */
export function positiveOption(name: string, value: string, integer = false): number {
  const n = Number(value);
  const ok = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value.trim()) && Number.isFinite(n) && n > 0;
  if (!ok) throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number of seconds'}, got '${value}'`);
  return n;
}

function connectionSettings(o: { acceptNewHostKeys?: boolean; timeout?: string; commandTimeout?: string }): ConnectionSettings {
  return {
    acceptNewHostKeys: Boolean(o.acceptNewHostKeys),
    connectTimeoutMs: o.timeout !== undefined ? positiveOption('--timeout', o.timeout) * 1000 : defaultConnectionSettings.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeout !== undefined ? positiveOption('--command-timeout', o.commandTimeout) * 1000 : defaultConnectionSettings.commandTimeoutMs,
  };
}

export interface PlayCliOptions {
  inventory: string[]; limit?: string; tags: string[]; skipTags: string[]; extraVars: string[];
  check?: boolean; diff?: boolean; forks: string; format: Format; rollback: boolean; detectDrift?: boolean;
  acceptNewHostKeys?: boolean; timeout?: string; commandTimeout?: string; verbose?: boolean;
}

/** Run a playbook with the given options and reporter; returns the exit code. Shared by play and audit. */
export async function executePlay(playbook: string, o: PlayCliOptions, io: CliIO, extraSinks: EventSink[] = []): Promise<number> {
  const forks = positiveOption('--forks', o.forks, true);
  const settings: RunSettings = {
    inventoryPaths: o.inventory.map((p) => path.resolve(io.cwd, p)),
    limit: o.limit,
    tags: o.tags,
    skipTags: o.skipTags,
    extraVars: await parseExtraVars(o.extraVars, io.cwd),
    check: Boolean(o.check),
    diff: Boolean(o.diff),
    forks,
    rollback: o.rollback,
    connection: connectionSettings(o),
    projectDir: io.cwd,
  };
  const reporter = makeReporter(o.format, io, { driftIsFailure: Boolean(o.detectDrift), verbose: o.verbose });
  const result = await runPlaybook(path.resolve(io.cwd, playbook), settings, (ev) => {
    reporter.onEvent(ev);
    for (const s of extraSinks) s(ev);
  }, io.abort);
  reporter.finish();
  if (result.status === 'interrupted') return EXIT.interrupted;
  if (result.status === 'failed') return EXIT.failed;
  if (settings.check && o.detectDrift && result.changed) return EXIT.drift;
  return EXIT.ok;
}

export function addPlayOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <path>', 'inventory file or folder (repeatable); default: localhost', collect, [])
    .option('-l, --limit <pattern>', 'only hosts matching this pattern')
    .option('-t, --tags <tags>', 'only tasks with these tags (comma list, repeatable)', splitList, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', splitList, [])
    .option('-e, --extra-vars <vars>', 'k=v, JSON, or @vars.yml (repeatable; highest precedence)', collect, [])
    .option('-f, --forks <n>', 'hosts worked on at once', '50')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'junit']).default('human'))
    .option('--accept-new-host-keys', 'trust and record SSH host keys seen for the first time')
    .option('--timeout <seconds>', 'SSH connect timeout', '10')
    .option('--command-timeout <seconds>', 'timeout of each remote command', '600')
    .option('-v, --verbose', 'show messages of ok tasks too');
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('runbook')
    .description('Declarative, idempotent, journaled configuration of Linux fleets over SSH.')
    .version('0.1.0')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();

  addPlayOptions(program.command('play <playbook>').description('run a playbook (exit 0 ok, 1 failed/unreachable, 2 invalid input, 4 drift with --check --detect-drift)'))
    .option('-C, --check', 'report what would change; change nothing')
    .option('-D, --diff', 'show diffs of changed files')
    .option('--detect-drift', 'with --check: exit 4 when something would change')
    .option('--no-rollback', 'leave a failed host as it is (the journal still allows `runbook rollback` later)')
    .action(async (playbook: string, o: PlayCliOptions) => setExit(await executePlay(playbook, o, io)));

  program.command('validate <playbook>')
    .description('parse, check the schema and template syntax; runs nothing on any host (module packs are loaded: their code runs here)')
    .option('-i, --inventory <path>', 'also load this inventory and check that every variable the tasks use is defined for each host', collect, [])
    .option('-e, --extra-vars <vars>', 'k=v, JSON, or @vars.yml (repeatable), as for play', collect, [])
    .action(async (playbook: string, o: { inventory: string[]; extraVars: string[] }) => {
      const { playbook: pb } = await loadPlaybookWithPacks(path.resolve(io.cwd, playbook), io.cwd);
      const problems = pb.plays.flatMap((play) => [
        ...checkTemplates(play.vars, { location: play.location }),
        ...[...play.pre_tasks, ...play.tasks, ...play.post_tasks, ...play.handlers].flatMap(function walk(t): ReturnType<typeof checkTemplates> {
          return [
            ...checkTemplates({ args: t.args, when: t.when, loop: t.loop, changed_when: t.changed_when, failed_when: t.failed_when }, { task: t.name, location: t.location }),
            ...[...(t.block ?? []), ...(t.rescue ?? []), ...(t.always ?? [])].flatMap(walk),
          ];
        }),
      ]);
      if (o.inventory.length > 0) {
        const { loadInventory } = await import('../inventory/load-inventory.js');
        const inv = await loadInventory(o.inventory.map((p) => path.resolve(io.cwd, p)));
        // The same pre-flight as `play`: an undefined variable is found here, with its task and host, not mid-run.
        if (problems.length === 0) preflightVariables(pb, inv, await parseExtraVars(o.extraVars, io.cwd));
      }
      if (problems.length > 0) {
        for (const p of problems) io.err(`${p.describe()}\n`);
        setExit(EXIT.input);
        return;
      }
      const tasks = pb.plays.reduce((n, p) => n + p.tasks.length + p.pre_tasks.length + p.post_tasks.length + p.handlers.length, 0);
      io.out(`${pb.file}: valid (${pb.plays.length} play(s), ${tasks} task(s))\n`);
    });

  program.command('inventory')
    .description('show an inventory: groups and merged host vars')
    .option('-i, --inventory <path>', 'inventory file or folder (repeatable)', collect, [])
    .option('--graph', 'show the group tree')
    .option('--host <name>', 'show one host\'s merged vars')
    .action(async (o: { inventory: string[]; graph?: boolean; host?: string }) => inventoryCommand(o, io));

  program.command('facts [pattern]')
    .description('gather and print facts of the matching hosts (default: all)')
    .option('-i, --inventory <path>', 'inventory file or folder (repeatable)', collect, [])
    .option('--accept-new-host-keys', 'trust and record SSH host keys seen for the first time')
    .option('--timeout <seconds>', 'SSH connect timeout', '10')
    .action(async (pattern: string | undefined, o: { inventory: string[]; acceptNewHostKeys?: boolean; timeout?: string }) =>
      setExit(await factsCommand(pattern ?? 'all', o.inventory, connectionSettings(o), io)));

  program.command('rollback <run>')
    .description('undo the changes a run made (newest first); idempotent')
    .option('-l, --limit <pattern>', 'only hosts matching this pattern')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--accept-new-host-keys', 'trust and record SSH host keys seen for the first time')
    .action(async (run: string, o: { limit?: string; format: Format; acceptNewHostKeys?: boolean }) =>
      setExit(await rollbackCommand(run, o, connectionSettings(o), io)));

  program.command('runs')
    .description('recent runs and their status')
    .option('-n, --last <n>', 'how many', '20')
    .action(async (o: { last: string }) => runsCommand(positiveOption('--last', o.last, true), io));

  program.command('modules [name]')
    .description('every module with its arguments (from its schema), or one in detail')
    .action(async (name: string | undefined) => {
      const registry = await loadRegistry(io.cwd);
      const docs = await import('./module-docs.js');
      if (!name) {
        for (const e of registry.list()) io.out(`${e.module.name.padEnd(20)} ${e.pack === 'core' ? '' : `[${e.pack}] `}${e.module.doc.split('\n')[0]}\n`);
        return;
      }
      const mod = registry.resolve(name);
      if (!mod) throw new UsageError(`unknown module '${name}' (see \`runbook modules\`)`);
      io.out(docs.describeModuleText(mod));
    });

  program.command('schema')
    .description('print the JSON Schema of the playbook DSL (for editors / yaml-language-server)')
    .action(async () => io.out(`${JSON.stringify(playbookSchema(await loadRegistry(io.cwd)), null, 2)}\n`));

  return program;
}

/** Run the CLI; returns the exit code. Every error ends here and is printed once, with its location. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  await registerOptionalCommands(program, io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) {
      return ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version' || ce.code === 'commander.help' ? EXIT.ok : EXIT.input;
    }
    io.err(`runbook: ${describeFailure(e)}\n`);
    if (isInputError(e)) return EXIT.input;
    if (e instanceof LockError || e instanceof RunbookError) return EXIT.failed;
    if (e instanceof Error && io.env.RUNBOOK_DEBUG) io.err(`${e.stack}\n`);
    return EXIT.failed;
  }
}

/** Commands that live in their own folders (lab, audit) register themselves when present. */
async function registerOptionalCommands(program: Command, io: CliIO, setExit: (code: number) => void): Promise<void> {
  for (const spec of ['../lab/cli-lab.js', '../audit/cli-audit.js']) {
    const here = path.dirname(new URL(import.meta.url).pathname);
    if (!(await fs.stat(path.join(here, spec)).catch(() => null))) continue;
    const mod = await import(spec);
    if (typeof mod.registerLabCommand === 'function') mod.registerLabCommand(program);
    if (typeof mod.registerAuditCommand === 'function') mod.registerAuditCommand(program, io, setExit);
  }
}
