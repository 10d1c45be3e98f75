// Validators generated at build time (scripts/precompile-schemas.mjs: ajv standalone code for the playbook schema,
// the task keywords and every core module), so a run does not spend its start-up compiling schemas. A schema not
// in the file (a pack's, or a build without the step) is compiled at run time as before: speed only, never behaviour.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const FILE = './precompiled-schemas.cjs';
let table: Record<string, ValidateFunction> | null | undefined;

/** The export name of a schema in the generated file: a hash of its JSON text. */
export function schemaKey(schema: unknown): string {
  return `s${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 32)}`;
}

export function precompiledValidator(schema: unknown): ValidateFunction | undefined {
  if (table === undefined) {
    try {
      table = createRequire(import.meta.url)(FILE) as Record<string, ValidateFunction>;
    } catch {
      table = null;
    }
  }
  return table?.[schemaKey(schema)];
}
