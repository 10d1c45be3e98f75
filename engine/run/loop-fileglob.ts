// with_fileglob: Ansible's fileglob lookup. A term's folder part is looked up like a controller file (role files/, the
// role, the play's files/, the play's folder: the first that exists), a bare pattern in each of those until one
// matches; only the last part is a glob. Items are the matching regular files' absolute paths, sorted (Ansible's
// order is the folder listing's, which is not stable).

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { ModuleError } from '../errors.js';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function matches(dir: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  // Python's glob: `*` and `?` do not match a leading dot; no brace expansion.
  return names.filter((n) => minimatch(n, pattern, { dot: false, nobrace: true, noext: true })).map((n) => path.join(dir, n)).filter(isFile).sort();
}

/** The items of with_fileglob for the rendered terms; `searchDirs` as for controller files (role first). */
export function fileglobItems(rendered: unknown, searchDirs: string[]): string[] {
  const terms = Array.isArray(rendered) ? rendered : [rendered];
  const out: string[] = [];
  for (const term of terms) {
    if (typeof term !== 'string') throw new ModuleError(`with_fileglob: a term must be a string (a path with * ? [..]), got ${JSON.stringify(term)}`);
    const base = path.basename(term);
    const folder = path.dirname(term);
    const candidates = path.isAbsolute(term) ? [folder] : searchDirs.map((d) => path.resolve(d, folder));
    // A term with a folder globs in the first folder that exists; a bare pattern tries each until one matches.
    const dirs = folder === '.' ? candidates : candidates.filter(isDirectory).slice(0, 1);
    for (const dir of dirs) {
      const found = matches(dir, base);
      if (found.length > 0) {
        out.push(...found);
        break;
      }
    }
  }
  return out;
}
