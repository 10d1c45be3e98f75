// Words for the argument rules module schemas state beyond types: combinations they refuse (if/then, not) — "'password'
// cannot be used with state: absent" —, choices between arguments (oneOf/anyOf of `required`: "needs exactly one of
// 'cmd' or 'argv'"), and patterns, told by their `patternHint` ("a user name, not an option") or their kind's `title`.

import type { ErrorObject } from 'ajv';

/** The subschema a JSON pointer (ajv's schemaPath, "#/allOf/0/if") names, or undefined. */
export function schemaAt(schema: unknown, pointer: string): any {
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
    else if (typeof rule?.patternHint === 'string') out.push(`\`${key}\` must be ${rule.patternHint}`);
  }
  for (const key of (then?.not?.required ?? []) as string[]) out.push(`\`${key}\` is not allowed`);
  return out;
}

/** Every combination rule of a schema (allOf of if/then and not-required pairs, oneOf/anyOf of required arguments,
 * dependentRequired), one sentence each, for the docs. */
export function describeRules(schema: any): string[] {
  const out: string[] = [];
  const code = (key: string) => `\`${key}\``;
  const choice = describeRequirement({ anyOf: schema?.anyOf, oneOf: schema?.oneOf }, code);
  if (choice) out.push(`${choice[0].toUpperCase()}${choice.slice(1)}.`);
  for (const rule of (schema?.allOf ?? []) as any[]) {
    const demand = rule.then ? describeDemand(rule.then) : [];
    if (rule.if && demand.length > 0) out.push(`With ${describeCondition(rule.if)}: ${demand.join(', ')}.`);
    else if (rule.if && rule.then && describeRequirement(rule.then, code)) out.push(`With ${describeCondition(rule.if)}: ${describeRequirement(rule.then, code)}.`);
    else if (Array.isArray(rule.not?.required)) out.push(`${rule.not.required.map(code).join(' and ')} cannot be used together.`);
  }
  for (const [key, deps] of Object.entries((schema?.dependentRequired ?? {}) as Record<string, string[]>)) out.push(`${code(key)} ${describeRequirement({ required: deps }, code)}.`);
  return out;
}

const quoted = (key: string) => `'${key}'`;

export function joinWords(words: string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 2) return words.join(` ${conjunction} `);
  return `${words.slice(0, -1).join(', ')}, ${conjunction} ${words[words.length - 1]}`;
}

/** A branch that only lists required arguments: `{required: [a, b]}` → "'a' + 'b'". */
function requiredBranch(schema: any, quote: (key: string) => string): string | undefined {
  if (!schema || typeof schema !== 'object' || !Array.isArray(schema.required)) return undefined;
  if (Object.keys(schema).some((k) => k !== 'required')) return undefined;
  return schema.required.map(quote).join(' + ');
}

function requiredBranches(list: unknown, quote: (key: string) => string): string[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const words = list.map((b) => requiredBranch(b, quote));
  return words.every((w): w is string => w !== undefined) ? words : undefined;
}

/** A choice between arguments in words ("needs 'from', 'join_command', or 'token' + 'hash'"), or undefined. */
export function describeRequirement(schema: any, quote: (key: string) => string = quoted): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const single = requiredBranch(schema, quote);
  if (single) return `needs ${single.split(' + ').join(' and ')}`;
  const any = requiredBranches(schema.anyOf, quote);
  if (any) return `needs ${joinWords(any, 'or')}`;
  const one = requiredBranches(schema.oneOf, quote);
  if (one) return `needs exactly one of ${joinWords(one, 'or')}`;
  return undefined;
}

/**
 * The schemaPath prefix of the errors one choice rule says in a sentence: a oneOf/anyOf of required arguments, or an
 * if/then whose then is such a choice. undefined for every other error (plain if/then required: describeCombination).
 */
export function choiceScope(e: ErrorObject, schema: unknown): string | undefined {
  if (e.keyword === 'if') {
    const parentPath = e.schemaPath.replace(/\/if$/, '');
    const then = schemaAt(schema, `${parentPath}/then`);
    return then && !requiredBranch(then, quoted) && describeRequirement(then) ? `${parentPath}/then` : undefined;
  }
  if (e.keyword === 'oneOf' || e.keyword === 'anyOf') return describeRequirement({ [e.keyword]: schemaAt(schema, e.schemaPath) }) ? `${e.schemaPath}/` : undefined;
  return undefined;
}

/** The sentence for an error choiceScope claims: "'state: join' needs ...", "'cmd' and 'argv' cannot be used together". */
export function describeChoice(e: ErrorObject, schema: unknown, field: string): string {
  const at = field ? `'${field}' ` : '';
  if (e.keyword === 'if') {
    const parentPath = e.schemaPath.replace(/\/if$/, '');
    return `${at}'${describeCondition(schemaAt(schema, `${parentPath}/if`))}' ${describeRequirement(schemaAt(schema, `${parentPath}/then`))}`;
  }
  const rule = schemaAt(schema, e.schemaPath) as Array<{ required: string[] }>;
  const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (e.keyword === 'oneOf' && Array.isArray(passing)) {
    const keys = [...new Set(passing.flatMap((i) => rule[i].required))].map(quoted);
    return `${at}${joinWords(keys, 'and')} cannot be used together (give exactly one)`;
  }
  return `${at}${describeRequirement({ [e.keyword]: rule })}`;
}
