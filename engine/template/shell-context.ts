// Where each {{template}} of a command line lands in shell syntax (unquoted, "...", '...', or a place no value may go).

import type { ModuleDefinition } from '../types.js';

/** The shell context of one insertion point; `refused` says why a value may not be inserted there. */
export type ShellContext = { kind: 'plain' | 'double' | 'single' } | { kind: 'refused'; reason: string };

/** `sh`: a line run by /bin/sh -c; `words`: a line split into argv by quotes and backslashes only (command). */
export type ShellDialect = 'sh' | 'words';

/** One mustache of the template: its text, where it starts, and whether it inserts a value. */
export interface Mustache { text: string; start: number; end: number; inserts: boolean }

const MUSTACHE = /\{\{!--[\s\S]*?--\}\}|\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g;

/** Every mustache of a template, in order. Blocks, else, comments and partials insert no value. */
export function findMustaches(template: string): Mustache[] {
  const out: Mustache[] = [];
  for (const m of template.matchAll(MUSTACHE)) {
    const inner = m[0].replace(/^\{\{~?\s*/, '');
    const inserts = !/^[#/!>^]/.test(inner) && !/^else\b/.test(inner) && !m[0].startsWith('{{{');
    out.push({ text: m[0], start: m.index!, end: m.index! + m[0].length, inserts });
  }
  return out;
}

type Frame = 'plain' | 'paren' | 'double' | 'single' | 'dollar-single' | 'backtick' | 'parameter' | 'comment' | 'heredoc';

const REFUSED: Partial<Record<Frame, string>> = {
  backtick: 'inside `...` (a value there is parsed again by the shell): use $(...) instead',
  'dollar-single': "inside $'...'",
  parameter: 'inside ${...}',
  comment: 'inside a shell comment (a newline in the value would end the comment)',
  heredoc: 'inside a here-document (its body is not quoted; a value could end it): pass the value with stdin: or env:, or write the file with copy/template',
};

/** State of the scan: a stack of open quotes/substitutions, plus here-documents waiting for their body. */
interface Scan { stack: Frame[]; pendingHeredocs: Array<{ word: string; strip: boolean }>; heredoc?: { word: string; strip: boolean } }

function top(s: Scan): Frame { return s.stack[s.stack.length - 1]; }

function contextOf(s: Scan): ShellContext {
  const frame = top(s);
  if (frame === 'plain' || frame === 'paren') return { kind: 'plain' };
  if (frame === 'double' || frame === 'single') return { kind: frame };
  return { kind: 'refused', reason: REFUSED[frame] ?? `inside ${frame}` };
}

/** Read a here-document's delimiter after `<<` / `<<-`; returns the index after it. */
function readHeredoc(text: string, i: number, s: Scan): number {
  let j = i + 2;
  const strip = text[j] === '-';
  if (strip) j++;
  while (text[j] === ' ' || text[j] === '\t') j++;
  let word = '';
  while (j < text.length && !/[\s;&|<>()]/.test(text[j])) {
    if (text[j] !== '"' && text[j] !== "'" && text[j] !== '\\') word += text[j];
    j++;
  }
  s.pendingHeredocs.push({ word, strip });
  return j;
}

/** Inside a here-document body: at each line start, check whether the line ends it. */
function stepHeredoc(text: string, i: number, s: Scan): number {
  const end = text.indexOf('\n', i);
  const line = text.slice(i, end === -1 ? text.length : end);
  const doc = s.heredoc!;
  if ((doc.strip ? line.replace(/^\t+/, '') : line) === doc.word) {
    s.stack.pop();
    s.heredoc = undefined;
    return startHeredocBody(s, end === -1 ? text.length : end + 1);
  }
  return end === -1 ? text.length : end + 1;
}

function startHeredocBody(s: Scan, at: number): number {
  const next = s.pendingHeredocs.shift();
  if (next) {
    s.heredoc = next;
    s.stack.push('heredoc');
  }
  return at;
}

/** One step of sh syntax outside quotes (top level, or inside $(...) and (...)); returns the next index. */
function stepPlain(text: string, i: number, s: Scan, wordStart: boolean): number {
  const c = text[i];
  const two = text.slice(i, i + 2);
  if (c === '\\') return i + 2;
  if (two === "$'") { s.stack.push('dollar-single'); return i + 2; }
  if (two === '$(') { s.stack.push('paren'); return i + 2; }
  if (two === '${') { s.stack.push('parameter'); return i + 2; }
  if (c === "'") { s.stack.push('single'); return i + 1; }
  if (c === '"') { s.stack.push('double'); return i + 1; }
  if (c === '`') { s.stack.push('backtick'); return i + 1; }
  if (c === '(') { s.stack.push('paren'); return i + 1; }
  if (c === ')' && top(s) === 'paren') { s.stack.pop(); return i + 1; }
  if (c === '#' && wordStart) { s.stack.push('comment'); return i + 1; }
  if (two === '<<' && text[i + 2] !== '<') return readHeredoc(text, i, s);
  if (c === '\n' && s.pendingHeredocs.length > 0) return startHeredocBody(s, i + 1);
  return i + 1;
}

/** One step inside a quote or substitution that is not plain; returns the next index. */
function stepQuoted(text: string, i: number, s: Scan): number {
  const c = text[i];
  const frame = top(s);
  if (frame === 'single') { if (c === "'") s.stack.pop(); return i + 1; }
  if (frame === 'comment') { if (c === '\n') { s.stack.pop(); return stepPlain(text, i, s, true); } return i + 1; }
  if (c === '\\') return i + 2;
  if (frame === 'double') {
    if (c === '"') { s.stack.pop(); return i + 1; }
    if (c === '`') { s.stack.push('backtick'); return i + 1; }
    if (text.startsWith('$(', i)) { s.stack.push('paren'); return i + 2; }
    if (text.startsWith('${', i)) { s.stack.push('parameter'); return i + 2; }
    return i + 1;
  }
  const closer = frame === 'backtick' ? '`' : frame === 'parameter' ? '}' : "'";
  if (c === closer) s.stack.pop();
  return i + 1;
}

/** One step of the `words` dialect (the command module's splitter): quotes and backslashes only. */
function stepWords(text: string, i: number, s: Scan): number {
  const c = text[i];
  const frame = top(s);
  if (frame === 'single') { if (c === "'") s.stack.pop(); return i + 1; }
  if (c === '\\') return i + 2;
  if (frame === 'double') { if (c === '"') s.stack.pop(); return i + 1; }
  if (c === "'") s.stack.push('single');
  else if (c === '"') s.stack.push('double');
  return i + 1;
}

/** The shell context of every value-inserting mustache, in order (blocks and raw {{{...}}} are skipped). */
export function shellContexts(template: string, dialect: ShellDialect): Array<{ mustache: Mustache; context: ShellContext }> {
  const mustaches = findMustaches(template);
  const s: Scan = { stack: ['plain'], pendingHeredocs: [] };
  const out: Array<{ mustache: Mustache; context: ShellContext }> = [];
  let i = 0;
  let next = 0;
  let wordStart = true;
  while (i < template.length) {
    const m = mustaches[next];
    if (m && i >= m.start) {
      if (m.inserts) out.push({ mustache: m, context: contextOf(s) });
      i = m.end;
      next++;
      wordStart = false;
      continue;
    }
    const frame = top(s);
    const c = template[i];
    let step: number;
    if (frame === 'heredoc') step = stepHeredoc(template, i, s);
    else if (dialect === 'words') step = stepWords(template, i, s);
    else if (frame === 'plain' || frame === 'paren') step = stepPlain(template, i, s, wordStart);
    else step = stepQuoted(template, i, s);
    wordStart = /[\s;&|()]/.test(c);
    // Never step over the start of a mustache (an escaping backslash right before `{{` must not swallow it).
    i = m && step > m.start ? m.start : step;
  }
  return out;
}

/** How a module's arg is read when it is a command line: by /bin/sh (shellArgs), split into words (wordArgs), or not. */
export function commandLineDialect(module: ModuleDefinition, key: string): ShellDialect | undefined {
  if (module.shellArgs?.includes(key)) return 'sh';
  if (module.wordArgs?.includes(key)) return 'words';
  return undefined;
}
