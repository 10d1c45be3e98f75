// Ansible's argument spec check (ArgumentSpecValidator, as role meta/argument_specs.yml uses it): required options,
// each value converted to its type as Ansible converts it (int from "80", bool from "yes", list from "a,b"), choices;
// the errors in Ansible's own words, so a role's users read the message they know.

export interface OptionSpec {
  type?: string;
  required?: boolean;
  choices?: unknown[];
  elements?: string;
  options?: Record<string, OptionSpec>;
  default?: unknown;
}

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't', '1.0'];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f', '0.0'];
const VALID_BOOLEANS = "0, 1, '1', 'no', 'on', 'f', 'true', 'y', 'off', 'false', 'yes', 't', 'n', '0'";

/** Python's name of a value's type, as Ansible prints it. */
function pythonType(v: unknown): string {
  const name = v === null || v === undefined ? 'NoneType' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float')
    : typeof v === 'string' ? 'str' : Array.isArray(v) ? 'list' : 'dict';
  return `<class '${name}'>`;
}

class Unconvertible extends Error {}

const cannot = (v: unknown, to: string): never => { throw new Unconvertible(`${pythonType(v)} cannot be converted to ${to}`); };

/** The value converted to `type` as Ansible's check_type_* do, or an Unconvertible error with Ansible's reason. */
function convert(value: unknown, type: string): unknown {
  switch (type) {
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
      return cannot(value, 'an int');
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      return cannot(value, 'a float');
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const word = String(value).toLowerCase();
      if ((typeof value === 'string' || typeof value === 'number') && TRUE_WORDS.includes(word)) return true;
      if ((typeof value === 'string' || typeof value === 'number') && FALSE_WORDS.includes(word)) return false;
      throw new Unconvertible(`The value ${typeof value === 'string' ? `'${value}'` : String(value)} is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`);
    }
    case 'list':
      if (Array.isArray(value)) return value;
      if (typeof value === 'string') return value.split(',');
      if (typeof value === 'number') return [String(value)];
      return cannot(value, 'a list');
    case 'dict':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
      return cannot(value, 'a dict');
    case 'str': case 'path': case 'raw': case 'bits': case 'bytes': case 'jsonarg': case 'json':
      return value;
    default:
      return value;
  }
}

const listing = (values: unknown[]): string => values.map(String).join(', ');

/** Every problem of `provided` against `options`, in Ansible's words (empty: valid); `prefix` names nested options. */
export function argumentSpecErrors(options: Record<string, OptionSpec>, provided: (name: string) => { found: boolean; value: unknown }, prefix = ''): string[] {
  const missing = Object.entries(options).filter(([name, spec]) => spec.required && !provided(name).found).map(([name]) => name);
  const errors = missing.length > 0 ? [`missing required arguments: ${missing.sort().join(', ')}${prefix ? ` found in ${prefix}` : ''}`] : [];
  const choiceErrors: string[] = [];
  for (const [name, spec] of Object.entries(options)) {
    const { found, value } = provided(name);
    if (!found || value === null || value === undefined) continue;
    let converted: unknown = value;
    try {
      converted = convert(value, spec.type ?? 'str');
      if (Array.isArray(converted) && spec.elements) converted = converted.map((e) => convert(e, spec.elements!));
    } catch (e) {
      if (!(e instanceof Unconvertible)) throw e;
      errors.push(`argument '${prefix}${name}' is of type ${pythonType(value)} and we were unable to convert to ${spec.type}: ${e.message}`);
      continue;
    }
    if (spec.choices) choiceErrors.push(...choiceProblem(`${prefix}${name}`, converted, spec.choices));
    if (spec.options && converted !== null && typeof converted === 'object') {
      for (const sub of Array.isArray(converted) ? converted : [converted]) {
        const record = (sub ?? {}) as Record<string, unknown>;
        errors.push(...argumentSpecErrors(spec.options, (n) => ({ found: n in record, value: record[n] }), `${prefix}${name}.`));
      }
    }
  }
  return [...errors, ...choiceErrors];
}

function choiceProblem(name: string, value: unknown, choices: unknown[]): string[] {
  const known = choices.map(String);
  if (Array.isArray(value)) {
    const wrong = value.filter((v) => !known.includes(String(v)));
    return wrong.length > 0 ? [`value of ${name} must be one or more of: ${listing(choices)}. Got no match for: ${listing(wrong)}`] : [];
  }
  return known.includes(String(value)) ? [] : [`value of ${name} must be one of: ${listing(choices)}, got: ${String(value)}`];
}
