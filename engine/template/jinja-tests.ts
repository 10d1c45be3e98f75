// Jinja's and Ansible's tests (`x is string`, `x is match(re)`, `p is file`) as one table, for the `is` helper
// (`is x "match" "^a"`) and for select/reject (`select list "match" "^a"`). Path tests look at the controller, as
// Ansible's do.

import fs from 'node:fs';
import path from 'node:path';
import { TemplateError } from '../errors.js';
import { isMapping, pythonTruthy, pythonType, sameItem } from './jinja-filters.js';
import { pythonTest, type PythonFlags } from './python-regex.js';
import { versionCompare } from './version-compare.js';

type Hash = Record<string, unknown>;
type Test = (value: unknown, args: unknown[], hash: Hash) => boolean;

const regexFlags = (hash: Hash): PythonFlags => ({ ignorecase: pythonTruthy(hash.ignorecase), multiline: pythonTruthy(hash.multiline) });
const text = (v: unknown, test: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(`the test '${test}' takes a text, got ${pythonType(v)}`);
};

/** Python's ordering for the comparison tests: numbers with numbers, texts with texts, anything else an error. */
function order(a: unknown, b: unknown, op: string): number {
  if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateError(`'${op}' not supported between instances of '${pythonType(a)}' and '${pythonType(b)}'`);
}

/** Python's `value in container`: a substring of a text, an item of a list, a key of a mapping. */
export function pythonIn(value: unknown, container: unknown): boolean {
  if (typeof container === 'string') return typeof value === 'string' ? container.includes(value) : false;
  if (Array.isArray(container)) return container.some((item) => sameItem(item, value));
  if (isMapping(container)) return typeof value === 'string' && Object.prototype.hasOwnProperty.call(container, value);
  throw new TemplateError(`argument of type '${pythonType(container)}' is not iterable`);
}

const statOf = (p: unknown, follow: boolean): fs.Stats | undefined => {
  try { return follow ? fs.statSync(String(p)) : fs.lstatSync(String(p)); } catch { return undefined; }
};

const regex = (kind: 'match' | 'search' | 'fullmatch'): Test => (v, [pattern], hash) => pythonTest(String(pattern ?? ''), text(v, kind), regexFlags(hash), kind);
const compare = (op: string, keep: (n: number) => boolean): Test => (v, [other]) => keep(order(v, other, op));
const equal: Test = (v, [other]) => sameItem(v, other) || (typeof v === 'number' && v === other);

const TESTS: Record<string, Test> = {
  defined: (v) => v !== undefined, undefined: (v) => v === undefined, none: (v) => v === null || v === undefined,
  truthy: (v) => pythonTruthy(v), falsy: (v) => !pythonTruthy(v),
  boolean: (v) => typeof v === 'boolean', true: (v) => v === true, false: (v) => v === false,
  string: (v) => typeof v === 'string', number: (v) => typeof v === 'number' || typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v), float: (v) => typeof v === 'number' && !Number.isInteger(v),
  mapping: (v) => isMapping(v), sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v), iterable: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  lower: (v) => typeof v === 'string' && v === v.toLowerCase() && v !== v.toUpperCase(), upper: (v) => typeof v === 'string' && v === v.toUpperCase() && v !== v.toLowerCase(),
  odd: (v) => Number(v) % 2 === 1 || Number(v) % 2 === -1, even: (v) => Number(v) % 2 === 0, divisibleby: (v, [n]) => Number(v) % Number(n) === 0,
  eq: equal, equalto: equal, '==': equal, sameas: (v, [other]) => v === other,
  ne: (v, a, h) => !equal(v, a, h), '!=': (v, a, h) => !equal(v, a, h),
  lt: compare('<', (n) => n < 0), '<': compare('<', (n) => n < 0), lessthan: compare('<', (n) => n < 0),
  le: compare('<=', (n) => n <= 0), '<=': compare('<=', (n) => n <= 0),
  gt: compare('>', (n) => n > 0), '>': compare('>', (n) => n > 0), greaterthan: compare('>', (n) => n > 0),
  ge: compare('>=', (n) => n >= 0), '>=': compare('>=', (n) => n >= 0),
  in: (v, [container]) => pythonIn(v, container), contains: (v, [item]) => pythonIn(item, v),
  match: regex('match'), search: regex('search'),
  regex: (v, args, hash) => regex(String(hash.match_type ?? 'search') as 'search')(v, args, hash),
  version: (v, [other, op], hash) => versionCompare(v, other, op ?? 'eq', hash), version_compare: (v, [other, op], hash) => versionCompare(v, other, op ?? 'eq', hash),
  subset: (v, [of]) => Array.isArray(v) && Array.isArray(of) && v.every((x) => pythonIn(x, of)),
  superset: (v, [of]) => Array.isArray(v) && Array.isArray(of) && of.every((x) => pythonIn(x, v)),
  any: (v) => Array.isArray(v) && v.some(pythonTruthy), all: (v) => Array.isArray(v) && v.every(pythonTruthy),
  file: (p) => statOf(p, true)?.isFile() === true, directory: (p) => statOf(p, true)?.isDirectory() === true,
  exists: (p) => statOf(p, true) !== undefined, link: (p) => statOf(p, false)?.isSymbolicLink() === true,
  link_exists: (p) => statOf(p, false) !== undefined, abs: (p) => path.isAbsolute(String(p)),
};
for (const name of ['file', 'directory', 'link', 'abs']) TESTS[`is_${name}`] = TESTS[name];
TESTS.null = TESTS.none;

/** Run the test `name` on a value (Jinja's `value is name(args)`). */
export function runTest(name: string, value: unknown, args: unknown[], hash: Hash = {}): boolean {
  const test = TESTS[name];
  if (!test) throw new TemplateError(`unknown test '${name}' (runbook knows: ${Object.keys(TESTS).sort().join(', ')})`);
  return test(value, args, hash);
}

/** The test names runbook knows, for the converter and docs. */
export const knownTests = (): string[] => Object.keys(TESTS).sort();
