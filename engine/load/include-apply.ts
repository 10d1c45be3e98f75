// include_tasks / import_tasks written as a mapping (`include_tasks: {file: x.yml, apply: {tags: [x]}}`) and the
// `apply:` of include_tasks / include_role: the keywords Ansible gives every task the include runs.

import type { IncludeApply } from './playbook-types.js';
import { conditionValue, yaml11Boolean } from './yaml11-booleans.js';

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The task file of `include_tasks: x.yml` or `include_tasks: {file: x.yml}`. */
export function taskFileOf(value: unknown): string {
  return isMapping(value) ? String(value.file) : String(value);
}

/** The `apply:` mapping read (schema-checked already): booleans in YAML 1.1 words too, when as a list. */
export function includeApply(value: unknown): IncludeApply | undefined {
  if (!isMapping(value) || !isMapping(value.apply)) return undefined;
  const apply = value.apply;
  const when = apply.when === undefined ? [] : [conditionValue(apply.when)].flat();
  const become = apply.become === undefined ? undefined : yaml11Boolean(apply.become) ?? (apply.become as boolean);
  return { tags: asList(apply.tags), when, become, become_user: apply.become_user as string | undefined, vars: isMapping(apply.vars) ? apply.vars : {} };
}
