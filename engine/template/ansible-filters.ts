// Ansible's filters beyond Jinja's core that real roles use: regex_replace/search/findall/escape (Python's re), the
// version test, the `is` test helper with select/reject, texts (capitalize, comment, quote, hash, splitext, from_json,
// from_yaml) and lists (flatten, min, max, sum, zip, product, subelements), each with Ansible's results.

import type Handlebars from 'handlebars';
import { createHash, getHashes } from 'node:crypto';
import path from 'node:path';
import jmespath from 'jmespath';
import { parse as parseYaml } from 'yaml';
import { TemplateError } from '../errors.js';
import { asList, attributeOf, filterRegistrar, isMapping, pythonAdd, pythonTruthy, pythonType } from './jinja-filters.js';
import { groupOf, pythonEscape, pythonMatches, pythonSub, type PythonFlags } from './python-regex.js';
import { runTest } from './jinja-tests.js';
import { versionCompare } from './version-compare.js';

type HB = typeof Handlebars;
type Hash = Record<string, unknown>;

const params = (a: unknown[]) => a.slice(0, -1);
const hashOf = (a: unknown[]): Hash => (a[a.length - 1] as { hash?: Hash }).hash ?? {};
const flagsOf = (hash: Hash): PythonFlags => ({ ignorecase: pythonTruthy(hash.ignorecase), multiline: pythonTruthy(hash.multiline) });

/** Ansible's to_text(nonstring='simplerepr') for the regex filters: a text, or the value as Python prints it. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  throw new TemplateError(`the regex filters take a text, got ${pythonType(v)}`);
}

/** regex_search: the whole match, or the listed groups (`\\1`, `\\g<name>`); null (Python's None) when nothing matches. */
function regexSearch(value: unknown, pattern: string, groups: unknown[], hash: Hash): unknown {
  const wanted = groups.map((g) => {
    const named = /^\\g<(\S+)>/.exec(String(g));
    const numbered = /^\\(\d+)/.exec(String(g));
    if (named) return named[1];
    if (numbered) return Number(numbered[1]);
    throw new TemplateError(`regex_search: unknown argument '${String(g)}' (groups are written '\\\\1' or '\\\\g<name>')`);
  });
  const match = pythonMatches(pattern, asText(value), flagsOf(hash), 1)[0];
  if (!match) return null;
  return wanted.length === 0 ? match.text : wanted.map((g) => groupOf(match, g, pattern));
}

/** regex_findall: the matches; with one group its text, with several a list of each group's text ('' when unmatched). */
function regexFindall(value: unknown, pattern: string, hash: Hash): unknown[] {
  return pythonMatches(pattern, asText(value), flagsOf(hash)).map((m) => (m.groups.length === 0 ? m.text : m.groups.length === 1 ? m.groups[0] ?? '' : m.groups.map((g) => g ?? '')));
}

/** Ansible's comment filter (styles plain, erlang, c, cblock, xml; the same keyword overrides). */
export function commentText(text: string, style = 'plain', overrides: Hash = {}): string {
  const styles: Record<string, Hash> = {
    plain: { decoration: '# ' }, erlang: { decoration: '% ' }, c: { decoration: '// ' },
    cblock: { beginning: '/*', decoration: ' * ', end: ' */' }, xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
  };
  const chosen = styles[style] ?? (() => { throw new TemplateError(`comment: unknown style '${style}' (known: ${Object.keys(styles).join(', ')})`); })();
  const edge = String(overrides.decoration ?? chosen.decoration).trimEnd();
  const p = { newline: '\n', beginning: '', prefix: edge, prefix_count: 1, decoration: '', postfix: edge, postfix_count: 1, end: '', ...chosen, ...overrides } as Record<string, string | number>;
  const [newline, decoration] = [String(p.newline), String(p.decoration)];
  const beginning = p.beginning ? `${String(p.beginning)}${newline}` : '';
  const prefix = !p.prefix ? '' : (p.prefix !== newline ? `${String(p.prefix)}${newline}` : newline).repeat(Number(p.prefix_count));
  const body = `${decoration}${text.split(newline).join(`${newline}${decoration}`)}`.split(`${decoration}${newline}`).join(`${decoration.trimEnd()}${newline}`);
  const postfix = ['', ...Array<string>(Number(p.postfix_count)).fill(String(p.postfix))].join(newline);
  const end = p.end ? `${newline}${String(p.end)}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
}

/** Python's shlex.quote, as Ansible's quote filter prints it. */
export function shlexQuote(text: string): string {
  if (text === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

/** Python's str.split: by `separator` (null: runs of whitespace, ends trimmed), at most `maxsplit` times (-1: all). */
export function pythonSplit(text: string, separator: string | null, maxsplit = -1): string[] {
  if (separator === '') throw new TemplateError('split: empty separator');
  const parts: string[] = [];
  let rest = separator === null ? text.replace(/^\s+/, '') : text;
  while (maxsplit < 0 || parts.length < maxsplit) {
    const at = separator === null ? rest.search(/\s/) : rest.indexOf(separator);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = separator === null ? rest.slice(at).replace(/^\s+/, '') : rest.slice(at + separator.length);
    if (separator === null && rest === '') return parts;
  }
  if (separator === null && rest === '' && parts.length === 0) return [];
  return [...parts, separator === null && (maxsplit < 0 || parts.length < maxsplit) ? rest.trimEnd() : rest];
}

/** Jinja's title: each word (after -, whitespace, (, {, [, <) capitalized, the rest lower case. */
export const titleCase = (text: string): string => text.split(/([-\s({[<]+)/).map((w) => w.slice(0, 1).toUpperCase() + w.slice(1).toLowerCase()).join('');

/** Python's os.path.splitext: [root, ext]; leading dots of the last name are not an extension. */
export function splitext(p: string): [string, string] {
  const base = path.posix.basename(p.endsWith('/') ? `${p}x` : p);
  const dot = base.lastIndexOf('.');
  if (p.endsWith('/') || dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
  const cut = p.length - (base.length - dot);
  return [p.slice(0, cut), p.slice(cut)];
}

/** Ansible's flatten: lists inside lists (levels deep, all by default); None/'None'/'null' items dropped unless skip_nulls=false. */
export function flatten(list: unknown, levels?: number, skipNulls = true): unknown[] {
  const out: unknown[] = [];
  for (const item of asList(list)) {
    if (skipNulls && (item === null || item === 'None' || item === 'null')) continue;
    if (Array.isArray(item) && (levels === undefined || levels >= 1)) out.push(...flatten(item, levels === undefined ? undefined : levels - 1, skipNulls));
    else out.push(item);
  }
  return out;
}

/** Python's order of two keys: numbers with numbers, texts with texts; anything else Python's TypeError. */
function pythonOrder(a: unknown, b: unknown): number {
  if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateError(`'<' not supported between instances of '${pythonType(a)}' and '${pythonType(b)}'`);
}

/** Jinja's min (sign 1) and max (sign -1): texts compared without case unless case_sensitive, by `attribute` when given; the first of equals; undefined when empty. */
function extreme(list: unknown, hash: Hash, sign: 1 | -1): unknown {
  const key = (v: unknown) => { const k = hash.attribute !== undefined ? attributeOf(v, String(hash.attribute)) : v; return typeof k === 'string' && !pythonTruthy(hash.case_sensitive) ? k.toLowerCase() : k; };
  const items = asList(list);
  return items.reduce((best, v) => (sign * pythonOrder(key(v), key(best)) < 0 ? v : best), items[0]);
}

/** Ansible's subelements: each (item, sub-item) pair of a list of mappings and a dotted key naming a list in each. */
function subelements(list: unknown, key: unknown, skipMissing: boolean): unknown[][] {
  const items = isMapping(list) ? Object.values(list) : Array.isArray(list) ? list : (() => { throw new TemplateError('subelements: obj must be a list of dicts or a nested dict'); })();
  const keys = Array.isArray(key) ? key.map(String) : String(key).split('.');
  return items.flatMap((item) => {
    let values: unknown = item;
    for (const k of keys) {
      if (isMapping(values) && Object.prototype.hasOwnProperty.call(values, k)) { values = values[k]; continue; }
      if (!isMapping(values)) throw new TemplateError(`subelements: the key ${k} should point to a dictionary, got '${JSON.stringify(values)}'`);
      if (skipMissing) { values = []; break; }
      throw new TemplateError(`subelements: could not find '${k}' key in iterated item ${JSON.stringify(values)}`);
    }
    if (!Array.isArray(values)) throw new TemplateError(`subelements: the key '${keys.join('.')}' should point to a list, got ${JSON.stringify(values)}`);
    return values.map((v) => [item, v]);
  });
}

const product = (lists: unknown[][]): unknown[][] => lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);

function registerRegexFilters(h: ReturnType<typeof filterRegistrar>): void {
  h('regex_replace', (...a) => { const [v, pattern, replacement] = params(a); return pythonSub(String(pattern ?? ''), String(replacement ?? ''), asText(v ?? ''), flagsOf(hashOf(a))); });
  h('regex_search', (...a) => { const [v, pattern, ...groups] = params(a); return regexSearch(v, String(pattern), groups, hashOf(a)); });
  h('regex_findall', (...a) => { const [v, pattern] = params(a); return regexFindall(v, String(pattern), hashOf(a)); });
  h('regex_escape', (...a) => {
    const [v, type] = params(a);
    if (type === undefined || type === 'python') return pythonEscape(asText(v));
    if (type === 'posix_basic') return asText(v).replace(/[\].[^$*\\]/g, (c) => `\\${c}`);
    throw new TemplateError(`regex_escape: regex type '${String(type)}' is not implemented (python and posix_basic are, as in Ansible)`);
  });
  h('version_compare', (...a) => { const [v, other, op] = params(a); return versionCompare(v, other, op ?? 'eq', hashOf(a)); });
  /** `is x "name" args...`: Jinja's `x is name(args)`. */
  h('is', (...a) => { const [v, name, ...args] = params(a); return runTest(String(name), v, args, hashOf(a)); });
  h('select', (...a) => { const [list, name, ...args] = params(a); return asList(list).filter((v) => (name === undefined ? pythonTruthy(v) : runTest(String(name), v, args, hashOf(a)))); });
  h('reject', (...a) => { const [list, name, ...args] = params(a); return asList(list).filter((v) => !(name === undefined ? pythonTruthy(v) : runTest(String(name), v, args, hashOf(a)))); });
}

function registerTextFilters(h: ReturnType<typeof filterRegistrar>): void {
  /** Python's str.find: the index of the first occurrence, -1 when absent. */
  h('text_find', (...a) => { const [s, part] = params(a); return String(s ?? '').indexOf(String(part)); });
  /** Python's str.startswith / endswith (a list of candidates: any of them). */
  h('startswith', (...a) => { const [s, p] = params(a); return (Array.isArray(p) ? p : [p]).some((x) => String(s ?? '').startsWith(String(x))); });
  h('endswith', (...a) => { const [s, p] = params(a); return (Array.isArray(p) ? p : [p]).some((x) => String(s ?? '').endsWith(String(x))); });
  h('title', (...a) => titleCase(String(params(a)[0] ?? '')));
  h('capitalize', (...a) => { const s = String(params(a)[0] ?? ''); return s.slice(0, 1).toUpperCase() + s.slice(1).toLowerCase(); });
  h('comment', (...a) => { const [v, style] = params(a); return commentText(String(v ?? ''), style === undefined ? 'plain' : String(style), hashOf(a)); });
  h('quote', (...a) => shlexQuote(String(params(a)[0] ?? '')));
  h('hash', (...a) => {
    const [v, algorithm] = params(a);
    const name = String(algorithm ?? 'sha1');
    if (!getHashes().includes(name)) throw new TemplateError(`hash: unknown algorithm '${name}'`);
    return createHash(name).update(String(v ?? '')).digest('hex');
  });
  h('splitext', (...a) => splitext(String(params(a)[0] ?? '')));
  h('from_json', (...a) => { try { return JSON.parse(String(params(a)[0])); } catch (e) { throw new TemplateError(`from_json: ${(e as Error).message}`); } });
  /** Ansible's json_query (community.general): a JMESPath query; null when nothing matches, as Python's jmespath. */
  h('json_query', (...a) => {
    const [data, query] = params(a);
    try { return jmespath.search(data as never, String(query)) ?? null; } catch (e) { throw new TemplateError(`json_query: ${(e as Error).message}`); }
  });
  h('from_yaml', (...a) => { const [v] = params(a); return typeof v === 'string' ? parseYaml(v, { version: '1.1' }) : v; });
}

function registerListFilters(h: ReturnType<typeof filterRegistrar>): void {
  h('flatten', (...a) => { const hash = hashOf(a); const [list, levels] = params(a); const depth = hash.levels ?? levels; return flatten(list, depth === undefined || depth === null ? undefined : Number(depth), hash.skip_nulls !== false); });
  h('min', (...a) => extreme(params(a)[0], hashOf(a), 1));
  h('max', (...a) => extreme(params(a)[0], hashOf(a), -1));
  h('sum', (...a) => {
    const hash = hashOf(a);
    const [list, attribute, start] = params(a);
    const by = hash.attribute ?? attribute;
    return asList(list).reduce((total, v) => pythonAdd(total, by === undefined ? v : attributeOf(v, String(by))), hash.start ?? start ?? 0);
  });
  h('zip', (...a) => { const lists = params(a).map(asList); const n = Math.min(...lists.map((l) => l.length)); return Array.from({ length: n }, (_, i) => lists.map((l) => l[i])); });
  h('product', (...a) => product(params(a).map(asList)));
  h('subelements', (...a) => { const [list, key, skip] = params(a); return subelements(list, key, pythonTruthy(hashOf(a).skip_missing ?? skip)); });
}

export function registerAnsibleFilters(hb: HB): void {
  const h = filterRegistrar(hb);
  registerRegexFilters(h);
  registerTextFilters(h);
  registerListFilters(h);
}
