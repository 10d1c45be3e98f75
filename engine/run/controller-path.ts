// Controller-side paths a module reads (copy/template `src`): resolved from the playbook's folder; a path built from
// a template (which may hold a target's facts or output) must stay inside the project, symlinks followed.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModuleError } from '../errors.js';

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
export function controllerPathResolver(projectDir: string, rawArgs: Record<string, unknown> | undefined) {
  return async (arg: string, value: string): Promise<string> => {
    const resolved = path.resolve(projectDir, value);
    const written = rawArgs?.[arg];
    if (typeof written === 'string' && !written.includes('{{')) return resolved; // literal: the operator's choice
    const [real, project] = await Promise.all([realPath(resolved), realPath(projectDir)]);
    if (isInside(project, real)) return resolved;
    throw new ModuleError(`${arg} '${value}' is built from a template and resolves to ${real}, outside the project ${project}: a controller path from variables (which may hold a target's facts) must stay inside the playbook's folder; to use a file elsewhere, write the path literally in the playbook`);
  };
}
