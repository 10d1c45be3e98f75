// The items of a loop: `loop`/`with_list`, and Ansible's `with_*` lookups (items, dict, subelements, flattened,
// together, nested, indexed_items, first_found, sequence, fileglob) turned into the list the task runs once per item.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { ModuleError } from '../errors.js';
import { dict2items } from '../template/collections.js';
import { fileglobItems } from './loop-fileglob.js';
import { sequenceItems } from './loop-sequence.js';

/** How the loop value is turned into items (the `with_*` keyword it was written with, or `loop`). */
export type LoopKind = 'loop' | 'items' | 'dict' | 'subelements' | 'flattened' | 'together' | 'nested' | 'indexed_items' | 'first_found' | 'sequence' | 'fileglob';

export const LOOP_KINDS: Record<string, LoopKind> = {
  loop: 'loop', with_list: 'loop', with_items: 'items', with_dict: 'dict', with_subelements: 'subelements',
  with_flattened: 'flattened', with_together: 'together', with_nested: 'nested', with_indexed_items: 'indexed_items',
  with_first_found: 'first_found', with_sequence: 'sequence', with_fileglob: 'fileglob',
};

const isMapping = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** What to write instead of a mapping given to `loop`. */
export const MAPPING_LOOP_HINT = 'to loop over a mapping write `loop: "{{ dict2items my_map }}"` (each item has .key and .value) or `with_dict: "{{ my_map }}"`';

/** The items of a rendered loop value; `searchDirs` are the controller folders with_first_found looks in. */
export function loopItems(kind: LoopKind, rendered: unknown, searchDirs: string[]): unknown[] {
  switch (kind) {
    case 'dict':
      if (!isMapping(rendered)) throw fail(`with_dict needs a mapping, got ${describe(rendered)}`);
      return dict2items(rendered);
    case 'items': return list(kind, rendered).flatMap((x) => (Array.isArray(x) ? x : [x]));
    case 'flattened': return list(kind, rendered).flat(Infinity);
    case 'indexed_items': return list(kind, rendered).flatMap((x) => (Array.isArray(x) ? x : [x])).map((x, i) => [i, x]);
    case 'together': return together(list(kind, rendered));
    case 'nested': return nested(list(kind, rendered));
    case 'subelements': return subelements(list(kind, rendered));
    case 'first_found': return firstFound(rendered, searchDirs);
    case 'sequence': return sequenceItems(rendered);
    case 'fileglob': return fileglobItems(rendered, searchDirs);
    default:
      if (isMapping(rendered)) throw fail(`loop must be a list, got a mapping: ${MAPPING_LOOP_HINT}`);
      return list(kind, rendered);
  }
}

function fail(message: string): ModuleError {
  return new ModuleError(message);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : isMapping(v) ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function list(kind: LoopKind, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw fail(`${kind === 'loop' ? 'loop' : `with_${kind}`} must be a list, got ${describe(v)}`);
}

/** with_together: [[1,2],[a,b]] → [[1,a],[2,b]]; a shorter list is padded with null (as Ansible's zip_longest). */
function together(lists: unknown[]): unknown[][] {
  const columns = lists.map((l) => (Array.isArray(l) ? l : [l]));
  const length = Math.max(0, ...columns.map((c) => c.length));
  return Array.from({ length }, (_, i) => columns.map((c) => (i < c.length ? c[i] : null)));
}

/** with_nested: every combination, the first list outermost. */
function nested(lists: unknown[]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => (Array.isArray(l) ? l : [l]).map((x) => [...prefix, x])), [[]]);
}

/** with_subelements: [list, 'key'] (+ {skip_missing}) → [element, sub] for every sub of element[key]. */
function subelements(terms: unknown[]): unknown[][] {
  const [elements, key, flags] = terms;
  if (!Array.isArray(elements) && !isMapping(elements)) throw fail(`with_subelements: the first term must be a list, got ${describe(elements)}`);
  if (typeof key !== 'string') throw fail('with_subelements: the second term must be the name of the sub-list (a string)');
  const skipMissing = isMapping(flags) && flags.skip_missing === true;
  const out: unknown[][] = [];
  for (const element of Array.isArray(elements) ? elements : Object.values(elements)) {
    const subs = key.split('.').reduce<unknown>((v, k) => (isMapping(v) ? v[k] : undefined), element);
    if (subs === undefined) {
      if (skipMissing) continue;
      throw fail(`with_subelements: an element has no '${key}' (add {skip_missing: true} as a third term to skip it)`);
    }
    if (!Array.isArray(subs)) throw fail(`with_subelements: '${key}' of an element is ${describe(subs)}, not a list`);
    for (const sub of subs) out.push([element, sub]);
  }
  return out;
}

/** with_first_found: the first controller file that exists, as a one-item list (none: an error, or [] with skip). */
function firstFound(rendered: unknown, searchDirs: string[]): unknown[] {
  const terms = Array.isArray(rendered) ? rendered : [rendered];
  const candidates: string[] = [];
  let skip = false;
  for (const term of terms) {
    if (typeof term === 'string') candidates.push(...searchDirs.map((d) => path.resolve(d, term)));
    else if (isMapping(term)) {
      skip ||= term.skip === true;
      const files = [term.files].flat().filter((f): f is string => typeof f === 'string').flatMap((f) => f.split(/[,;]/));
      const dirs = [term.paths].flat().filter((p): p is string => typeof p === 'string').flatMap((p) => p.split(/[,;:]/));
      for (const f of files) candidates.push(...(dirs.length ? dirs.flatMap((p) => searchDirs.map((d) => path.resolve(d, p, f))) : searchDirs.map((d) => path.resolve(d, f))));
    }
  }
  const found = candidates.find((c) => existsSync(c));
  if (found) return [found];
  if (skip) return [];
  throw fail(`with_first_found: none of the files exists (looked for ${[...new Set(candidates)].join(', ')})`);
}
