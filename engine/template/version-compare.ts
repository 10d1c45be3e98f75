// Ansible's `version` test and `version_compare` filter: LooseVersion (the default) and StrictVersion, with Python's
// comparison rules and Ansible's error texts ("Version comparison failed: ...").

import { TemplateError } from '../errors.js';

type Part = number | string;

const OPERATORS: Record<string, 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'ne'> = {
  '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne',
};

const failed = (why: string): never => { throw new TemplateError(`Version comparison failed: ${why}`); };

/** LooseVersion: runs of digits (numbers), of lowercase letters, and whatever lies between, dots dropped. */
function looseParts(text: string): Part[] {
  return text.split(/(\d+|[a-z]+|\.)/).filter((p) => p !== '' && p !== '.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** StrictVersion: N.N[.N][{a|b}N]; the release as three numbers and the pre-release (or none). */
function strictParts(text: string): Part[] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(text);
  if (!m) return failed(`invalid version number '${text}'`);
  // A release without a pre-release sorts after every pre-release of it: '~' stands above 'a' and 'b'.
  return [Number(m[1]), Number(m[2]), Number(m[4] ?? 0), m[5] ? m[5][0] : '~', m[6] ? Number(m[6]) : 0];
}

const pythonTypeName = (p: Part) => (typeof p === 'number' ? 'int' : 'str');

/** Python's list comparison: -1, 0, 1; an int against a str at the first difference is Python's TypeError. */
function compareParts(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] !== typeof b[i]) {
      // Python's TypeError from `<` on the lists names the two types in order.
      return failed(`'<' not supported between instances of '${pythonTypeName(a[i])}' and '${pythonTypeName(b[i])}'`);
    }
    return a[i] < b[i] ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** `value is version(other, operator, strict=, version_type=)`. */
export function versionCompare(value: unknown, other: unknown, operator: unknown = 'eq', options: { strict?: unknown; version_type?: unknown } = {}): boolean {
  const { strict, version_type: versionType } = options;
  if (strict !== undefined && strict !== null && versionType !== undefined && versionType !== null) failed("Cannot specify both 'strict' and 'version_type'");
  if (value === undefined || value === null || value === '' || value === false || value === 0) throw new TemplateError('Input version value cannot be empty');
  if (other === undefined || other === null || other === '' || other === false || other === 0) throw new TemplateError('Version parameter to compare against cannot be empty');
  const type = strict ? 'strict' : String(versionType ?? 'loose');
  if (type !== 'loose' && type !== 'strict') {
    throw new TemplateError(`version_type '${type}' is not one runbook compares (it has loose, the default, and strict; Ansible also has semver, semantic, pep440)`);
  }
  const op = OPERATORS[String(operator)];
  if (!op) throw new TemplateError(`Invalid operator type (${String(operator)}). Must be one of ${Object.keys(OPERATORS).map((o) => `'${o}'`).join(', ')}`);
  const parse = type === 'strict' ? strictParts : looseParts;
  const a = parse(String(value));
  const b = parse(String(other));
  // As Python's LooseVersion: equal lists are 0, otherwise the list order decides (for == and != too).
  const equal = a.length === b.length && a.every((p, i) => p === b[i]);
  const order = equal ? 0 : compareParts(a, b);
  return { eq: order === 0, ne: order !== 0, lt: order < 0, le: order <= 0, gt: order > 0, ge: order >= 0 }[op];
}
