// Jinja's arithmetic (Python's): `a - b`, `a * b`, `a / b`, `a // b`, `a % b` as the helpers subtract, multiply,
// divide, floor_divide and modulo, with Python's types and errors (`add` is in jinja-filters.ts).

import type Handlebars from 'handlebars';
import { TemplateError } from '../errors.js';
import { filterRegistrar, pythonType } from './jinja-filters.js';

type HB = typeof Handlebars;

/** A number as Python sees it (a boolean is 0 or 1); undefined for anything else. */
const numberOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined);

const unsupported = (op: string, a: unknown, b: unknown): never => {
  throw new TemplateError(`unsupported operand type(s) for ${op}: '${pythonType(a)}' and '${pythonType(b)}'`);
};

function numbers(op: string, a: unknown, b: unknown): [number, number] {
  const [x, y] = [numberOf(a), numberOf(b)];
  if (x === undefined || y === undefined) return unsupported(op, a, b);
  if (y === 0 && op !== '-' && op !== '*') throw new TemplateError(op === '/' ? 'division by zero' : 'integer division or modulo by zero');
  return [x, y];
}

/** Python's `*`: numbers multiply; a text or a list times an integer repeats it. */
export function pythonMultiply(a: unknown, b: unknown): unknown {
  const [repeated, times] = typeof a === 'string' || Array.isArray(a) ? [a, b] : [b, a];
  if ((typeof repeated === 'string' || Array.isArray(repeated)) && Number.isInteger(numberOf(times))) {
    const n = Math.max(0, numberOf(times)!);
    return typeof repeated === 'string' ? repeated.repeat(n) : Array.from({ length: n }, () => repeated).flat();
  }
  const [x, y] = numbers('*', a, b);
  return x * y;
}

/** Python's `%` on numbers: the remainder has the divisor's sign. A text on the left is Python's formatting, refused. */
export function pythonModulo(a: unknown, b: unknown): number {
  if (typeof a === 'string') throw new TemplateError("'%' on a text is Python's string formatting, which runbook does not do: write concat or a template");
  const [x, y] = numbers('%', a, b);
  return ((x % y) + y) % y;
}

export function registerArithmetic(hb: HB): void {
  const h = filterRegistrar(hb);
  const params = (a: unknown[]) => a.slice(0, -1);
  h('subtract', (...a) => { const [x, y] = numbers('-', params(a)[0], params(a)[1]); return x - y; });
  h('multiply', (...a) => pythonMultiply(params(a)[0], params(a)[1]));
  h('divide', (...a) => { const [x, y] = numbers('/', params(a)[0], params(a)[1]); return x / y; });
  h('floor_divide', (...a) => { const [x, y] = numbers('//', params(a)[0], params(a)[1]); return Math.floor(x / y); });
  h('modulo', (...a) => pythonModulo(params(a)[0], params(a)[1]));
}
