// Python's `re` (what Ansible's regex_* filters and match/search/regex tests run) on RE2's linear-time engine: the
// pattern is translated from Python's syntax, and what RE2 cannot do exactly (backreferences, lookaround, verbose
// mode) is refused with the reason, never run differently.

import { RE2JS } from 're2js';
import { TemplateError } from '../errors.js';

/** Python's re.I / re.M / re.S, as Ansible's `ignorecase=` and `multiline=` set them. */
export interface PythonFlags { ignorecase?: boolean; multiline?: boolean; dotall?: boolean }

/** One match: the whole text, each group (null when it took no part), named groups' numbers, where it lies. */
export interface PythonMatch { text: string; groups: Array<string | null>; names: Record<string, number>; start: number; end: number }

interface Translated { source: string; beforeFinalNewline: string; multiline: boolean; dollars: number; names: Record<string, number> }

const refuse = (pattern: string, why: string): never => {
  throw new TemplateError(`regular expression /${pattern}/: ${why} (runbook runs Python's re syntax on RE2, which has no backreferences, lookaround or verbose mode)`);
};

/** `\x` escapes outside a character class: what RE2 writes for them. */
function translateEscape(pattern: string, at: number, inClass: boolean): [string, number] {
  const c = pattern[at + 1];
  if (c === undefined) return refuse(pattern, 'a trailing backslash');
  if (c === 'Z' && !inClass) return ['\\z', 2];
  if (c === 'b' && inClass) return ['\\x08', 2];
  if (c === '0') { const oct = /^0[0-7]{0,2}/.exec(pattern.slice(at + 1))![0]; return [`\\x{${parseInt(oct, 8).toString(16)}}`, 1 + oct.length]; }
  if (/[1-9]/.test(c)) return refuse(pattern, `the backreference \\${c}`);
  if (c === 'u' || c === 'U') {
    const hex = pattern.slice(at + 2, at + (c === 'u' ? 6 : 10));
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== (c === 'u' ? 4 : 8)) return refuse(pattern, `a bad escape \\${c}`);
    return [`\\x{${hex}}`, 2 + hex.length];
  }
  if ('dDwWsSbBAntrfvax'.includes(c)) return [`\\${c}`, 2];
  if (/[A-Za-z]/.test(c)) return refuse(pattern, `the escape \\${c} (Python: bad escape)`);
  return [`\\${c}`, 2];
}

/** `(?...)` openings: named groups, non-capturing groups, inline flags; lookaround and conditionals are refused. */
function translateGroupOpening(pattern: string, at: number): [string, number, string | undefined] {
  const rest = pattern.slice(at);
  const named = /^\(\?P<([A-Za-z_]\w*)>/.exec(rest);
  if (named) return [`(?P<${named[1]}>`, named[0].length, named[1]];
  if (rest.startsWith('(?#')) { const close = rest.indexOf(')'); return ['', close < 0 ? refuse(pattern, 'an unclosed comment') : close + 1, undefined]; }
  if (/^\(\?(=|!|<=|<!)/.test(rest)) return refuse(pattern, 'lookaround (?=, (?!, (?<=, (?<!');
  if (/^\(\?P=/.test(rest)) return refuse(pattern, 'the named backreference (?P=...)');
  if (/^\(\?[(>]/.test(rest)) return refuse(pattern, 'conditional or atomic groups');
  const flags = /^\(\?([aiLmsux]*)(?:-([imsx]+))?([:)])/.exec(rest);
  if (!flags) return refuse(pattern, `the group ${rest.slice(0, 4)}`);
  if ((flags[1] + (flags[2] ?? '')).includes('x')) return refuse(pattern, 'verbose mode (?x)');
  if (flags[1].includes('L')) return refuse(pattern, 'the locale flag (?L)');
  const on = flags[1].replace(/[au]/g, '');
  const off = flags[2] ?? '';
  if (!on && !off) return [flags[3] === ':' ? '(?:' : '', flags[0].length, undefined];
  return [`(?${on}${off ? `-${off}` : ''}${flags[3]}`, flags[0].length, undefined];
}

/** Python pattern → RE2 pattern, numbering groups as Python does. */
function translate(pattern: string, flags: PythonFlags): Translated {
  let out = '';
  let inClass = false;
  let dollars = 0;
  let groups = 0;
  const names: Record<string, number> = {};
  const multiline = flags.multiline === true || /^\(\?[aiLsux]*m[aiLmsux]*\)/.test(pattern);
  for (let at = 0; at < pattern.length;) {
    const c = pattern[at];
    if (c === '\\') { const [text, used] = translateEscape(pattern, at, inClass); out += text; at += used; continue; }
    if (inClass) {
      if (c === '[' && pattern[at + 1] === ':') refuse(pattern, "'[:' inside a character class (RE2 reads it as a POSIX class)");
      if (c === ']') inClass = false;
      out += c; at += 1; continue;
    }
    if (c === '[') {
      const opening = /^\[\^?\]?/.exec(pattern.slice(at))![0];
      out += opening; at += opening.length; inClass = true; continue;
    }
    if (c === '(' && pattern[at + 1] === '?') {
      const [text, used, name] = translateGroupOpening(pattern, at);
      if (text.startsWith('(?P<')) { groups += 1; names[name!] = groups; }
      out += text; at += used; continue;
    }
    if (c === '(') groups += 1;
    if (c === '$' && !multiline) { dollars += 1; out += '\u0000'; at += 1; continue; }
    if (c === '{' && pattern[at + 1] === ',') { out += '{0'; at += 1; continue; }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[at + 1] === '+') refuse(pattern, 'a possessive quantifier');
    out += c; at += 1;
  }
  if (inClass) refuse(pattern, 'an unterminated character class');
  return { source: out.replace(/\u0000/g, '$'), beforeFinalNewline: out.replace(/\u0000/g, '(?m:$)'), multiline, dollars, names };
}

interface Compiled { regex: RE2JS; names: Record<string, number>; beforeFinalNewline?: RE2JS; dollars: number }

const cache = new Map<string, Compiled>();

function compileWith(pattern: string, source: string, flags: PythonFlags, multiline: boolean): RE2JS {
  const bits = (flags.ignorecase ? RE2JS.CASE_INSENSITIVE : 0) | (multiline ? RE2JS.MULTILINE : 0) | (flags.dotall ? RE2JS.DOTALL : 0);
  try {
    return RE2JS.compile(source, bits);
  } catch (e) {
    return refuse(pattern, (e as Error).message);
  }
}

/** Compile a Python pattern once per pattern and flags. */
export function compilePython(pattern: string, flags: PythonFlags = {}): Compiled {
  const key = `${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}${flags.dotall ? 's' : ''}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const translated = translate(pattern, flags);
  const compiled: Compiled = { regex: compileWith(pattern, translated.source, flags, translated.multiline), names: translated.names, dollars: translated.dollars };
  // Python's `$` also matches before a final newline; on a text whose only newline is its last, RE2's multi-line `$` is exactly that.
  if (translated.dollars > 0) compiled.beforeFinalNewline = compileWith(pattern, translated.beforeFinalNewline, flags, translated.multiline);
  if (cache.size > 1000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** The RE2 program that gives Python's answer on this text. */
function programFor(compiled: Compiled, pattern: string, text: string): RE2JS {
  if (!compiled.beforeFinalNewline || !text.endsWith('\n')) return compiled.regex;
  if (text.indexOf('\n') === text.length - 1) return compiled.beforeFinalNewline;
  throw new TemplateError(`regular expression /${pattern}/: its '$' would also match before the final newline of a multi-line text (Python's rule), which runbook cannot reproduce exactly: use \\Z, multiline=true, or strip the text`);
}

/** Every non-overlapping match from the start (Python's finditer order; after an empty match the search moves on one). */
export function pythonMatches(pattern: string, text: string, flags: PythonFlags = {}, limit = Infinity): PythonMatch[] {
  const compiled = compilePython(pattern, flags);
  const matcher = programFor(compiled, pattern, text).matcher(text);
  const out: PythonMatch[] = [];
  let position = 0;
  while (out.length < limit && position <= text.length && matcher.find(position)) {
    const groups: Array<string | null> = [];
    for (let g = 1; g <= matcher.groupCount(); g += 1) groups.push(matcher.group(g));
    const match = { text: matcher.group() ?? '', groups, names: compiled.names, start: matcher.start(), end: matcher.end() };
    out.push(match);
    position = match.end > match.start ? match.end : match.end + 1;
  }
  return out;
}

/** Python's re.match (anchored at the start), re.search, re.fullmatch: is there such a match? */
export function pythonTest(pattern: string, text: string, flags: PythonFlags, kind: 'match' | 'search' | 'fullmatch'): boolean {
  const anchored = kind === 'search' ? pattern : kind === 'match' ? `(?:${pattern})` : `(?:${pattern})\\Z`;
  const first = pythonMatches(anchored, text, flags, 1)[0];
  return first !== undefined && (kind === 'search' || first.start === 0) && (kind !== 'fullmatch' || first.end === text.length);
}

/** One group of a match by number or name, as Python's match.group(). */
export function groupOf(match: PythonMatch, which: string | number, pattern: string): string | null {
  const index = typeof which === 'number' || /^\d+$/.test(which) ? Number(which) : match.names[which];
  if (index === undefined || index > match.groups.length) throw new TemplateError(`regular expression /${pattern}/ has no group ${String(which)}`);
  return index === 0 ? match.text : match.groups[index - 1];
}

const TEMPLATE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's replacement template (`\1`, `\g<1>`, `\g<name>`, `\n`) applied to one match. */
export function expandTemplate(template: string, match: PythonMatch, pattern: string): string {
  let out = '';
  for (let at = 0; at < template.length;) {
    const c = template[at];
    if (c !== '\\') { out += c; at += 1; continue; }
    const rest = template.slice(at + 1);
    const named = /^g<([^>]*)>/.exec(rest);
    const number = /^\d{1,2}/.exec(rest);
    if (named) { out += groupOf(match, named[1], pattern) ?? ''; at += 1 + named[0].length; continue; }
    if (number && number[0][0] !== '0') { out += groupOf(match, Number(number[0]), pattern) ?? ''; at += 1 + number[0].length; continue; }
    const next = rest[0];
    if (next === undefined) throw new TemplateError(`replacement '${template}': a trailing backslash (Python: bad escape)`);
    if (TEMPLATE_ESCAPES[next] !== undefined) { out += TEMPLATE_ESCAPES[next]; at += 2; continue; }
    if (/[A-Za-z0]/.test(next)) throw new TemplateError(`replacement '${template}': the escape \\${next} is not one runbook reproduces (Python: bad escape or octal)`);
    out += `\\${next}`; at += 2;
  }
  return out;
}

/** Python's re.sub(pattern, replacement, text). */
export function pythonSub(pattern: string, replacement: string, text: string, flags: PythonFlags = {}): string {
  let out = '';
  let last = 0;
  for (const match of pythonMatches(pattern, text, flags)) {
    out += text.slice(last, match.start) + expandTemplate(replacement, match, pattern);
    last = match.end;
  }
  return out + text.slice(last);
}

/** Python's re.escape (3.7+): a backslash before each of ()[]{}?*+-|^$\.&~# and whitespace. */
export function pythonEscape(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
}
