// Where a role named in a playbook lives: roles/ beside the playbook, the playbook's folder, `roles_path` (runbook.yml),
// then an installed npm package `runbook-role-<name>` (looked up from the playbook's folder upward, as packs are).
// A collection's role (`ns.coll.role`) is found as Ansible installs it: ansible_collections/ns/coll/roles/role under
// the playbook's collections/ folder or a roles_path folder.

import { promises as fs } from 'node:fs';
import path from 'node:path';

const isDir = (p: string) => fs.stat(p).then((s) => s.isDirectory(), () => false);

/** `ns.coll.role`: a role of an Ansible collection. */
export const COLLECTION_ROLE = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/;

/** The folders a role name is looked for in, in order (for the message when it is found nowhere). */
export function roleSearchPath(playbookDir: string, rolesPath: string[], name = ''): string[] {
  const collection = COLLECTION_ROLE.exec(name);
  if (collection) {
    const [, ns, coll, role] = collection;
    return [path.join(playbookDir, 'collections'), ...rolesPath].map((base) => path.join(base, 'ansible_collections', ns, coll, 'roles', role));
  }
  return [path.join(playbookDir, 'roles'), playbookDir, ...rolesPath].map((base) => path.join(base, name));
}

/** The role's folder, or undefined; `fromDir` is the folder of the file that names it (for relative paths). */
export async function findRole(name: string, fromDir: string, playbookDir: string, rolesPath: string[]): Promise<string | undefined> {
  if (name.startsWith('.') || path.isAbsolute(name)) {
    const dir = path.resolve(fromDir, name);
    return (await isDir(dir)) ? dir : undefined;
  }
  for (const dir of roleSearchPath(playbookDir, rolesPath, name)) {
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
