// `runbook validate`: parse, schema, template syntax and (with -i) the variable pre-flight. Runs no task.

import path from 'node:path';
import { loadPlaybookWithPacks } from '../load/load-with-packs.js';
import { preflightVariables } from '../load/preflight.js';
import type { Task } from '../load/playbook-types.js';
import { checkTemplates } from '../template/render.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { parseExtraVars } from './options.js';
import { inventorySources } from '../inventory/host-list.js';

/** Load already checked every module task's templates; blocks' own keywords are checked here. */
function templateProblems(task: Task): ReturnType<typeof checkTemplates> {
  if (task.module) return [];
  return [
    ...checkTemplates({ when: task.when, loop: task.loop }, { task: task.name, location: task.location }),
    ...[...(task.block ?? []), ...(task.rescue ?? []), ...(task.always ?? [])].flatMap(templateProblems),
  ];
}

/** roles_path as `play` gets it: RUNBOOK_ROLES_PATH, else runbook.yml found from the playbook's folder. */
async function configuredRolesPath(startDir: string, io: CliIO): Promise<string[]> {
  if (io.env.RUNBOOK_ROLES_PATH) return io.env.RUNBOOK_ROLES_PATH.split(':').filter(Boolean).map((p) => path.resolve(io.cwd, p));
  const { loadProjectConfig } = await import('./project-config.js');
  return ((await loadProjectConfig(startDir, io.env)).values.roles_path as string[] | undefined) ?? [];
}

export async function validateCommand(playbook: string, o: { inventory: string[]; extraVars: string[] }, io: CliIO): Promise<number> {
  const file = path.resolve(io.cwd, playbook);
  const { playbook: pb, registry } = await loadPlaybookWithPacks(file, io.cwd, undefined, [], await configuredRolesPath(path.dirname(file), io));
  const problems = pb.plays.flatMap((play) => [
    ...checkTemplates(play.vars, { location: play.location }),
    ...[...play.pre_tasks, ...play.tasks, ...play.post_tasks, ...play.handlers, ...play.batch_check].flatMap(templateProblems),
  ]);
  if (problems.length === 0 && o.inventory.length > 0) {
    const { loadInventory } = await import('../inventory/load-inventory.js');
    const inv = await loadInventory(inventorySources(io.cwd, o.inventory));
    // The same pre-flight as `play`: an undefined variable is found here, with its task and host, not mid-run.
    preflightVariables(pb, inv, await parseExtraVars(o.extraVars, io.cwd), registry);
  }
  if (problems.length > 0) {
    for (const p of problems) io.err(`${p.describe()}\n`);
    return EXIT.input;
  }
  const tasks = pb.plays.reduce((n, p) => n + p.tasks.length + p.pre_tasks.length + p.post_tasks.length + p.handlers.length + p.batch_check.length, 0);
  io.out(`${pb.file}: valid (${pb.plays.length} play(s), ${tasks} task(s))\n`);
  return EXIT.ok;
}
