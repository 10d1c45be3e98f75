// with_sequence: Ansible's sequence lookup. A term is `start=1 end=5 stride=1 format=%d` (or count= instead of end)
// or the shortcut `[start-]end[/stride][:format]`; items are the formatted numbers, always strings (as Ansible's).

import { ModuleError } from '../errors.js';

interface Sequence { start: number; end?: number; count?: number; stride: number; format: string }

const fail = (message: string) => new ModuleError(`with_sequence: ${message}`);
const NUMBER = '(?:0x[0-9a-f]+|0o[0-7]+|0b[01]+|\\d+)';
const SHORTCUT = new RegExp(`^(?:(${NUMBER})-)?(${NUMBER})(?:/(${NUMBER}))?(?::(.+))?$`, 'i');
// One printf conversion of an integer, as Python's `%` operator formats it: flags, width, precision, type.
const CONVERSION = /%([-+ 0#]*)(\d*)(?:\.(\d+))?([diouxXs])/;

/** An integer as Python's int(x, 0) reads it: decimal (no leading zeros), 0x hex, 0o octal, 0b binary. */
function integer(key: string, text: string): number {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  const negative = t.startsWith('-');
  const body = negative ? t.slice(1) : t.replace(/^\+/, '');
  const value = /^0x[0-9a-f]+$/.test(body) ? parseInt(body.slice(2), 16)
    : /^0o[0-7]+$/.test(body) ? parseInt(body.slice(2), 8)
    : /^0b[01]+$/.test(body) ? parseInt(body.slice(2), 2)
    : /^(?:[1-9]\d*|0+)$/.test(body) ? parseInt(body, 10) : NaN;
  if (!Number.isSafeInteger(value)) throw fail(`can't parse ${key}=${text} as integer`);
  return negative ? -value : value;
}

/** key=value words, values may be quoted ('...' or "..."). */
function keyValues(term: string): Record<string, string> {
  const out: Record<string, string> = {};
  const word = /\s*([A-Za-z_]+)=("[^"]*"|'[^']*'|\S+)/y;
  let at = 0;
  while (at < term.length && term.slice(at).trim() !== '') {
    word.lastIndex = at;
    const m = word.exec(term);
    if (!m) throw fail(`cannot read '${term.slice(at).trim()}' (write key=value words: start, end, count, stride, format)`);
    out[m[1]] = /^["']/.test(m[2]) ? m[2].slice(1, -1) : m[2];
    at = word.lastIndex;
  }
  return out;
}

function parseTerm(term: string): Sequence {
  const seq: Sequence = { start: 1, stride: 1, format: '%d' };
  const short = SHORTCUT.exec(term.trim());
  if (short) {
    if (short[1] !== undefined) seq.start = integer('start', short[1]);
    seq.end = integer('end', short[2]);
    if (short[3] !== undefined) seq.stride = integer('stride', short[3]);
    if (short[4] !== undefined) seq.format = short[4];
    return seq;
  }
  for (const [key, value] of Object.entries(keyValues(term))) {
    if (key === 'format') seq.format = value;
    else if (key === 'start' || key === 'end' || key === 'count' || key === 'stride') seq[key] = integer(key, value);
    else throw fail(`unrecognized arguments to with_sequence: ${key}`);
  }
  return seq;
}

/** Checks in Ansible's order and words; count becomes end. */
function checked(seq: Sequence): Required<Omit<Sequence, 'count'>> {
  if (seq.count === undefined && seq.end === undefined) throw fail('must specify count or end in with_sequence');
  if (seq.count !== undefined && seq.end !== undefined) throw fail("can't specify both count and end in with_sequence");
  let { start, stride } = seq;
  let end = seq.end ?? 0;
  if (seq.count !== undefined) {
    if (seq.count !== 0) end = start + seq.count * stride - 1;
    else [start, end, stride] = [0, 0, 0];
  }
  if (stride > 0 && end < start) throw fail('to count backwards make stride negative');
  if (stride < 0 && end > start) throw fail("to count forward don't make stride negative");
  if ((seq.format.match(/%/g) ?? []).length !== 1 || !CONVERSION.test(seq.format)) throw fail(`bad formatting string: ${seq.format}`);
  return { start, end, stride, format: seq.format };
}

function formatNumber(format: string, n: number): string {
  return format.replace(CONVERSION, (_all, flags: string, width: string, precision: string | undefined, type: string) => {
    const abs = Math.abs(n);
    let digits = type === 'x' ? abs.toString(16) : type === 'X' ? abs.toString(16).toUpperCase() : type === 'o' ? abs.toString(8) : String(abs);
    if (precision !== undefined && type !== 's') digits = digits.padStart(Number(precision), '0');
    if (flags.includes('#') && (type === 'x' || type === 'X')) digits = `0${type}${digits}`;
    if (flags.includes('#') && type === 'o') digits = `0o${digits}`;
    const sign = n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const size = Number(width || 0);
    if (flags.includes('-')) return `${sign}${digits}`.padEnd(size, ' ');
    if (flags.includes('0') && precision === undefined) return `${sign}${digits.padStart(size - sign.length, '0')}`;
    return `${sign}${digits}`.padStart(size, ' ');
  });
}

/** The items of with_sequence: each term (a string, or a list of them) gives its numbers, in order. */
export function sequenceItems(rendered: unknown): string[] {
  const terms = Array.isArray(rendered) ? rendered : [rendered];
  const out: string[] = [];
  for (const term of terms) {
    if (typeof term !== 'string' && typeof term !== 'number') throw fail(`a term must be a string like 'start=1 end=3', got ${JSON.stringify(term)}`);
    const { start, end, stride, format } = checked(parseTerm(String(term)));
    if (stride === 0) continue; // count=0, or stride=0: no items (as Ansible)
    // Bounded: Ansible's range(start, end + adjust, stride).
    for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) {
      out.push(formatNumber(format, i));
      if (out.length > 100_000) throw fail('more than 100000 items');
    }
  }
  return out;
}
