// A Jinja2 template (a template file or a templated YAML string) written as a runbook Handlebars template: output
// expressions, {% if %}/{% elif %}/{% else %}, {% for %} (as #for), {% set %} (inlined), comments, and the whitespace
// Ansible's Jinja gives (trim_blocks: the newline after a block tag goes) kept exactly under Handlebars' own rules.

import { childrenOf, parseJinja, Unconvertible, type JinjaNode } from './jinja-ast.js';
import { convertExpression } from './jinja-expression.js';
import { nested, newScope, type Expression, type Scope } from './handlebars-expression.js';
import { layOut, type Piece } from './template-layout.js';

/** What could not be converted, at its line and column (1-based) in the text. */
export interface TemplateProblem { line: number; column: number; message: string }

/** Converted text, or the problems that kept it from converting. */
export type TemplateConversion = { ok: true; text: string } | { ok: false; problems: TemplateProblem[] };

interface Writer { pieces: Piece[]; source: string; lineStarts: number[] }

const problemOf = (e: unknown): TemplateProblem => {
  if (e instanceof Unconvertible) return { line: e.line + 1, column: e.column + 1, message: e.message };
  throw e;
};

/** The offset of a (0-based) line and column in the source. */
const offsetOf = (w: Writer, line: number, column: number): number => (w.lineStarts[line] ?? w.source.length) + column;

function endOf(w: Writer, node: JinjaNode): number {
  return offsetOf(w, node.lineno, node.colno) + String(node.value ?? '').length;
}

/** nunjucks drops comments: two text pieces with a gap between them had one; it becomes a Handlebars comment. */
function comment(w: Writer, from: number, to: number): void {
  const raw = w.source.slice(from, to).trim();
  if (!raw.startsWith('{#')) return;
  const body = raw.replace(/^\{#-?/, '').replace(/-?#\}$/, '').trim();
  w.pieces.push({ kind: 'block', text: body.includes('--}}') ? '' : `{{!-- ${body} --}}` });
}

function writeOutput(w: Writer, node: JinjaNode, scope: Scope, lastText: { end?: number }): void {
  for (const child of childrenOf(node)) {
    if (child.typename === 'TemplateData') {
      const start = offsetOf(w, child.lineno, child.colno);
      if (lastText.end !== undefined && start > lastText.end) comment(w, lastText.end, start);
      w.pieces.push({ kind: 'text', text: String(child.value) });
      lastText.end = endOf(w, child);
      continue;
    }
    lastText.end = undefined;
    if (child.typename === 'InlineIf') { writeInlineIf(w, child, scope); continue; }
    writeValue(w, convertExpression(child, scope));
  }
}

const BOOLEAN_HELPERS = /^(eq|ne|lt|gt|le|ge|and|or|not|defined|in|bool|regex_match|is|version_compare|startswith|endswith) /;

/** A literal prints as text; a true/false prints as Python prints it (True/False); anything else as a mustache. */
function writeValue(w: Writer, e: Expression): void {
  if (!e.call && e.text.startsWith('"')) w.pieces.push({ kind: 'text', text: e.text.slice(1, -1).replace(/\\"/g, '"') });
  else if (!e.call && /^-?\d/.test(e.text)) w.pieces.push({ kind: 'text', text: e.text });
  else if (e.text === 'true' || e.text === 'false') w.pieces.push({ kind: 'text', text: e.text === 'true' ? 'True' : 'False' });
  else if (BOOLEAN_HELPERS.test(e.text) || /^@(first|last)$/.test(e.text)) w.pieces.push({ kind: 'value', text: `{{#if ${nested(e)}}}True{{else}}False{{/if}}` });
  else w.pieces.push({ kind: 'value', text: `{{${e.text}}}` });
}

/** `{{ expr }}` alone: its value as it is (a list stays a list in a YAML value, as in Ansible). */
function singleExpression(root: JinjaNode, reserved: Iterable<string>): string | undefined {
  const outputs = childrenOf(root);
  const only = outputs.length === 1 && outputs[0].typename === 'Output' ? childrenOf(outputs[0]) : [];
  if (only.length !== 1 || only[0].typename === 'TemplateData' || only[0].typename === 'InlineIf') return undefined;
  return `{{${convertExpression(only[0], newScope(reserved)).text}}}`;
}

/** `{{ a if c else b }}` alone in its braces → `{{#if c}}{{a}}{{else}}{{b}}{{/if}}`. */
function writeInlineIf(w: Writer, node: JinjaNode, scope: Scope): void {
  w.pieces.push({ kind: 'value', text: `{{#if ${nested(convertExpression(node.cond as JinjaNode, scope))}}}` });
  writeValue(w, convertExpression(node.body as JinjaNode, scope));
  if (node.else_) {
    w.pieces.push({ kind: 'value', text: '{{else}}' });
    writeValue(w, convertExpression(node.else_ as JinjaNode, scope));
  }
  w.pieces.push({ kind: 'value', text: '{{/if}}' });
}

function writeIf(w: Writer, node: JinjaNode, scope: Scope, opening = '#if'): void {
  w.pieces.push({ kind: 'block', text: `{{${opening} ${nested(convertExpression(node.cond as JinjaNode, scope))}}}` });
  writeBody(w, node.body as JinjaNode, { ...scope, locals: new Map(scope.locals) }, true);
  const otherwise = node.else_ as JinjaNode | undefined;
  if (otherwise?.typename === 'If') return writeIf(w, otherwise, scope, 'else if');
  if (otherwise) {
    w.pieces.push({ kind: 'block', text: '{{else}}' });
    writeBody(w, otherwise, { ...scope, locals: new Map(scope.locals) }, true);
  }
  w.pieces.push({ kind: 'block', text: '{{/if}}' });
}

function writeFor(w: Writer, node: JinjaNode, scope: Scope): void {
  const target = node.name as JinjaNode;
  const names = (target.typename === 'Array' ? childrenOf(target) : [target]).map((n) => String(n.value));
  const list = convertExpression(node.arr as JinjaNode, scope);
  const inner: Scope = { ...scope, locals: new Map(scope.locals), loops: scope.loops + 1 };
  names.forEach((n) => inner.locals.set(n, { text: n, call: false }));
  w.pieces.push({ kind: 'block', text: `{{#for ${nested(list)} as |${names.join(' ')}|}}` });
  writeBody(w, node.body as JinjaNode, inner, false);
  if (node.else_) {
    w.pieces.push({ kind: 'block', text: '{{else}}' });
    writeBody(w, node.else_ as JinjaNode, { ...scope, locals: new Map(scope.locals) }, false);
  }
  w.pieces.push({ kind: 'block', text: '{{/for}}' });
}

/** `{% set x = expr %}`: later uses of x read expr itself (Jinja's set has no side effects to keep). */
function writeSet(w: Writer, node: JinjaNode, scope: Scope, inIf: boolean): void {
  const targets = childrenOf({ typename: 'NodeList', lineno: 0, colno: 0, children: node.targets as JinjaNode[] });
  if (!node.value || targets.length !== 1) throw new Unconvertible('a block {% set %} or a set of several names', node.lineno, node.colno);
  if (inIf) throw new Unconvertible('{% set %} inside {% if %} (its value would depend on the branch)', node.lineno, node.colno);
  scope.locals.set(String(targets[0].value), convertExpression(node.value as JinjaNode, scope));
  w.pieces.push({ kind: 'block', text: '' });
}

function writeBody(w: Writer, list: JinjaNode, scope: Scope, inIf: boolean, start?: number): void {
  const lastText: { end?: number } = { end: start };
  for (const node of childrenOf(list)) {
    if (node.typename !== 'Output') lastText.end = undefined;
    switch (node.typename) {
      case 'Output': writeOutput(w, node, scope, lastText); break;
      case 'If': writeIf(w, node, scope); break;
      case 'For': writeFor(w, node, scope); break;
      case 'Set': writeSet(w, node, scope, inIf); break;
      default: throw new Unconvertible(`the tag {% ${node.typename.toLowerCase()} %}`, node.lineno, node.colno);
    }
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Convert a whole template; `reserved` are names that must be read as variables (helper names); `inYamlValue` as parseJinja's. */
export function convertTemplate(text: string, reserved: Iterable<string>, inYamlValue = false): TemplateConversion {
  try {
    const root = parseJinja(text, inYamlValue);
    const single = singleExpression(root, reserved);
    if (single !== undefined) return { ok: true, text: single };
    const w: Writer = { pieces: [], source: text, lineStarts: lineStarts(text) };
    writeBody(w, root, newScope(reserved), false, 0);
    return { ok: true, text: layOut(w.pieces) };
  } catch (e) {
    return { ok: false, problems: [problemOf(e)] };
  }
}

/** Convert one expression written without braces (a `when:` condition) to its Handlebars form without braces. */
export function convertCondition(text: string, reserved: Iterable<string>): { ok: true; text: string } | { ok: false; problems: TemplateProblem[] } {
  try {
    const root = parseJinja(`{{ ${text} }}`);
    const outputs = childrenOf(root);
    const only = outputs.length === 1 && outputs[0].typename === 'Output' ? childrenOf(outputs[0]) : [];
    if (only.length !== 1) throw new Unconvertible('a condition that is not one expression');
    return { ok: true, text: convertExpression(only[0], newScope(reserved)).text };
  } catch (e) {
    const problem = problemOf(e);
    return { ok: false, problems: [{ ...problem, column: Math.max(1, problem.column - 3) }] };
  }
}

