// YAML 1.1 booleans (yes/no/on/off/True/False), which real Ansible playbooks are full of: our YAML 1.2 parser reads
// them as strings, so they are turned into booleans where a boolean is expected (schema-typed keywords and module
// args, conditions), with Ansible's meaning. Everywhere else a string stays a string.

// PyYAML's boolean words (Ansible's YAML): y/n are not among them.
const TRUE_WORDS = /^(yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE_WORDS = /^(no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** The boolean a YAML 1.1 boolean word means, or undefined for any other value. */
export function yaml11Boolean(value: unknown): boolean | undefined {
  if (typeof value !== 'string') return undefined;
  return TRUE_WORDS.test(value) ? true : FALSE_WORDS.test(value) ? false : undefined;
}

type Schema = { type?: unknown; pattern?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[] };

/** A schema's types; a string branch with a pattern (a template only, as `ignore_errors: "{{ x }}"`) takes no word. */
const typesOf = (s: Schema): unknown[] => (s.pattern !== undefined ? [] : Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]);

/** A schema that accepts a boolean and no plain string: a word there can only mean a boolean. */
function wantsBoolean(schema: Schema | undefined): boolean {
  if (!schema) return false;
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  const all = [...types, ...branches.flatMap(typesOf)];
  return all.includes('boolean') && !all.includes('string');
}

/** Replace boolean words by booleans, in place, wherever `schema` expects a boolean (nested mappings and lists too). */
export function coerceBooleans(schema: Schema, data: unknown): unknown {
  if (wantsBoolean(schema)) return yaml11Boolean(data) ?? data;
  if (Array.isArray(data) && schema.items) {
    data.forEach((item, i) => (data[i] = coerceBooleans(schema.items!, item)));
  } else if (data !== null && typeof data === 'object' && schema.properties) {
    const record = data as Record<string, unknown>;
    for (const [key, sub] of Object.entries(schema.properties)) if (key in record) record[key] = coerceBooleans(sub, record[key]);
  }
  return data;
}

/** A condition written as a boolean word (`failed_when: no`) is that boolean; lists are read item by item. */
export function conditionValue(condition: unknown): unknown {
  if (Array.isArray(condition)) return condition.map((c) => yaml11Boolean(c) ?? c);
  return yaml11Boolean(condition) ?? condition;
}
