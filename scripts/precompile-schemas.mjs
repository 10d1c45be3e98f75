// Build step after tsc: ajv standalone validators for the playbook schema, task keywords and every core module's
// schema, written to dist/engine/load/precompiled-schemas.cjs (engine/load/schema-cache.ts reads it).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { AJV_OPTIONS } = await import(path.join(dist, 'engine/load/validate-args.js'));
const { schemaKey } = await import(path.join(dist, 'engine/load/schema-cache.js'));
const { PLAY_SCHEMA, TASK_KEYWORDS } = await import(path.join(dist, 'engine/load/playbook-schema.js'));
const { loadCorePack } = await import(path.join(dist, 'modules/index.js'));

const schemas = [PLAY_SCHEMA, ...Object.values(TASK_KEYWORDS), ...(await loadCorePack()).modules.map((m) => m.schema)];
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
const exportsMap = {};
for (const schema of schemas) {
  const key = schemaKey(schema);
  if (exportsMap[key]) continue;
  ajv.addSchema(schema, key);
  exportsMap[key] = key;
}
const generate = standalone.default ?? standalone;
writeFileSync(path.join(dist, 'engine/load/precompiled-schemas.cjs'), generate(ajv, exportsMap));
console.log(`precompiled ${Object.keys(exportsMap).length} schemas`);
