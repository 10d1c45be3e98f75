// Ansible's host patterns in inventories: `web[01:20].example.com`, `db-[a:f]`, `[1:10:2]` steps, several ranges in
// one name, and an optional `:port` (`[addr]:port` for IPv6), as plugins/inventory expand_hostname_range does.

/** Most names one pattern may expand to: a typo like [1:1000000] is refused instead of filling memory. */
export const MAX_RANGE_HOSTS = 10_000;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The values of one `[begin:end(:step)]` range, formatted (zero-padded like the begin bound). */
function rangeValues(spec: string): string[] {
  const bounds = spec.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error('a host range must be [begin:end] or [begin:end:step]');
  const [begin = '0', end, stepText = '1'] = [bounds[0] || '0', bounds[1], bounds[2]];
  if (!end) throw new Error('a host range must give its end value');
  const step = Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new Error(`host range step '${stepText}' must be a positive whole number`);
  if (LETTERS.includes(begin) && LETTERS.includes(end) && begin.length === 1 && end.length === 1) {
    const [from, to] = [LETTERS.indexOf(begin), LETTERS.indexOf(end)];
    if (from > to) throw new Error('a host range must have begin <= end');
    return [...LETTERS.slice(from, to + 1)].filter((_, i) => i % step === 0);
  }
  if (!/^\d+$/.test(begin) || !/^\d+$/.test(end)) throw new Error(`host range [${spec}] must be numbers or single letters`);
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width && width !== end.length) throw new Error('a host range must give begin and end with the same number of digits');
  const [from, to] = [Number(begin), Number(end)];
  if ((to - from) / step + 1 > MAX_RANGE_HOSTS) throw new Error(`host range [${spec}] expands to more than ${MAX_RANGE_HOSTS} hosts`);
  const out: string[] = [];
  for (let n = from; n <= to; n += step) out.push(width ? String(n).padStart(width, '0') : String(n));
  return out;
}

/** Every name a pattern stands for (ranges expanded, left to right); a name without ranges is itself. */
export function expandHostRanges(pattern: string): string[] {
  const open = pattern.indexOf('[');
  if (open < 0) return [pattern];
  const close = pattern.indexOf(']', open);
  if (close < 0) throw new Error(`host pattern '${pattern}' opens a range with '[' but never closes it`);
  const [head, spec, tail] = [pattern.slice(0, open), pattern.slice(open + 1, close), pattern.slice(close + 1)];
  const out: string[] = [];
  for (const value of rangeValues(spec)) {
    out.push(...expandHostRanges(`${head}${value}${tail}`));
    if (out.length > MAX_RANGE_HOSTS) throw new Error(`host pattern '${pattern}' expands to more than ${MAX_RANGE_HOSTS} hosts`);
  }
  return out;
}

/** `name:port` or `[ipv6]:port` → the name (ranges still in it) and the port, as Ansible's parse_address splits it. */
export function splitHostPort(text: string): { pattern: string; port?: number } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed && bracketed[1].includes(':')) return { pattern: bracketed[1], port: Number(bracketed[2]) };
  const plain = /^((?:[^:[\]]|\[[^\]]*\])+):(\d+)$/.exec(text);
  if (plain) return { pattern: plain[1], port: Number(plain[2]) };
  return { pattern: text };
}
