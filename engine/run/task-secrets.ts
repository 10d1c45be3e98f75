// The secret values a task makes known, as rendered for this host: secret-named variables (task-level and templated
// ones included), writeOnly and secret-named args, and a no_log task's command lines. The redactor masks them from
// then on, wherever they appear.

import { collectSecrets, isSecretName, stringLeaves } from '../report/redact.js';
import { commandLineDialect } from '../template/shell-context.js';
import type { ModuleDefinition } from '../types.js';

// Views of other hosts and of the inventory: their secrets were collected when the run started.
const SKIPPED = new Set(['hostvars', 'groups', 'group_names', 'play_hosts', 'facts']);

/** Secret-named values among the task's variables; a variable that cannot be rendered is left to the task to report. */
function secretVariables(variables: Record<string, unknown>, out: Set<string>): void {
  for (const name of Object.keys(variables)) {
    if (SKIPPED.has(name)) continue;
    try {
      const value = variables[name];
      if (isSecretName(name) && (typeof value === 'string' || typeof value === 'number')) out.add(String(value));
      else if (value && typeof value === 'object') collectSecrets(value, out);
    } catch { /* an undefined or failing template: the task's own rendering says so */ }
  }
}

export function taskSecrets(module: ModuleDefinition, noLog: boolean, args: Record<string, unknown>, variables: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  secretVariables(variables, out);
  const properties = ((module.schema as { properties?: Record<string, { writeOnly?: boolean }> }).properties) ?? {};
  for (const [key, value] of Object.entries(args)) {
    const commandLine = commandLineDialect(module, key) !== undefined || module.freeForm === key;
    if (properties[key]?.writeOnly || isSecretName(key) || (noLog && commandLine)) stringLeaves(value, out);
  }
  return out;
}
