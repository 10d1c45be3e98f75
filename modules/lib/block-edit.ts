// Ansible's blockinfile edit as a pure function of the file's text: a block between two marker lines inserted,
// replaced or removed (insertafter/insertbefore on RE2, `(?m)` matching the whole text, as ansible-core 2.14 does).

import { RE2JS } from 're2js';
import { ModuleError } from '../../engine/errors.js';

export interface BlockEdit {
  block: string;
  marker: string;
  marker_begin: string;
  marker_end: string;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  append_newline?: boolean;
  prepend_newline?: boolean;
}

/** Python's bytes.splitlines(keepends=True): lines end at \n, \r\n or \r. */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** The begin and end marker lines, each with its line break. */
export function markerLines(args: Pick<BlockEdit, 'marker' | 'marker_begin' | 'marker_end'>): [string, string] {
  return [`${args.marker.split('{mark}').join(args.marker_begin)}\n`, `${args.marker.split('{mark}').join(args.marker_end)}\n`];
}

function compile(pattern: string, what: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new ModuleError(`invalid ${what} /${pattern}/: ${(e as Error).message} (RE2 syntax: no backreferences or lookaround)`);
  }
}

/** A pattern whose leading inline flags include m: Ansible then matches it against the whole text. */
const isMultiline = (pattern: string) => /^\(\?[a-zA-Z]*m[a-zA-Z]*\)/.test(pattern);

const countNewlines = (text: string) => text.split('\n').length - 1;

/** Where a new block goes when the file has no complete pair of markers (blockinfile's n0). */
function insertionIndex(original: string, lines: string[], args: BlockEdit): number {
  const after = args.insertbefore === undefined ? args.insertafter ?? 'EOF' : undefined;
  const pattern = after !== undefined && after !== 'EOF' ? after : args.insertbefore !== undefined && args.insertbefore !== 'BOF' ? args.insertbefore : undefined;
  if (pattern === undefined) return after !== undefined ? lines.length : 0;
  const re = compile(pattern, after !== undefined ? 'insertafter' : 'insertbefore');
  let hit: number | undefined;
  if (isMultiline(pattern)) {
    const matcher = re.matcher(original);
    if (matcher.find()) hit = countNewlines(original.slice(0, after !== undefined ? matcher.end() : matcher.start()));
  } else {
    // Python's `$` also matches before a line's final \n: match the line without it.
    lines.forEach((line, i) => {
      if (re.matcher(line.endsWith('\n') ? line.slice(0, -1) : line).find()) hit = i;
    });
  }
  if (hit === undefined) return lines.length;
  return after !== undefined ? hit + 1 : hit;
}

/** The file's text after the edit (pure); `original` undefined: the file does not exist yet. */
export function editBlock(original: string | undefined, args: BlockEdit): string {
  const lines = splitLinesKeepEnds(original ?? '');
  const [begin, end] = markerLines(args);
  const present = args.state === 'present';
  let block = args.block;
  if (block !== '' && !block.endsWith('\n')) block += '\n';
  const blockLines = present && block !== '' ? [begin, ...splitLinesKeepEnds(block), end] : [];
  let first = -1;
  let last = -1;
  lines.forEach((line, i) => {
    if (line === begin) first = i;
    if (line === end) last = i;
  });
  let at: number;
  if (first < 0 || last < 0) at = insertionIndex(original ?? '', lines, args);
  else if (first < last) {
    lines.splice(first, last - first + 1);
    at = first;
  } else {
    lines.splice(last, first - last + 1);
    at = last;
  }
  if (at > 0 && !lines[at - 1].endsWith('\n')) lines[at - 1] += '\n';
  if (args.prepend_newline && present && at !== 0 && lines[at - 1] !== '\n') lines.splice(at++, 0, '\n');
  lines.splice(at, 0, ...blockLines);
  const next = at + blockLines.length;
  if (args.append_newline && present && next < lines.length && lines[next] !== '\n') lines.splice(next, 0, '\n');
  return lines.join('');
}
