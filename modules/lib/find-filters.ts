// The filters of the find module, pure: globs (fnmatch) or regexps on the base name, age, size, type, hidden names and
// content, as Ansible's find applies them, over a listing read from the target.

import { RE2JS } from 're2js';
import { ModuleError } from '../../engine/errors.js';

/** One entry of the target's listing (GNU find -printf). */
export interface FoundEntry {
  path: string;
  type: 'file' | 'directory' | 'link' | 'other';
  size: number;
  mode: number;
  mtime: number;
  atime: number;
  ctime: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  /** Text of a regular file, read only when `contains` asks. */
  content?: string;
}

export interface FindFilters {
  patterns?: string[];
  excludes?: string[];
  use_regex: boolean;
  file_type: 'file' | 'directory' | 'link' | 'any';
  hidden: boolean;
  age?: string;
  age_stamp: 'mtime' | 'atime' | 'ctime';
  size?: string;
  contains?: string;
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function compile(pattern: string, what: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new ModuleError(`invalid ${what} /${pattern}/: ${(e as Error).message}`);
  }
}

/** fnmatch's shell glob as an anchored regular expression (*, ?, [seq], [!seq]). */
export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[' && glob.indexOf(']', i + 2) > i) {
      const end = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, end);
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return `^(?s:${out})$`;
}

function nameMatcher(list: string[] | undefined, useRegex: boolean, what: string): ((name: string) => boolean) | undefined {
  if (!list || list.length === 0) return undefined;
  // Ansible: a regexp matches from the start of the name (re.match); a glob matches the whole name.
  const res = list.map((p) => compile(useRegex ? `^(?:${p})` : globToRegex(p), what));
  return (name) => res.some((r) => r.matcher(name).find());
}

/** "-2d" → [-1, 172800]; "10m" for size → [1, 10485760]. */
function amount(text: string, units: Record<string, number>, what: string): [number, number] {
  const m = /^(-?)(\d+)([a-z]?)$/.exec(text.trim().toLowerCase());
  if (!m || (m[3] && !(m[3] in units))) throw new ModuleError(`invalid ${what} '${text}': a number with one of ${Object.keys(units).join(', ')} (e.g. 2d, -1w)`);
  return [m[1] ? -1 : 1, Number(m[2]) * (m[3] ? units[m[3]] : Object.values(units)[0])];
}

/** The entries that pass every filter, in listing order. */
export function filterEntries(entries: FoundEntry[], f: FindFilters, now: number): FoundEntry[] {
  const include = nameMatcher(f.patterns, f.use_regex, 'pattern');
  const exclude = nameMatcher(f.excludes, f.use_regex, 'exclude');
  const age = f.age !== undefined ? amount(f.age, SECONDS, 'age') : undefined;
  const size = f.size !== undefined ? amount(f.size, BYTES, 'size') : undefined;
  const contains = f.contains !== undefined ? compile(`^(?:${f.contains})`, 'contains') : undefined;
  return entries.filter((e) => {
    const name = e.path.slice(e.path.lastIndexOf('/') + 1);
    if (!f.hidden && name.startsWith('.')) return false;
    if (f.file_type !== 'any' && e.type !== f.file_type) return false;
    if (include && !include(name)) return false;
    if (exclude && exclude(name)) return false;
    if (age) {
      const elapsed = now - e[f.age_stamp];
      if (age[0] > 0 ? elapsed < age[1] : elapsed > age[1]) return false;
    }
    if (size && e.type === 'file' && (size[0] > 0 ? e.size < size[1] : e.size > size[1])) return false;
    if (contains && e.type === 'file' && !(e.content ?? '').split(/(?<=\n)/).some((line) => contains.matcher(line).find())) return false;
    return true;
  });
}
