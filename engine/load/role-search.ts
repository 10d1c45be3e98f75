// Where a role named in a playbook lives: roles/ beside the playbook, the playbook's folder, `roles_path` (runbook.yml),
// then an installed npm package `runbook-role-<name>` (looked up from the playbook's folder upward, as packs are).

import { promises as fs } from 'node:fs';
import path from 'node:path';

const isDir = (p: string) => fs.stat(p).then((s) => s.isDirectory(), () => false);

/** The folders a role name is looked for in, in order (for the message when it is found nowhere). */
export function roleSearchPath(playbookDir: string, rolesPath: string[]): string[] {
  return [path.join(playbookDir, 'roles'), playbookDir, ...rolesPath];
}

/** The role's folder, or undefined; `fromDir` is the folder of the file that names it (for relative paths). */
export async function findRole(name: string, fromDir: string, playbookDir: string, rolesPath: string[]): Promise<string | undefined> {
  if (name.startsWith('.') || path.isAbsolute(name)) {
    const dir = path.resolve(fromDir, name);
    return (await isDir(dir)) ? dir : undefined;
  }
  for (const base of roleSearchPath(playbookDir, rolesPath)) {
    const dir = path.join(base, name);
    if (await isDir(path.join(dir, 'tasks')) || await isDir(path.join(dir, 'meta')) || await isDir(path.join(dir, 'handlers'))) return dir;
  }
  return findRolePackage(name, playbookDir);
}

/** node_modules/runbook-role-<name> (or the package name itself, scoped ones too) from playbookDir upward. */
async function findRolePackage(name: string, playbookDir: string): Promise<string | undefined> {
  const packageNames = name.startsWith('runbook-role-') || name.includes('/runbook-role-') ? [name] : [`runbook-role-${name}`];
  for (let dir = path.resolve(playbookDir); ; dir = path.dirname(dir)) {
    for (const packageName of packageNames) {
      const candidate = path.join(dir, 'node_modules', packageName);
      if (await isDir(candidate)) return candidate;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `<dir>/<sub>/<name>` with Ansible's extensions tried (.yml, .yaml, none), or undefined. */
export async function roleFile(roleDir: string, sub: string, name: string): Promise<string | undefined> {
  for (const ext of ['.yml', '.yaml', '']) {
    const file = path.join(roleDir, sub, `${name}${ext}`);
    if (await fs.stat(file).then((s) => s.isFile(), () => false)) return file;
  }
  return undefined;
}
