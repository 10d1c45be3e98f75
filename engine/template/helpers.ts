// The template helpers playbooks need: comparisons, logic, defaults, lists, encodings, fleet lookups.

import type Handlebars from 'handlebars';
import { stringify as toYaml } from 'yaml';
import { TemplateError } from '../errors.js';
import { dict2items, items2dict } from './collections.js';
import { safeRegex } from './safe-regex.js';
import { registerJinjaFilters } from './jinja-filters.js';
import { registerAnsibleFilters, pythonSplit } from './ansible-filters.js';
import { registerArithmetic } from './python-arithmetic.js';

type HB = typeof Handlebars;

/** Helper arguments without Handlebars' trailing options object. */
function args(all: unknown[]): unknown[] {
  return all.slice(0, -1);
}

function root(all: unknown[]): Record<string, unknown> {
  const options = all[all.length - 1] as { data?: { root?: Record<string, unknown> } };
  return options?.data?.root ?? {};
}

const FALSY = new Set(['', 'false', '0', 'no', 'none', 'null', 'undefined', 'off']);

/** Text read as a condition: `-e wipe=false` and "no" are false, as in `when:`. */
export function isTruthyText(s: string): boolean {
  return !FALSY.has(s.trim().toLowerCase());
}

/** How a value reads as a condition: empty lists and maps, "false"/"no"/"0" text and null are false. */
export const truthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0
  : typeof v === 'string' ? isTruthyText(v)
  : v !== null && typeof v === 'object' ? Object.keys(v).length > 0 : Boolean(v));

export function registerHelpers(hb: HB): void {
  const h = (name: string, fn: (...a: any[]) => unknown) => hb.registerHelper(name, fn);
  h('eq', (...a) => { const [x, y] = args(a); return x === y || (x != null && y != null && String(x) === String(y)); });
  h('ne', (...a) => { const [x, y] = args(a); return !(x === y || (x != null && y != null && String(x) === String(y))); });
  h('lt', (...a) => { const [x, y] = args(a) as number[]; return Number(x) < Number(y); });
  h('gt', (...a) => { const [x, y] = args(a) as number[]; return Number(x) > Number(y); });
  h('le', (...a) => { const [x, y] = args(a) as number[]; return Number(x) <= Number(y); });
  h('ge', (...a) => { const [x, y] = args(a) as number[]; return Number(x) >= Number(y); });
  h('and', (...a) => args(a).every(truthy));
  h('or', (...a) => args(a).some(truthy));
  h('not', (...a) => !truthy(args(a)[0]));
  /** `defined x`: Jinja's `x is defined` (x may be undefined here, as in `default`). */
  h('defined', (...a) => args(a)[0] !== undefined);
  h('default', (...a) => { const [v, d] = args(a); return v === undefined || v === null || v === '' ? d : v; });
  h('join', (...a) => { const [list, sep] = args(a); return Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ',') : String(list ?? ''); });
  h('json', (...a) => JSON.stringify(args(a)[0]));
  h('yaml', (...a) => toYaml(args(a)[0]).trimEnd());
  h('indent', (...a) => {
    const [text, n] = args(a);
    const pad = ' '.repeat(Number(n ?? 2));
    return String(text ?? '').split('\n').map((l, i) => (i === 0 || l === '' ? l : pad + l)).join('\n');
  });
  h('b64', (...a) => Buffer.from(String(args(a)[0] ?? '')).toString('base64'));
  h('b64encode', (...a) => Buffer.from(String(args(a)[0] ?? '')).toString('base64'));
  h('b64decode', (...a) => Buffer.from(String(args(a)[0] ?? ''), 'base64').toString('utf8'));
  h('lower', (...a) => String(args(a)[0] ?? '').toLowerCase());
  h('upper', (...a) => String(args(a)[0] ?? '').toUpperCase());
  h('replace', (...a) => { const [s, from, to] = args(a); return String(s ?? '').split(String(from)).join(String(to ?? '')); });
  /** `split s ","` (`,` by default); `split s null` splits on runs of whitespace as Python's s.split(); `maxsplit=n` as Python's. */
  h('split', (...a) => { const [s, sep] = args(a); return pythonSplit(String(s ?? ''), sep === null ? null : typeof sep === 'string' ? sep : ',', (a[a.length - 1] as { hash?: { maxsplit?: number } }).hash?.maxsplit ?? -1); });
  h('contains', (...a) => { const [list, x] = args(a); return Array.isArray(list) ? list.includes(x) : String(list ?? '').includes(String(x)); });
  h('in', (...a) => { const [x, list] = args(a); return Array.isArray(list) ? list.includes(x) : String(list ?? '').includes(String(x)); });
  h('length', (...a) => { const [v] = args(a); return Array.isArray(v) || typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0; });
  h('regex_match', (...a) => { const [s, re] = args(a); return safeRegex(String(re)).test(String(s ?? '')); });
  h('concat', (...a) => args(a).map((x) => String(x ?? '')).join(''));
  /** `dict2items m` → [{key, value}] (a mapping made loopable); `items2dict l` is the inverse. */
  h('dict2items', (...a) => { const [m] = args(a); return m && typeof m === 'object' && !Array.isArray(m) ? dict2items(m as Record<string, unknown>) : []; });
  h('items2dict', (...a) => { const [l] = args(a); return items2dict(Array.isArray(l) ? l : []); });
  h('first', (...a) => { const [v] = args(a); return Array.isArray(v) ? v[0] : undefined; });
  /** `hosts_of "gluster"` → the group's host names (children included). */
  h('hosts_of', (...a) => {
    const [group] = args(a);
    const groups = root(a).groups as Record<string, string[]> | undefined;
    return groups?.[String(group)] ?? [];
  });
  /** `hostvar "node-1" "storage_address"` → one variable of another host (facts.x works too). */
  h('hostvar', (...a) => {
    const [host, path] = args(a);
    const hostvars = root(a).hostvars as Record<string, Record<string, unknown>> | undefined;
    if (!hostvars || !Object.prototype.hasOwnProperty.call(hostvars, String(host))) throw new TemplateError(`hostvar: unknown host '${String(host)}'`);
    // Strict like any variable: an undefined variable of another host is an error naming both.
    return String(path).split('.').reduce<unknown>((v, k, i, parts) => {
      if (v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k)) return (v as Record<string, unknown>)[k];
      throw new TemplateError(`undefined variable '${parts.slice(0, i + 1).join('.')}' of host '${String(host)}'`);
    }, hostvars[String(host)]);
  });
  registerJinjaFilters(hb);
  registerAnsibleFilters(hb);
  registerArithmetic(hb);
}
