// The CLI's table of contents: every command with its flags; each action imports its implementation only when that
// command runs, so `runbook --version` loads neither ssh2, ajv nor handlebars. The only place that picks an exit code.

import { Command, Option } from 'commander';
import path from 'node:path';
import { isInputError, LockError, RunbookError } from '../errors.js';
import { describeFailure } from '../report/describe.js';
import { registerAuditCommand } from '../audit/register-audit.js';
import { registerLabCommand } from '../lab/cli-lab.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';
import type { CliIO, Format } from './io.js';
import { addPlayOptions, addVaultOptions, collect, connectionSettings, positiveOption, type PlayCliOptions } from './options.js';
import { registerVaultCommand } from './register-vault.js';
import type { VaultOptions } from '../vault/keyring.js';
import type { ExecOptions } from './exec-command.js';
import type { ListOptions } from './list-playbook.js';

export { EXIT } from './exit-codes.js';
export type { CliIO, Format, Reporter } from './io.js';


export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('runbook')
    .description('Declarative, idempotent, journaled configuration of Linux fleets over SSH.')
    .version(VERSION)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();

  registerRunCommands(program, io, setExit);
  registerPlanCommands(program, io, setExit);
  registerFleetCommands(program, io, setExit);
  program.command('config [playbook]')
    .description('the effective settings (runbook.yml, RUNBOOK_* variables, defaults) and where each came from')
    .action(async (playbook: string | undefined) => {
      const { configCommand } = await import('./config-command.js');
      await configCommand(playbook, io);
    });
  program.command('convert').description('turn other tools\' content into a runbook project')
    .command('ansible <src> <dest>')
    .description('convert an Ansible playbook, role or project into DEST (exit 0 all converted, 3 TODOs left, 2 bad input)')
    .option('--force', 'write into a DEST that is not empty')
    .action(async (src: string, dest: string, o: { force?: boolean }) => {
      const { convertCommand } = await import('./convert-command.js');
      setExit(await convertCommand(src, dest, { force: o.force === true }, io));
    });
  registerVaultCommand(program, io, setExit);
  registerAuditCommand(program, io, setExit);
  program.command('completion <shell>')
    .description('print shell completion for bash, zsh or fish (eval "$(runbook completion bash)")')
    .action(async (shell: string) => (await import('./completion-command.js')).completionCommand(program, shell, io));
  registerLabCommand(program, setExit);
  return program;
}

/** play, exec, ping, validate: the commands that run (or check) a playbook or a task. */
function registerRunCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addPlayOptions(program.command('play <playbook>').description('run a playbook (exit 0 ok, 1 failed/unreachable, 2 invalid input, 4 drift with --check --detect-drift)'))
    .option('-C, --check', 'report what would change; change nothing')
    .option('-D, --diff', 'show diffs of changed files')
    .option('--detect-drift', 'with --check: exit 4 when something would change')
    .option('--no-rollback', 'leave a failed host as it is (the journal still allows `runbook rollback` later)')
    .option('--list-hosts', 'print the hosts each play would run on; run nothing')
    .option('--list-tasks', 'print the tasks each play would run (after --tags/--skip-tags); run nothing')
    .option('--list-tags', 'print the tags of the tasks each play would run; run nothing')
    .option('--start-at-task <name>', 'start at the first task with this name (or shell pattern); earlier plays and tasks do not run')
    .option('--step', 'ask before each task: (N)o/(y)es/(c)ontinue (needs a terminal)')
    .option('--slice <I/N>', 'run only the I-th of N deterministic slices of the hosts (one of N controllers; `runbook merge` joins them)')
    .action(async (playbook: string, o: PlayCliOptions & ListOptions, cmd: Command) => {
      await configure(cmd, o, path.dirname(path.resolve(io.cwd, playbook)), io);
      if (o.listHosts || o.listTasks || o.listTags) {
        const { listPlaybook } = await import('./list-playbook.js');
        setExit(await withVault(o, io, () => listPlaybook(playbook, o, io)));
        return;
      }
      const { executePlay } = await import('./play-command.js');
      setExit(await withVault(o, io, () => executePlay(playbook, o, io)));
    });

  addPlayOptions(program.command('exec <pattern>').description('run one module on the matching hosts (ad hoc): `runbook exec web -a "uname -r"`; changes are journaled like a play\'s'))
    .option('-m, --module <name>', 'the module to run', 'command')
    .option('-a, --args <args>', 'its arguments: key=value words, a {JSON mapping}, or the command line for command/shell')
    .option('-C, --check', 'report what would change; change nothing')
    .option('-D, --diff', 'show diffs of changed files')
    .option('--no-rollback', 'leave a failed host as it is')
    .action(async (pattern: string, o: ExecOptions, cmd: Command) => {
      await configure(cmd, o, io.cwd, io);
      const { execCommand } = await import('./exec-command.js');
      setExit(await withVault(o, io, () => execCommand(pattern, o, io)));
    });

  addPlayOptions(program.command('ping <pattern>').description('check the matching hosts can be reached and run a command'))
    .action(async (pattern: string, o: ExecOptions, cmd: Command) => {
      await configure(cmd, o, io.cwd, io);
      const { execCommand } = await import('./exec-command.js');
      setExit(await withVault(o, io, () => execCommand(pattern, { ...o, module: 'ping', rollback: true }, io)));
    });

  addVaultOptions(program.command('validate <playbook>'))
    .description('parse, check the schema and template syntax; runs nothing on any host (module packs are loaded: their code runs here)')
    .option('-i, --inventory <path>', 'also load this inventory and check that every variable the tasks use is defined for each host', collect, [])
    .option('-e, --extra-vars <vars>', 'k=v, JSON, or @vars.yml (repeatable), as for play', collect, [])
    .action(async (playbook: string, o: { inventory: string[]; extraVars: string[] } & VaultOptions) => {
      const { validateCommand } = await import('./validate-command.js');
      setExit(await withVault(o, io, () => validateCommand(playbook, o, io)));
    });
}

/** plan, show, apply: a check run saved for review, then applied exactly (docs/rollouts.md); merge: slices joined. */
function registerPlanCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addPlayOptions(program.command('plan <playbook>').description('save what a run would change (check mode, with diffs) for review and `runbook apply`'))
    .option('-o, --output <file>', 'where to save the plan (written 0600; holds no secret in clear)')
    .action(async (playbook: string, o: PlayCliOptions & { output?: string }, cmd: Command) => {
      await configure(cmd, o, path.dirname(path.resolve(io.cwd, playbook)), io);
      const { planCommand } = await import('./plan-command.js');
      setExit(await withVault(o, io, () => planCommand(playbook, o, io)));
    });
  program.command('show <plan>')
    .description('print a saved plan as `play --check --diff` would')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (plan: string, o: { format: Format }) => setExit(await (await import('./plan-command.js')).showCommand(plan, o, io)));
  program.command('merge <runDirs...>')
    .description('join the run folders of `play --slice I/N` runs into one run: one recap, JUnit, audit page; `runbook rollback` of it undoes every slice')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--junit <file>', 'write the merged run as JUnit XML')
    .option('--audit <file>', 'write the merged run as an audit page (HTML)')
    .option('-i, --inventory <path>', 'the inventory rollback of the merged run reaches hosts by (default: the slices\' own)', collect, [])
    .action(async (runDirs: string[], o: import('./merge-command.js').MergeOptions) => setExit(await (await import('./merge-command.js')).mergeCommand(runDirs, o, io)));
  program.command('k8s-job <playbook>')
    .description('write a Kubernetes Indexed Job running `play --slice I/N` in N pods (project, inventory as ConfigMaps; SSH key, vault password as Secrets; results on a volume for `runbook merge`)')
    .requiredOption('--slices <n>', 'how many slices (pods)')
    .option('-i, --inventory <path>', 'inventory file or folder (repeatable)', collect, [])
    .option('--image <image>', 'the container image with runbook on its PATH', 'runbook:latest')
    .option('--name <name>', 'the Job\'s name (ConfigMaps and Secret are named after it)', 'runbook')
    .option('--namespace <namespace>', 'the namespace of every object')
    .option('--ssh-key <file>', 'the SSH private key the pods log in with (a Secret)')
    .option('--known-hosts <file>', 'the known_hosts the pods verify host keys against (in the same Secret)')
    .option('--vault-password-file <file>', 'the vault password (a Secret)')
    .option('--results-claim <claim>', 'the PersistentVolumeClaim the slices write their runs to (default NAME-results)')
    .option('--play-arg <arg>', 'a further flag for `runbook play` (repeatable): --play-arg=-e --play-arg=x=1', collect, [])
    .option('-o, --output <file>', 'write the YAML here instead of stdout')
    .option('--run-locally <dir>', 'run the N pods here as processes, exactly as the Job would, under DIR')
    .action(async (playbook: string, o: import('./k8s-job-command.js').K8sJobOptions) => setExit(await (await import('./k8s-job-command.js')).k8sJobCommand(playbook, o, io)));
  addPlayOptions(program.command('apply <plan>').description('apply exactly a saved plan: refused if the playbook, inventory or -e changed since; a host that drifted since the plan stops and is rolled back'))
    .option('-D, --diff', 'show diffs of changed files')
    .option('--no-rollback', 'leave a failed or drifted host as it is')
    .action(async (plan: string, o: PlayCliOptions) => {
      const { applyCommand } = await import('./plan-command.js');
      setExit(await withVault(o, io, () => applyCommand(plan, o, io)));
    });
}

/** inventory, facts, rollback, runs, modules, schema: looking at the fleet, past runs and the modules. */
function registerFleetCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addVaultOptions(program.command('inventory'))
    .description('show an inventory: groups and merged host vars')
    .option('-i, --inventory <path>', 'inventory file, folder, script or host list a,b, (repeatable)', collect, [])
    .option('--list', 'print the JSON ansible-inventory --list prints (groups, _meta.hostvars)')
    .option('--graph', 'show the group tree')
    .option('--host <name>', 'show one host\'s merged vars')
    .action(async (o: { inventory: string[]; graph?: boolean; host?: string; list?: boolean } & VaultOptions) => {
      const { inventoryCommand } = await import('./inventory-command.js');
      await withVault(o, io, () => inventoryCommand(o, io));
    });

  program.command('facts [pattern]')
    .description('gather and print facts of the matching hosts (default: all)')
    .option('-i, --inventory <path>', 'inventory file or folder (repeatable)', collect, [])
    .option('--accept-new-host-keys', 'trust and record SSH host keys seen for the first time')
    .option('--timeout <seconds>', 'SSH connect timeout', '10')
    .action(async (pattern: string | undefined, o: { inventory: string[]; acceptNewHostKeys?: boolean; timeout?: string }) => {
      const { factsCommand } = await import('./inventory-command.js');
      setExit(await factsCommand(pattern ?? 'all', o.inventory, connectionSettings(o), io));
    });

  program.command('rollback <run>')
    .description('undo the changes a run made (newest first); idempotent')
    .option('-l, --limit <pattern>', 'only hosts matching this pattern')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--accept-new-host-keys', 'trust and record SSH host keys seen for the first time')
    .option('--force', 'revert even targets changed since the run (a conflict otherwise: reported, skipped, exit 1)')
    .action(async (run: string, o: { limit?: string; format: Format; acceptNewHostKeys?: boolean; force?: boolean }) => {
      const { rollbackCommand } = await import('./runs-command.js');
      setExit(await rollbackCommand(run, o, connectionSettings(o), io));
    });

  program.command('runs')
    .description('recent runs and their status')
    .option('-n, --last <n>', 'how many', '20')
    .action(async (o: { last: string }) => {
      const { runsCommand } = await import('./runs-command.js');
      await runsCommand(positiveOption('--last', o.last, true), io);
    });

  program.command('modules [name]')
    .description('every module with its arguments (from its schema), or one in detail')
    .action(async (name: string | undefined) => (await import('./modules-command.js')).modulesCommand(name, io));

  program.command('schema')
    .description('print the JSON Schema of the playbook DSL (for editors / yaml-language-server)')
    .action(async () => (await import('./modules-command.js')).schemaCommand(io));
}

/** with-vault.ts, imported only by the commands that read vars (so --version loads no crypto). */
async function withVault<T>(o: VaultOptions, io: CliIO, fn: () => Promise<T>): Promise<T> {
  return (await import('./with-vault.js')).withVault(o, io, fn);
}

/** Settings a command was not given on its command line, from RUNBOOK_* variables or runbook.yml. */
async function configure(cmd: Command, o: object, startDir: string, io: CliIO): Promise<void> {
  const { applyProjectConfig, loadProjectConfig } = await import('./project-config.js');
  applyProjectConfig(cmd, o as Record<string, unknown>, await loadProjectConfig(startDir, io.env), io.env, io.cwd);
}

/** Run the CLI; returns the exit code. Every error ends here and is printed once, with its location. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
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
    if (e instanceof Error && io.env.RUNBOOK_DEBUG) io.err(`${e.stack}\n`);
    if (e instanceof LockError || e instanceof RunbookError) return EXIT.failed;
    return EXIT.failed;
  }
}
