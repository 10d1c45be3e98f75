// When a template fails on a path (a wrong key into a registered loop result, a typo in a nested name), find the
// first segment that does not exist, so the error names the expression and what was there instead — never a raw
// JavaScript TypeError.

import Handlebars from 'handlebars';

type Node = hbs.AST.Node & Record<string, any>;

export interface PathProblem {
  /** The whole path as written: r.results.0.stat.path */
  expression: string;
  /** The first part that is missing: r.results.0.stat */
  missing: string;
  /** The keys the last existing part has (for "it has: ..."), when it is a mapping or list. */
  has?: string[];
}

/** Every variable path of a template (not helpers, not `this`/@data, not inside #each/#with bodies). */
function pathsOf(template: string): string[][] {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(template);
  } catch {
    return [];
  }
  const out: string[][] = [];
  const visit = (n: Node | undefined, asCallee = false): void => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'PathExpression') {
      if (!asCallee && !n.data && !n.this && n.depth === 0 && n.parts.length > 0) out.push(n.parts as string[]);
      return;
    }
    if (n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement') {
      const isCall = (n.params?.length ?? 0) > 0 || (n.hash?.pairs?.length ?? 0) > 0 || n.type !== 'MustacheStatement';
      visit(n.path, isCall);
      // `default a.b "d"` tolerates a missing b, not a missing a: its argument is diagnosed like any other.
      (n.params ?? []).forEach((p: Node) => visit(p));
      (n.hash?.pairs ?? []).forEach((p: Node) => visit(p.value));
      const name = n.path?.parts?.[0];
      if (n.type === 'BlockStatement' && name !== 'each' && name !== 'with') visit(n.program);
      if (n.type === 'BlockStatement') visit(n.inverse);
      return;
    }
    if (n.type === 'Program') (n.body ?? []).forEach((s: Node) => visit(s));
  };
  visit(ast as unknown as Node);
  return out;
}

function ownKey(value: unknown, key: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  try {
    return Object.prototype.hasOwnProperty.call(value, key);
  } catch {
    return false; // a variable that itself fails to render is reported on its own
  }
}

/** The first path of `template` that does not resolve in `ctx`, or undefined when every path does. */
export function diagnosePath(template: string, ctx: Record<string, unknown>): PathProblem | undefined {
  for (const parts of pathsOf(template)) {
    let value: unknown = ctx;
    for (let i = 0; i < parts.length; i++) {
      if (!ownKey(value, parts[i])) {
        if (i === 0 && parts.length === 1) break; // a bare name is Handlebars' own message (variable or helper)
        const has = value !== null && typeof value === 'object' && i > 0 ? Object.keys(value).slice(0, 12) : undefined;
        return { expression: parts.join('.'), missing: parts.slice(0, i + 1).join('.'), has };
      }
      value = (value as Record<string, unknown>)[parts[i]];
    }
  }
  return undefined;
}

/** "r.results.0.stat is undefined (r.results.0 has: changed, rc, stdout) in {{ r.results.0.stat.path }}". */
export function describePathProblem(p: PathProblem, template: string): string {
  const parent = p.missing.includes('.') ? p.missing.slice(0, p.missing.lastIndexOf('.')) : undefined;
  const has = parent && p.has ? ` (${parent} has: ${p.has.length > 0 ? p.has.join(', ') : 'nothing'})` : parent ? ` (${parent} is not a mapping)` : '';
  const shown = template.replace(/__(q|raw) /g, '').replace(/\s+/g, ' ').trim();
  return `undefined variable '${p.missing}'${has}, in the expression '${p.expression}' of ${shown.length > 120 ? `${shown.slice(0, 117)}...` : shown}`;
}
