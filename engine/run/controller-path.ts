// Controller-side paths a module reads (copy/template `src`): resolved from the playbook's folder; a path built from
// a template (which may hold a target's facts or output) must stay inside the project, symlinks followed.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModuleError } from '../errors.js';
import type { Play } from '../load/playbook-types.js';
import type { Inherited } from './inheritance.js';

/** True when `inner` is `outer` or below it. */
function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel));
}

/** The real path of p, or of its nearest existing parent joined with the rest (a file that does not exist yet). */
async function realPath(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(await realPath(parent), path.basename(p));
  }
}

/**
 * The resolver behind ModuleContext.controllerPath. `rawArgs` are the task's args as written (before rendering);
 * undefined (rollback, where they are not at hand) treats every path as templated.
 */
export function controllerPathResolver(projectDir: string, rawArgs: Record<string, unknown> | undefined, roleDirs: string[] = []) {
  return async (arg: string, value: string, searchDirs: string[] = []): Promise<string> => {
    const found = path.isAbsolute(value) ? undefined : await firstExisting(searchDirs.map((d) => path.resolve(d, value)));
    const resolved = found ?? path.resolve(projectDir, value);
    const written = rawArgs?.[arg];
    if (typeof written === 'string' && !written.includes('{{')) return resolved; // literal: the operator's choice
    const [real, ...roots] = await Promise.all([realPath(resolved), realPath(projectDir), ...roleDirs.map(realPath)]);
    if (roots.some((root) => isInside(root, real))) return resolved;
    throw new ModuleError(`${arg} '${value}' is built from a template and resolves to ${real}, outside the project ${roots[0]}${roots.length > 1 ? ' and its roles' : ''}: a controller path from variables (which may hold a target's facts) must stay inside the playbook's folder; to use a file elsewhere, write the path literally in the playbook`);
  };
}

async function firstExisting(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await fs.stat(candidate).then(() => true, () => false)) return candidate;
  return undefined;
}

/**
 * Folders a relative controller path is looked up in, first found wins: the enclosing roles' `sub` folder
 * (templates/ for template, files/ otherwise) and the role folder itself, then the play's `sub` folder and the play's.
 */
export function controllerSearchDirs(play: Pick<Play, 'dir'>, inherited: Pick<Inherited, 'role'>, sub: string): string[] {
  const roleDirs = inherited.role?.dirs ?? [];
  return [...roleDirs.flatMap((d) => [path.join(d, sub), d]), path.join(play.dir, sub), play.dir];
}

/** ModuleContext.controllerPath for a task: inside a role, its templates/ or files/ (`sub`) first, then the play's folder. */
export function roleControllerPath(playDir: string, rawArgs: Record<string, unknown>, inherited: Pick<Inherited, 'role'>, sub: string) {
  const roleDirs = inherited.role?.dirs ?? [];
  const resolve = controllerPathResolver(playDir, rawArgs, roleDirs);
  const searchDirs = roleDirs.flatMap((d) => [path.join(d, sub), d]);
  return (arg: string, value: string): Promise<string> => resolve(arg, value, searchDirs);
}
