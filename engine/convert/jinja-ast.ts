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

const PYTHON_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

/** A Jinja string literal's body as Jinja reads it (Python's unicode-escape): `'\d'` stays `\d`, `'\\1'` is `\1`, `'\x41'` is `A`. */
export function pythonUnescape(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (all, code: string) => {
    if (PYTHON_ESCAPES[code] !== undefined) return PYTHON_ESCAPES[code];
    if (/^[xuU]./.test(code)) return String.fromCodePoint(parseInt(code.slice(1), 16));
    if (/^[0-7]+$/.test(code)) return String.fromCodePoint(parseInt(code, 8));
    return all;
  });
}

/** Whether the text being parsed is a YAML value: there Ansible doubles backslashes in `{{ }}` strings first (below). */
let yamlValue = false;

type Token = { type: string; value: string; lineno: number; colno: number };
type Tokenizer = { current(): string; forward(): void; back(): void; isFinished(): boolean; inVariable?: boolean; afterDot?: boolean };

/**
 * nunjucks reads `'\d'` as `d`; Jinja (Python) keeps unknown escapes, so strings are read by Python's rules. In a
 * YAML value Ansible doubles every backslash of a string inside `{{ }}` before Jinja reads it (its
 * _escape_backslashes: "\\1" is written once), so there such a string is its text as written.
 */
function readStringsAsJinja(lexer: { lex(src: string): object }): void {
  const tokenizer = Object.getPrototypeOf(lexer.lex('')) as { _parseString(this: Tokenizer, delimiter: string): string; nextToken(this: Tokenizer): Token | null };
  const nextToken = tokenizer.nextToken;
  tokenizer.nextToken = function (this: Tokenizer) {
    let token = nextToken.call(this) as Token | null;
    if (token?.type === 'variable-start') this.inVariable = true;
    if (token?.type === 'block-start' || token?.type === 'variable-end') this.inVariable = false;
    // Jinja's `item.1.path` is item[1].path; nunjucks reads `1.` as a number and wants a name after the dot.
    if (this.afterDot && (token?.type === 'int' || token?.type === 'float') && /^\d+\.?$/.test(token.value)) {
      if (token.value.endsWith('.')) this.back();
      token = { ...token, type: 'symbol', value: token.value.replace(/\.$/, '') };
    }
    this.afterDot = token?.type === 'operator' && token.value === '.';
    return token;
  };
  tokenizer._parseString = function (this: Tokenizer, delimiter: string): string {
    this.forward();
    let raw = '';
    while (!this.isFinished() && this.current() !== delimiter) {
      if (this.current() === '\\') { raw += '\\'; this.forward(); }
      raw += this.current();
      this.forward();
    }
    this.forward();
    return yamlValue && this.inVariable ? raw : pythonUnescape(raw);
  };
}

/** The tree of a Jinja2 template (whitespace kept as written; Ansible's trim_blocks is applied by the writer). `inYamlValue`: a playbook's value, not a template file or a condition. */
export function parseJinja(text: string, inYamlValue = false): JinjaNode {
  if (!parser) readStringsAsJinja(require('nunjucks/src/lexer.js'));
  parser ??= require('nunjucks/src/parser.js');
  yamlValue = inYamlValue;
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
