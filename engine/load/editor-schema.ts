// What an editor needs to accept what the loader accepts: a module argument may be a template ("{{ port }}"), known
// only when the task runs (the loader leaves its type, enum and pattern to run time), and where a boolean is
// expected a YAML 1.1 boolean word (yes/no/on/off) is one. Used by `runbook schema` (playbook-schema.ts).

type Schema = Record<string, unknown>;

/** A string holding a template: its value is known when the task runs. */
const TEMPLATE: Schema = { type: 'string', pattern: '\\{\\{', description: 'A template, rendered when the task runs.' };
/** PyYAML's boolean words, as the loader reads them (yaml11-booleans.ts). */
const BOOLEAN_WORD: Schema = { enum: ['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'] };
const STRING_RULES = ['enum', 'const', 'pattern', 'format', 'minLength', 'maxLength', 'anyOf', 'oneOf', 'allOf', 'not', 'if'];

export interface EditorRules {
  /** Values may be templates (module arguments). */
  templates: boolean;
}

/** The schema of a mapping (module args, play, task keyword): each value it describes widened by the rules. */
export function forEditors(schema: Schema, rules: EditorRules): Schema {
  const out: Schema = { ...schema };
  const each = (value: unknown) => widenValue(value, rules);
  const mapValues = (value: unknown) => (isSchema(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, each(v)])) : value);
  if (isSchema(schema.properties)) out.properties = mapValues(schema.properties);
  if (isSchema(schema.patternProperties)) out.patternProperties = mapValues(schema.patternProperties);
  if (isSchema(schema.additionalProperties)) out.additionalProperties = each(schema.additionalProperties);
  if (isSchema(schema.dependentSchemas)) out.dependentSchemas = Object.fromEntries(Object.entries(schema.dependentSchemas).map(([k, v]) => [k, isSchema(v) ? forEditors(v, rules) : v]));
  if (Array.isArray(schema.items)) out.items = schema.items.map(each);
  else if (isSchema(schema.items)) out.items = each(schema.items);
  // Branches apply to the same value: their own values are widened, the branches themselves stay as they are (a
  // template accepted by two branches of a oneOf would match neither). `if` stays exact: it only selects.
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) out[key] = (schema[key] as unknown[]).map((b) => (isSchema(b) ? forEditors(b, rules) : b));
  }
  for (const key of ['then', 'else'] as const) if (isSchema(schema[key])) out[key] = forEditors(schema[key] as Schema, rules);
  return out;
}

/** One value: its own inside widened, then a template and boolean words accepted where the loader accepts them. */
function widenValue(value: unknown, rules: EditorRules): unknown {
  if (!isSchema(value)) return value;
  const inner = forEditors(value, rules);
  const alternatives: Schema[] = [];
  if (rules.templates && !acceptsEveryString(value)) alternatives.push(TEMPLATE);
  if (wantsBoolean(value)) alternatives.push(BOOLEAN_WORD);
  if (alternatives.length === 0) return inner;
  const { description, title, default: byDefault } = value;
  return { ...(description !== undefined ? { description } : {}), ...(title !== undefined ? { title } : {}), ...(byDefault !== undefined ? { default: byDefault } : {}), anyOf: [inner, ...alternatives] };
}

function typesOf(schema: Schema): string[] {
  return Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
}

/** A schema any string satisfies: no type other than string, no rule a string could break. */
function acceptsEveryString(schema: Schema): boolean {
  const types = typesOf(schema);
  return (types.length === 0 || types.includes('string')) && !STRING_RULES.some((k) => k in schema);
}

/** As yaml11-booleans.ts decides: a boolean and no string, in the type or its branches. */
function wantsBoolean(schema: Schema): boolean {
  const branches = [...((schema.anyOf as Schema[]) ?? []), ...((schema.oneOf as Schema[]) ?? [])].filter(isSchema);
  const all = [...typesOf(schema), ...branches.flatMap(typesOf)];
  return all.includes('boolean') && !all.includes('string');
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
