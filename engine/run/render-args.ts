// A task's args rendered for one host: command-line args of the module render shell-quoted, the rest as values.

import { renderShellString, renderValue, type TemplateWhere } from '../template/render.js';
import { commandLineDialect } from '../template/shell-context.js';
import type { ModuleDefinition } from '../types.js';

export function renderArgs(module: ModuleDefinition, raw: Record<string, unknown>, variables: Record<string, unknown>, where: TemplateWhere): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const dialect = commandLineDialect(module, key);
    out[key] = dialect && typeof value === 'string' ? renderShellString(value, variables, where, dialect) : renderValue(value, variables, where);
  }
  return out;
}
