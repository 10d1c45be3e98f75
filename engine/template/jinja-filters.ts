// Helpers for Jinja2's common filters and tests (the subset `runbook convert` writes): types, JSON/YAML as Ansible
// prints them, paths, mappings, sets, map/select/sort over lists of mappings, and `#for`, a loop that keeps the
// template's variables in reach.

import type Handlebars from 'handlebars';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { TemplateError } from '../errors.js';

type HB = typeof Handlebars;
type Options = Handlebars.HelperOptions & { fn: { blockParams?: number } };
type Mapping = Record<string, unknown>;

export const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : isMapping(v) ? Object.keys(v) : v === undefined || v === null ? [] : [v]);
/** The same item, for sets of plain values or of mappings. */
export const sameItem = (a: unknown, b: unknown): boolean => a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));

/** Python's `json.dumps` spacing, as Ansible's to_json prints: `{"a": 1, "b": [1, 2]}`. */
export function pythonJson(value: unknown, indent?: number, sortKeys = false): string {
  if (indent !== undefined) {
    const sorted = sortKeys ? sortDeep(value) : value;
    return JSON.stringify(sorted, null, indent);
  }
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(write).join(', ')}]`;
    if (isMapping(v)) return `{${(sortKeys ? Object.keys(v).sort() : Object.keys(v)).map((k) => `${JSON.stringify(k)}: ${write(v[k])}`).join(', ')}}`;
    return JSON.stringify(v ?? null);
  };
  return write(value);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isMapping(value)) return value;
  const out: Mapping = {};
  for (const k of Object.keys(value).sort()) out[k] = sortDeep(value[k]);
  return out;
}

/** Block style as Ansible's to_nice_yaml writes it: sorted keys, indent 4 (a list sits 2 in under its key, PyYAML's at 0). */
export function niceYaml(value: unknown, indent = 4): string {
  return toYaml(sortDeep(value), { indent, indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** Ansible's `bool` filter: yes/on/1/true (any case) are true. */
export function ansibleBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  return ['yes', 'on', '1', 'true', 'y'].includes(String(value ?? '').trim().toLowerCase());
}

/** Jinja's `int`: the leading integer of a text, or the fallback (0) when there is none. */
export function jinjaInt(value: unknown, fallback: unknown = 0): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value ?? '').trim());
  return Number.isFinite(n) && /^\s*[-+]?\d/.test(String(value)) ? Math.trunc(n) : Number(fallback);
}

/** Ansible's `combine`: later mappings win; `recursive=true` merges nested mappings. */
export function combine(mappings: unknown[], recursive: boolean): Mapping {
  const merge = (into: Mapping, from: Mapping): Mapping => {
    for (const [k, v] of Object.entries(from)) into[k] = recursive && isMapping(into[k]) && isMapping(v) ? merge({ ...(into[k] as Mapping) }, v) : v;
    return into;
  };
  return mappings.reduce<Mapping>((acc, m) => {
    if (!isMapping(m)) throw new TemplateError(`combine: expected mappings, got ${Array.isArray(m) ? 'a list' : typeof m}`);
    return merge(acc, m);
  }, {});
}

const TESTS: Record<string, (value: unknown, arg: unknown) => boolean> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  truthy: (v) => Boolean(v) && !(Array.isArray(v) && v.length === 0),
  falsy: (v) => !v || (Array.isArray(v) && v.length === 0),
  equalto: (v, a) => v === a, '==': (v, a) => v === a, eq: (v, a) => v === a,
  '!=': (v, a) => v !== a, ne: (v, a) => v !== a,
  '>': (v, a) => Number(v) > Number(a), gt: (v, a) => Number(v) > Number(a),
  '<': (v, a) => Number(v) < Number(a), lt: (v, a) => Number(v) < Number(a),
  '>=': (v, a) => Number(v) >= Number(a), ge: (v, a) => Number(v) >= Number(a),
  '<=': (v, a) => Number(v) <= Number(a), le: (v, a) => Number(v) <= Number(a),
  in: (v, a) => Array.isArray(a) && a.includes(v),
};

/** Jinja's selectattr/rejectattr: keep (or drop) the mappings whose attribute passes the test (truthy by default). */
function selectAttribute(list: unknown, attribute: string, test: string | undefined, arg: unknown, keep: boolean): unknown[] {
  const check = TESTS[test ?? 'truthy'];
  if (!check) throw new TemplateError(`selectattr: unknown test '${String(test)}' (known: ${Object.keys(TESTS).join(', ')})`);
  return asList(list).filter((item) => check(attributeOf(item, attribute), arg) === keep);
}

/** `a.b` of a mapping (dotted attributes as in Jinja); undefined when missing. */
export function attributeOf(item: unknown, attribute: string): unknown {
  return attribute.split('.').reduce<unknown>((v, k) => (isMapping(v) && Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined), item);
}

/** Jinja's sort: numbers and texts in natural order, case-insensitive like Jinja's default. */
function sortList(list: unknown, attribute: string | undefined, reverse: boolean): unknown[] {
  const key = (v: unknown) => { const k = attribute ? attributeOf(v, attribute) : v; return typeof k === 'string' ? k.toLowerCase() : k; };
  const sorted = [...asList(list)].sort((a, b) => { const x = key(a) as string | number; const y = key(b) as string | number; return x < y ? -1 : x > y ? 1 : 0; });
  return reverse ? sorted.reverse() : sorted;
}

/**
 * `{{#for list as |item|}}`: Jinja's for loop. A mapping gives its keys (as in Jinja); `as |a b|` over a list of
 * pairs (`pairs m`) unpacks each pair. The template's variables stay in reach inside (unlike #each); `@index`,
 * `@position` (1-based, Jinja's loop.index), `@first`, `@last`, `@count` (Jinja's loop.length; `@length` would
 * call the length helper). An empty list renders `{{else}}`.
 */
function forBlock(this: unknown, hb: HB, list: unknown, options: Options): string {
  const items = asList(list);
  if (items.length === 0) return options.inverse(this);
  let out = '';
  items.forEach((item, index) => {
    const data = hb.createFrame(options.data ?? {});
    Object.assign(data, { index, position: index + 1, first: index === 0, last: index === items.length - 1, count: items.length });
    const params = (options.fn.blockParams ?? 1) > 1 && Array.isArray(item) ? item : [item, index];
    out += options.fn(this, { data, blockParams: params });
  });
  return out;
}

export const pythonType = (v: unknown): string => (v === null || v === undefined ? 'NoneType' : Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str'
  : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'dict');

/** Python's truthiness: empty text, 0, empty list or mapping, null and false are false. */
export function pythonTruthy(v: unknown): boolean {
  if (Array.isArray(v) || typeof v === 'string') return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's `+` on the values Jinja templates hold. */
export function pythonAdd(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new TemplateError(`add: cannot add ${pythonType(a)} and ${pythonType(b)} (numbers add, texts and lists join; write concat to join a text and a number)`);
}

/** A registrar for filter helpers: `{{values}}` alone calls the helper, not a variable of that name, so it is said loudly, never an empty text. */
export function filterRegistrar(hb: HB): (name: string, fn: (...a: any[]) => unknown) => void {
  const opts = (a: unknown[]) => a[a.length - 1] as Options;
  return (name, fn) => hb.registerHelper(name, function (this: unknown, ...a: unknown[]) {
    if (a.length === 1 && name !== 'list' && name !== 'dict' && Object.keys(opts(a).hash ?? {}).length === 0 && !opts(a).fn) {
      throw new TemplateError(`'${name}' is a helper (Jinja's ${name} filter) and takes a value; a variable named ${name} is written this.${name}`);
    }
    return fn.apply(this, a);
  });
}

export function registerJinjaFilters(hb: HB): void {
  const opts = (a: unknown[]) => a[a.length - 1] as Options;
  const h = filterRegistrar(hb);
  const params = (a: unknown[]) => a.slice(0, -1);
  /** Jinja's `a + b` (Python's): numbers add, strings and lists join; anything else is an error, as in Python. */
  h('add', (...a) => pythonAdd(params(a)[0], params(a)[1]));
  /** Ansible's ternary filter: `ternary cond yes no [if_null]`, on Python's truthiness of cond. */
  h('ternary', (...a) => { const [c, yes, no, ifNull] = params(a); return (c === null || c === undefined) && params(a).length > 3 ? ifNull : pythonTruthy(c) ? yes : no; });
  h('int', (...a) => { const [v, d] = params(a); return jinjaInt(v, d); });
  h('bool', (...a) => ansibleBool(params(a)[0]));
  h('string', (...a) => { const [v] = params(a); return v === undefined || v === null ? '' : typeof v === 'object' ? pythonJson(v) : String(v); });
  h('to_json', (...a) => pythonJson(params(a)[0]));
  h('to_nice_json', (...a) => pythonJson(params(a)[0], Number(opts(a).hash?.indent ?? 4), true));
  h('to_yaml', (...a) => toYaml(params(a)[0], { lineWidth: 0 }));
  h('to_nice_yaml', (...a) => niceYaml(params(a)[0], Number(opts(a).hash?.indent ?? 4)));
  h('dirname', (...a) => path.posix.dirname(String(params(a)[0] ?? '')));
  h('basename', (...a) => path.posix.basename(String(params(a)[0] ?? '')));
  h('combine', (...a) => combine(params(a).flat(), opts(a).hash?.recursive === true));
  h('union', (...a) => { const [x, y] = params(a); return [...asList(x), ...asList(y)].filter((v, i, all) => all.findIndex((w) => sameItem(v, w)) === i); });
  h('difference', (...a) => { const [x, y] = params(a); return asList(x).filter((v, i, all) => !asList(y).some((w) => sameItem(v, w)) && all.findIndex((w) => sameItem(v, w)) === i); });
  h('intersect', (...a) => { const [x, y] = params(a); return asList(x).filter((v, i, all) => asList(y).some((w) => sameItem(v, w)) && all.findIndex((w) => sameItem(v, w)) === i); });
  h('unique', (...a) => asList(params(a)[0]).filter((v, i, all) => all.findIndex((w) => sameItem(v, w)) === i));
  h('last', (...a) => { const list = asList(params(a)[0]); return list[list.length - 1]; });
  h('trim', (...a) => String(params(a)[0] ?? '').trim());
  h('list', (...a) => params(a));
  h('keys', (...a) => { const [m] = params(a); return isMapping(m) ? Object.keys(m) : []; });
  h('values', (...a) => { const [m] = params(a); return isMapping(m) ? Object.values(m) : []; });
  h('dict', (...a) => ({ ...(opts(a).hash ?? {}) }));
  h('pairs', (...a) => { const [m] = params(a); return isMapping(m) ? Object.entries(m) : []; });
  h('dictsort', (...a) => { const [m] = params(a); return isMapping(m) ? Object.entries(m).sort(([x], [y]) => (x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0)) : []; });
  h('map', (...a) => {
    const [list, filter, ...rest] = params(a);
    const attribute = opts(a).hash?.attribute;
    if (attribute !== undefined) return asList(list).map((item) => attributeOf(item, String(attribute)) ?? opts(a).hash?.default);
    const helper = hb.helpers[String(filter)];
    if (!helper) throw new TemplateError(`map: unknown filter '${String(filter)}'`);
    return asList(list).map((item) => helper(item, ...rest, { hash: {}, data: opts(a).data } as never));
  });
  h('selectattr', (...a) => { const [list, attribute, test, arg] = params(a); return selectAttribute(list, String(attribute), test as string, arg, true); });
  h('rejectattr', (...a) => { const [list, attribute, test, arg] = params(a); return selectAttribute(list, String(attribute), test as string, arg, false); });
  h('sort', (...a) => { const hash = opts(a).hash ?? {}; return sortList(params(a)[0], hash.attribute, hash.reverse === true); });
  h('for', function (this: unknown, ...a: any[]) { return forBlock.call(this, hb, params(a)[0], opts(a)); });
}
