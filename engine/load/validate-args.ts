// Schema validation with ajv, with errors in a user's words: what is wrong, where (file:line:col), what was expected.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { RunbookError, type SourceLocation } from '../errors.js';
import type { ModuleDefinition } from '../types.js';
import type { TemplateWhere } from '../template/render.js';
import { choiceScope, describeChoice, describeCombination, schemaAt } from './schema-conditions.js';
import { precompiledValidator } from './schema-cache.js';
import { coerceBooleans } from './yaml11-booleans.js';

/** The options of every validator, also those generated at build time (scripts/precompile-schemas.mjs). */
export const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true } as const;
export const ajv = new Ajv(AJV_OPTIONS);

const compiled = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit) return hit;
  const fn = precompiledValidator(schema) ?? ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}

/** Edit distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

export function suggest(word: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= Math.max(2, Math.floor(word.length / 3)) && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(value)';
}

function valueAt(data: unknown, instancePath: string): unknown {
  return instancePath.split('/').filter(Boolean).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), data);
}

function propertiesAt(schema: Record<string, unknown>, instancePath: string): string[] {
  let s: any = schema;
  for (const k of instancePath.split('/').filter(Boolean)) {
    s = /^\d+$/.test(k) ? s?.items : s?.properties?.[k];
  }
  return Object.keys(s?.properties ?? {});
}

export interface ProblemContext {
  /** "task 'x' (module copy)" or "play 'y'". */
  subject: string;
  /** What a property is called here: argument or key. */
  noun: string;
  schema: Record<string, unknown>;
  data: unknown;
  /** Location of an instance path (key: the location of the key itself). */
  locate: (instancePath: string, key?: string) => SourceLocation | undefined;
  task?: string;
  /** Values containing "{{" are only known after rendering: their type/enum errors are left for run time. */
  lenientTemplates: boolean;
}

/** Errors left out: those a rule error explains, and the type errors of a value's other forms when one form fits its type. */
function coveredErrors(errors: ErrorObject[], schema: Record<string, unknown>): Set<ErrorObject> {
  const covered = new Set<ErrorObject>();
  for (const e of errors) {
    const scope = choiceScope(e, schema);
    if (scope !== undefined) {
      for (const o of errors) if (o !== e && o.schemaPath.startsWith(scope)) covered.add(o);
    } else if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      const inside = errors.filter((o) => o !== e && o.schemaPath.startsWith(`${e.schemaPath}/`));
      if (inside.some((o) => o.keyword !== 'type' && o.keyword !== e.keyword)) for (const o of inside) if (o.keyword === 'type') covered.add(o);
    }
  }
  return covered;
}

/** A value of the wrong kind (package name, path, ...): which kind, and why when the value shows it. */
function patternMessage(e: ErrorObject, c: ProblemContext, value: unknown): string {
  const kind = schemaAt(c.schema, e.schemaPath.replace(/\/pattern$/, ''))?.title as string | undefined;
  const text = String(value);
  const why = text.startsWith('-') ? ': it may not start with "-" (a program would read it as an option)'
    : /[\n\r\0]/.test(text) ? ': it may not contain a line break' : '';
  const expected = kind ? `is not a valid ${kind}` : `must match ${(e.params as { pattern: string }).pattern}`;
  const field = e.propertyName !== undefined ? `a key of '${fieldName(e.instancePath)}'` : `'${fieldName(e.instancePath)}'`;
  return `${field} ${expected} (got ${JSON.stringify(value)})${why}`;
}

/** Turn ajv errors into RunbookErrors, one per real problem. */
export function describeAjvErrors(errors: ErrorObject[], c: ProblemContext): RunbookError[] {
  const out: RunbookError[] = [];
  const seen = new Set<string>();
  const covered = coveredErrors(errors, c.schema);
  for (const e of errors) {
    if (covered.has(e)) continue;
    // A bad key of a mapping (propertyNames) is the value in question, not the mapping.
    const value = e.propertyName !== undefined ? e.propertyName : valueAt(c.data, e.instancePath);
    if (c.lenientTemplates && typeof value === 'string' && value.includes('{{') && e.keyword !== 'additionalProperties' && e.keyword !== 'required') continue;
    let msg: string;
    let location = c.locate(e.instancePath);
    const combination = choiceScope(e, c.schema) !== undefined ? describeChoice(e, c.schema, e.instancePath ? fieldName(e.instancePath) : '') : describeCombination(e, c.schema, fieldName(e.instancePath));
    if (combination === null) continue;
    if (combination !== undefined) msg = combination;
    else switch (e.keyword) {
      case 'additionalProperties': {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        const hint = suggest(extra, propertiesAt(c.schema, e.instancePath));
        msg = `unknown ${c.noun} '${fieldName(e.instancePath, extra)}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${propertiesAt(c.schema, e.instancePath).join(', ')}`;
        location = c.locate(e.instancePath, extra) ?? location;
        break;
      }
      case 'required':
        msg = `missing required ${c.noun} '${fieldName(e.instancePath, String((e.params as { missingProperty: string }).missingProperty))}'`;
        break;
      case 'dependentRequired': {
        const p = e.params as { property: string; missingProperty: string };
        msg = `${e.instancePath ? `'${fieldName(e.instancePath)}': ` : ''}'${p.property}' needs '${p.missingProperty}'`;
        break;
      }
      case 'type':
        msg = `'${fieldName(e.instancePath)}' must be ${String((e.params as { type: string }).type).replace(',', ' or ')}, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`}`;
        break;
      case 'enum':
        msg = `'${fieldName(e.instancePath)}' must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(value)})`;
        break;
      case 'pattern':
        msg = patternMessage(e, c, value);
        break;
      case 'propertyNames':
        if (errors.some((o) => o.schemaPath.startsWith(`${e.schemaPath}/`))) continue; // the key's own error says it
        msg = `'${fieldName(e.instancePath)}' has an invalid key ${JSON.stringify(value)}`;
        break;
      case 'oneOf':
      case 'anyOf':
        // The branch errors that follow say it better; keep this one only when alone.
        if (errors.some((o) => o !== e && !covered.has(o) && o.instancePath.startsWith(e.instancePath) && o.keyword !== 'oneOf' && o.keyword !== 'anyOf')) continue;
        msg = `'${fieldName(e.instancePath)}' does not match any allowed form`;
        break;
      default:
        msg = `'${fieldName(e.instancePath)}' ${e.message ?? 'is invalid'}`;
    }
    const key = `${e.instancePath}|${msg}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(new RunbookError('VALIDATION', `${c.subject}: ${msg}`, { location, task: c.task }));
  }
  return out;
}

/** Validate (and apply defaults to) a module's args after rendering; problems named with the task's location. */
export function validateModuleArgs(module: ModuleDefinition, args: Record<string, unknown>, where: TemplateWhere, lenientTemplates = false): RunbookError[] {
  const fn = compileSchema(module.schema);
  coerceBooleans(module.schema, args);
  if (fn(args)) return [];
  return describeAjvErrors(fn.errors ?? [], {
    subject: `task '${where.task ?? module.name}' (module ${module.name})`,
    noun: 'argument',
    schema: module.schema,
    data: args,
    locate: () => where.location,
    task: where.task,
    lenientTemplates,
  });
}
