// Templating: Handlebars with noEscape (config files are not HTML) and strict lookups, so an undefined variable is
// an error naming the variable, the task and the host — never an empty string.

import Handlebars from 'handlebars';
import { TemplateError, type SourceLocation } from '../errors.js';
import { isTruthyText, registerHelpers, truthy } from './helpers.js';
import { quoteArg } from './shell-quote.js';
import { describePathProblem, diagnosePath } from './path-diagnosis.js';
import { shellContexts, type ShellDialect } from './shell-context.js';

export interface TemplateWhere {
  task?: string;
  host?: string;
  location?: SourceLocation;
  file?: string;
}

const hb = Handlebars.create();
registerHelpers(hb);

/** The helpers templates may call (Handlebars' own and runbook's). */
export function helperNames(): string[] {
  return Object.keys(hb.helpers);
}

// Captures the raw value of a single-expression template ("{{ packages }}" → the list itself).
let captured: { value: unknown; set: boolean } = { value: undefined, set: false };
hb.registerHelper('__raw', (value: unknown) => {
  captured = { value, set: true };
  return '';
});

/** Compiled templates by source; bounded, so a long-lived process (soak, a server) cannot grow it forever. */
const cache = new Map<string, HandlebarsTemplateDelegate>();
const CACHE_MAX = 5000;
const FORBIDDEN = /(^|[{.\s(\[/])(__proto__|constructor|prototype|__defineGetter__|__defineSetter__|__lookupGetter__)\b/;

function whereText(w: TemplateWhere = {}): string {
  const parts: string[] = [];
  if (w.task) parts.push(`in task '${w.task}'`);
  if (w.host) parts.push(`on host '${w.host}'`);
  if (w.file) parts.push(`in template ${w.file}`);
  return parts.join(' ');
}

function fail(message: string, w: TemplateWhere = {}, cause?: unknown): TemplateError {
  const suffix = whereText(w);
  return new TemplateError(`${message}${suffix ? ` ${suffix}` : ''}`, { location: w.location, task: w.task, host: w.host, cause });
}

function compile(template: string, w?: TemplateWhere): HandlebarsTemplateDelegate {
  let fn = cache.get(template);
  if (fn) return fn;
  const inside = template.match(/\{\{[^}]*\}\}/g) ?? [];
  if (inside.some((m) => FORBIDDEN.test(m))) throw fail(`template tries to reach a prototype (${template.slice(0, 80)}): not allowed`, w);
  try {
    // Parse now so syntax errors surface here, with their position, rather than at first render.
    hb.parse(template);
    fn = hb.compile(template, { noEscape: true, strict: true });
  } catch (e) {
    throw fail(`template syntax error: ${(e as Error).message.split('\n')[0]}`, w, e);
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string); // oldest first
  cache.set(template, fn);
  return fn;
}

/** Turn Handlebars' runtime messages into ours: undefined variable or unknown helper, by name. */
function translate(e: unknown, template: string, w?: TemplateWhere, ctx?: Record<string, unknown>): TemplateError {
  // A helper's own error (hostvar) learns where it happened; a variable's error already knows.
  if (e instanceof TemplateError) return e.task || e.host || e.location ? e : fail(e.message, w, e);
  const msg = (e as Error).message ?? String(e);
  // A wrong path (r.results.0.stat.path): name the expression and the first missing part, not a JS TypeError.
  const problem = ctx ? diagnosePath(template, ctx) : undefined;
  if (problem) return fail(describePathProblem(problem, template), w, e);
  const m = /"([^"]+)" not defined in/.exec(msg);
  if (m) {
    const name = m[1];
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const asHelper = new RegExp(`(\\{\\{[#/]?|\\()\\s*${escaped}\\s+[^\\s}]`).test(template);
    if (asHelper) return fail(`unknown helper '${name}'`, w, e);
    return fail(`undefined variable '${name}'`, w, e);
  }
  const helper = /Missing helper: "?([^"\s]+)"?/.exec(msg);
  if (helper) return fail(`unknown helper '${helper[1]}'`, w, e);
  return fail(`template error: ${msg.split('\n')[0]}`, w, e);
}

/** Render one template string. */
export function renderString(template: string, ctx: Record<string, unknown>, where?: TemplateWhere): string {
  if (!template.includes('{{')) return template;
  const fn = compile(template, where);
  try {
    return fn(ctx, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (e) {
    throw translate(e, template, where, ctx);
  }
}

const asText = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
// One helper per shell context: unquoted → one single-quoted word; inside "..." → \ $ ` " escaped; inside '...' → ' closed, escaped, reopened.
hb.registerHelper('__q', (value: unknown) => quoteArg(asText(value)));
hb.registerHelper('__dq', (value: unknown) => asText(value).replace(/[\\$`"]/g, '\\$&'));
hb.registerHelper('__sq', (value: unknown) => asText(value).replace(/'/g, `'\\''`));
const HELPER_OF = { plain: '__q', double: '__dq', single: '__sq' } as const;

/** `{{~ expr ~}}` (or `{{& expr}}`) → `{{~helper (expr)~}}`. */
function wrapMustache(text: string, helper: string): string {
  const m = /^\{\{(~?)\s*&?\s*([\s\S]*?)\s*(~?)\}\}$/.exec(text)!;
  const expr = m[2];
  const call = /\s/.test(expr) && !expr.startsWith('(') ? `(${expr})` : expr;
  return `{{${m[1]}${helper} ${call}${m[3]}}}`;
}

/** The template with each value wrapped in the quoting helper of its shell context; throws where no value may go. */
function quoteByContext(template: string, dialect: ShellDialect, where?: TemplateWhere): string {
  let out = '';
  let last = 0;
  for (const { mustache, context } of shellContexts(template, dialect)) {
    if (context.kind === 'refused') throw fail(`${mustache.text} is ${context.reason}: a templated value may not go there`, where);
    out += template.slice(last, mustache.start) + wrapMustache(mustache.text, HELPER_OF[context.kind]);
    last = mustache.end;
  }
  return out + template.slice(last);
}

/**
 * Render a command line: every {{expr}} (and {{& expr}}) is quoted for the shell context where it sits — one word
 * unquoted, escaped inside "..." or '...' — so a value can never become shell syntax or several words.
 * {{{expr}}} inserts raw text, for the rare value that is meant to be shell syntax.
 */
export function renderShellString(template: string, ctx: Record<string, unknown>, where?: TemplateWhere, dialect: ShellDialect = 'sh'): string {
  if (!template.includes('{{')) return template;
  return renderString(quoteByContext(template, dialect, where), ctx, where);
}

/** Validate-time check of a command line: templates where no value may go (backticks, comments, here-documents). */
export function checkShellTemplate(template: string, dialect: ShellDialect, where: TemplateWhere): TemplateError[] {
  try {
    quoteByContext(template, dialect, where);
    return [];
  } catch (e) {
    return [e as TemplateError];
  }
}

// Only spaces may surround the expression: "{{ n }}\n" is text ("5\n"), as in Ansible.
const SINGLE = /^[ \t]*\{\{\s*([^{}#/!>&^][^{}]*?)\s*\}\}[ \t]*$/;

/** The raw value of "{{ expr }}" (a list stays a list); undefined when the string is not a single expression. */
function renderSingle(template: string, ctx: Record<string, unknown>, where?: TemplateWhere): { value: unknown } | undefined {
  const m = SINGLE.exec(template);
  if (!m || m[1].startsWith('else')) return undefined;
  const expr = m[1].trim();
  const isCall = /\s/.test(expr) && !expr.startsWith('(');
  const wrapped = `{{__raw ${isCall ? `(${expr})` : expr}}}`;
  const fn = compile(wrapped, where);
  captured = { value: undefined, set: false };
  try {
    fn(ctx, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (e) {
    throw translate(e, template, where, ctx);
  }
  if (!captured.set) return undefined;
  if (captured.value === undefined && !isCall) {
    // Parameters are not strict in Handlebars: check the path by hand so `{{ typo }}` still fails loudly.
    const root = expr.replace(/^\(|\)$/g, '').split(/[.\s[]/)[0];
    throw fail(`undefined variable '${root in ctx ? expr : root}'`, where);
  }
  return { value: captured.value };
}

/** Deep-render every string of a value; a string that is one "{{ expr }}" yields the raw value. */
export function renderValue<T>(value: T, ctx: Record<string, unknown>, where?: TemplateWhere): T {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const single = renderSingle(value, ctx, where);
    return (single ? single.value : renderString(value, ctx, where)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, ctx, where)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, ctx, where);
    return out as T;
  }
  return value;
}

export { isTruthyText };

/** when / changed_when / failed_when / until: booleans as is, expressions without braces, or full templates. */
export function evaluateCondition(expr: unknown, ctx: Record<string, unknown>, where?: TemplateWhere): boolean {
  if (expr === undefined || expr === null) return true;
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'number') return expr !== 0;
  if (Array.isArray(expr)) return expr.every((e) => evaluateCondition(e, ctx, where));
  if (typeof expr !== 'string') throw fail(`a condition must be a string, boolean or list, got ${typeof expr}`, where);
  const text = expr.trim();
  if (text.includes('{{')) return isTruthyText(renderString(text, ctx, where));
  const single = renderSingle(`{{${text}}}`, ctx, where);
  return truthy(single?.value); // the same reading as the and/or/not helpers
}

/** Syntax-only check of every template string in a value: errors, never throws. */
export function checkTemplates(value: unknown, where: TemplateWhere): TemplateError[] {
  const errors: TemplateError[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string' && v.includes('{{')) {
      try {
        compile(v, where);
      } catch (e) {
        errors.push(e as TemplateError);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return errors;
}
