// The Handlebars side of `runbook convert`'s expressions: an expression as text (a path, a literal or a helper call),
// how it nests, the scope of a template (loop variables, inlined `{% set %}` values), and the Unconvertible error.

import { Unconvertible, type JinjaNode } from './jinja-ast.js';

/** A Handlebars expression: a path or literal, or a helper call (`call`) that needs parentheses when nested. */
export interface Expression { text: string; call: boolean }

/** Names a template knows beyond its variables: loop variables (block params) and `{% set %}` values (inlined). */
export interface Scope { locals: Map<string, Expression>; loops: number; reserved: Set<string> }

export const newScope = (reserved: Iterable<string>): Scope => ({ locals: new Map(), loops: 0, reserved: new Set(reserved) });
export const atom = (text: string): Expression => ({ text, call: false });
/** The form of an expression as an argument: `(helper a b)` or the path itself. */
export const nested = (e: Expression): string => (e.call ? `(${e.text})` : e.text);
export const call = (helper: string, args: Expression[], hash: Record<string, Expression> = {}): Expression =>
  ({ text: [helper, ...args.map(nested), ...Object.entries(hash).map(([k, v]) => `${k}=${nested(v)}`)].join(' '), call: true });

export const fail = (node: JinjaNode, what: string): never => { throw new Unconvertible(what, node.lineno, node.colno); };

/** A Handlebars string literal (Handlebars knows one escape in strings: \\"). */
export function quoted(text: string): string {
  if (text.endsWith('\\')) throw new Unconvertible(`the string '${text}' (Handlebars strings cannot end with a backslash)`);
  return `"${text.replace(/"/g, '\\"')}"`;
}
