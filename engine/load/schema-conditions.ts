// Words for the argument rules module schemas state beyond types: combinations they refuse (if/then, not) — "'password'
// cannot be used with state: absent" — and patterns, told by their `patternHint` ("a user name, not an option").

import type { ErrorObject } from 'ajv';

/** The subschema a JSON pointer (ajv's schemaPath, "#/allOf/0/if") names, or undefined. */
function schemaAt(schema: unknown, pointer: string): any {
  return pointer.replace(/^#/, '').split('/').filter(Boolean).reduce<any>((s, k) => (s && typeof s === 'object' ? s[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), schema);
}

/** "state: absent", "state: started or restarted", "key_url" for the condition of an if/then rule. */
export function describeCondition(ifSchema: any): string {
  const parts: string[] = [];
  const props = (ifSchema?.properties ?? {}) as Record<string, any>;
  for (const [key, rule] of Object.entries(props)) {
    if (rule && 'const' in rule) parts.push(`${key}: ${String(rule.const)}`);
    else if (Array.isArray(rule?.enum)) parts.push(`${key}: ${rule.enum.map(String).join(' or ')}`);
  }
  for (const key of (ifSchema?.required ?? []) as string[]) if (!(key in props)) parts.push(key);
  for (const key of (ifSchema?.not?.required ?? []) as string[]) parts.push(`no ${key}`);
  return parts.join(', ') || 'these arguments';
}

/** The condition of the if/then rule a schemaPath lies under ("#/allOf/0/then/..."), or undefined. */
function enclosingCondition(schema: unknown, schemaPath: string): string | undefined {
  const at = schemaPath.lastIndexOf('/then/');
  if (at < 0) return undefined;
  return describeCondition(schemaAt(schema, `${schemaPath.slice(0, at)}/if`));
}

/**
 * The message for an error of a combination rule, null to drop it (an 'if' error: the 'then' errors say it better),
 * or undefined when the error is not one of these.
 */
export function describeCombination(e: ErrorObject, schema: unknown, field: string): string | null | undefined {
  if (e.keyword === 'if') return null;
  if (e.keyword === 'pattern') {
    const hint = schemaAt(schema, e.schemaPath.replace(/\/pattern$/, ''))?.patternHint as string | undefined;
    if (hint) return `'${field}' must be ${hint}`;
  }
  if (e.keyword === 'false schema') {
    const condition = enclosingCondition(schema, e.schemaPath);
    return condition ? `'${field}' cannot be used with ${condition}` : `'${field}' is not allowed here`;
  }
  if (e.keyword === 'not') {
    const refused = schemaAt(schema, e.schemaPath) as any;
    const names = (refused?.required ?? []) as string[];
    if (names.length > 1) return `${names.map((n) => `'${n}'`).join(' and ')} cannot be used together`;
    if (names.length === 1) {
      const condition = enclosingCondition(schema, e.schemaPath);
      return `'${names[0]}' cannot be used${condition ? ` with ${condition}` : ' here'}`;
    }
    return undefined;
  }
  if (e.keyword === 'const' || e.keyword === 'enum') {
    const condition = enclosingCondition(schema, e.schemaPath);
    const allowed = e.keyword === 'const' ? [(e.params as { allowedValue: unknown }).allowedValue] : (e.params as { allowedValues: unknown[] }).allowedValues;
    if (condition) return `'${field}' must be ${allowed.map(String).join(' or ')} with ${condition}`;
  }
  if (e.keyword === 'required') {
    const condition = enclosingCondition(schema, e.schemaPath);
    if (condition) return `missing required argument '${(e.params as { missingProperty: string }).missingProperty}' (needed with ${condition})`;
  }
  return undefined;
}

/** What one `then` (or `not`) asks, in words: "name is required", "enabled must be false", "password is not allowed". */
function describeDemand(then: any): string[] {
  const out: string[] = [];
  for (const key of (then?.required ?? []) as string[]) if (!(then?.properties && key in then.properties)) out.push(`\`${key}\` is required`);
  for (const [key, rule] of Object.entries((then?.properties ?? {}) as Record<string, any>)) {
    if (rule === false) out.push(`\`${key}\` is not allowed`);
    else if (rule && 'const' in rule) out.push(`\`${key}\` must be ${String(rule.const)}`);
    else if (Array.isArray(rule?.enum)) out.push(`\`${key}\` must be ${rule.enum.map(String).join(' or ')}`);
  }
  for (const key of (then?.not?.required ?? []) as string[]) out.push(`\`${key}\` is not allowed`);
  return out;
}

/** Every combination rule of a schema (allOf of if/then and not-required pairs), one sentence each, for the docs. */
export function describeRules(schema: any): string[] {
  const out: string[] = [];
  for (const rule of (schema?.allOf ?? []) as any[]) {
    if (rule.if && rule.then) out.push(`With ${describeCondition(rule.if)}: ${describeDemand(rule.then).join(', ')}.`);
    else if (Array.isArray(rule.not?.required)) out.push(`${rule.not.required.map((n: string) => `\`${n}\``).join(' and ')} cannot be used together.`);
  }
  return out;
}
