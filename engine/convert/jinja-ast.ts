// Jinja2 text parsed into a syntax tree by nunjucks' parser (Jinja2's syntax, a maintained npm package): the one
// reader of Jinja in `runbook convert`; nothing here reads template text with regular expressions.

import { createRequire } from 'node:module';

/** A node of nunjucks' tree: `typename` says which (Symbol, Filter, If, For, Output, TemplateData, ...). */
export interface JinjaNode {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  children?: JinjaNode[];
  [field: string]: unknown;
}

/** Something `runbook convert` cannot write in Handlebars: kept as it is, behind a TODO naming the reason. */
export class Unconvertible extends Error {
  constructor(message: string, readonly line = 0, readonly column = 0) {
    super(message);
  }
}

const require = createRequire(import.meta.url);
let parser: { parse(src: string, extensions: unknown[], opts: Record<string, unknown>): JinjaNode } | undefined;

/** The tree of a Jinja2 template (whitespace kept as written; Ansible's trim_blocks is applied by the writer). */
export function parseJinja(text: string): JinjaNode {
  parser ??= require('nunjucks/src/parser.js');
  try {
    return parser!.parse(text, [], {});
  } catch (e) {
    const message = String((e as Error).message ?? e).replace(/^\(unknown path\)\s*/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    const at = /\[Line (\d+), Column (\d+)\]/.exec(message);
    throw new Unconvertible(`Jinja syntax runbook convert does not read: ${message.replace(/\[Line \d+, Column \d+\]\s*/, '')}`, at ? Number(at[1]) - 1 : 0, at ? Number(at[2]) : 0);
  }
}

/** A node's child nodes (`children` of a NodeList). */
export const childrenOf = (node: JinjaNode | undefined): JinjaNode[] => (node?.children ?? []) as JinjaNode[];
