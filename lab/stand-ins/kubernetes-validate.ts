// The kubectl stand-in's schema check: validates objects with the kubernetes-models generation of the pinned minor version,
// finds unknown fields from that generation's OpenAPI schemas, and words each refusal as kubectl and that API server do.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** One object to check; `exists` picks kubectl's wording (create or patch). */
export interface ValidateInput { minor: number; source: string; items: Array<{ object: Record<string, unknown>; exists: boolean; liveResourceVersion?: string }> }
/** Per object: null (valid), 'unknown-kind' (no schema: a custom resource or an unserved kind), or kubectl's message. */
export type ValidateResult = Array<string | null>;

type Json = Record<string, unknown>;
interface AjvError { instancePath: string; keyword: string; params: Record<string, unknown> }
interface Schema { $ref?: string; oneOf?: Schema[]; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean }

/** Server-side field validation (beta, on by default) since 1.25: kubectl 1.28 uses it then, its client-side check before. */
const SERVER_SIDE_FROM = 25;

/**
 * The schema generations installed (package.json aliases of kubernetes-models majors, each generated from one Kubernetes
 * release's OpenAPI spec, older removed APIs merged in): a pinned minor is checked against the newest one not newer than it
 * (the oldest below 1.15). Each alias is loaded only when a call needs it.
 */
export const GENERATIONS: ReadonlyArray<{ from: number; kubernetes: string; name: string }> = [
  { from: 15, kubernetes: '1.15.3', name: 'kubernetes-models-1.15' },
  { from: 19, kubernetes: '1.19.2', name: 'kubernetes-models-1.19' },
  { from: 23, kubernetes: '1.23.5', name: 'kubernetes-models-1.23' },
  { from: 25, kubernetes: '1.25.2', name: 'kubernetes-models-1.25' },
  { from: 27, kubernetes: '1.27.1', name: 'kubernetes-models-1.27' },
];

/** The generation a server of minor version `minor` is checked against. */
export function generationFor(minor: number): { from: number; kubernetes: string; name: string } {
  return [...GENERATIONS].reverse().find((g) => g.from <= minor) ?? GENERATIONS[0];
}

interface Loaded { dir: string; load: NodeRequire; schemas: Map<string, Schema> }
const here = createRequire(import.meta.url);
const loaded = new Map<string, Loaded>();

/** Where Node finds package `name` from `dir` (its own node_modules lookup order), or undefined. */
function packageDir(dir: string, name: string): string | undefined {
  return createRequire(path.join(dir, 'index.js')).resolve.paths(name)?.map((p) => path.join(p, name)).find((p) => existsSync(path.join(p, 'package.json')));
}

/** Loads a generation, keeping every schema its models register (id → schema) by wrapping its validate package's register(). */
function generation(name: string): Loaded {
  const known = loaded.get(name);
  if (known) return known;
  const dir = path.dirname(here.resolve(name));
  const schemas = new Map<string, Schema>();
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  // From 3.x on, the API machinery's schemas (ObjectMeta, ...) are a package of their own.
  const apimachinery = manifest.dependencies?.['@kubernetes-models/apimachinery'] ? packageDir(dir, '@kubernetes-models/apimachinery') : undefined;
  for (const schemasDir of [path.join(dir, '_schemas'), ...(apimachinery ? [path.join(apimachinery, '_schemas')] : [])]) {
    const load = createRequire(path.join(schemasDir, 'index.js'));
    const file = load.resolve('@kubernetes-models/validate');
    const original = load(file) as { register(id: string, schema: Schema): void; wrapped?: boolean };
    if (original.wrapped) continue;
    const entry = load.cache[file];
    if (entry) entry.exports = { ...original, wrapped: true, register(id: string, schema: Schema) { schemas.set(id, schema); original.register(id, schema); } };
  }
  const result = { dir, load: createRequire(path.join(dir, 'index.js')), schemas };
  loaded.set(name, result);
  return result;
}

/** The schema a value is checked against: a $ref (also inside a nullable oneOf) resolved to its definition id. */
function resolve(schema: Schema | undefined, schemas: Map<string, Schema>): { schema?: Schema; id?: string } {
  const ref = schema?.$ref ?? schema?.oneOf?.find((s) => s.$ref)?.$ref;
  if (!ref) return { schema };
  const id = ref.replace(/#$/, '');
  return { schema: schemas.get(id), id };
}

interface Unknown { path: Array<string | number>; field: string; definition: string }

/** Fields a definition does not have (objects whose schema lists no properties are free-form: maps, fieldsV1, RawExtension). */
function walk(value: unknown, schema: Schema | undefined, id: string | undefined, ctx: { schemas: Map<string, Schema>; definitions: Map<object, string>; unknown: Unknown[] }, at: Array<string | number> = []): void {
  if (value === null || typeof value !== 'object' || !schema) return;
  if (Array.isArray(value)) {
    const item = resolve(schema.items, ctx.schemas);
    value.forEach((v, i) => walk(v, item.schema, item.id, ctx, [...at, i]));
    return;
  }
  if (id) ctx.definitions.set(value, id);
  for (const [key, v] of Object.entries(value as Json)) {
    const known = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!known && schema.properties) { ctx.unknown.push({ path: at, field: key, definition: id ?? '' }); continue; }
    const next = resolve(known, ctx.schemas);
    walk(v, next.schema, next.id, ctx, [...at, key]);
  }
}

const serverPath = (p: Array<string | number>) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('');
const pointer = (p: string) => p.split('/').slice(1).map((x) => (/^\d+$/.test(x) ? Number(x) : x.replace(/~1/g, '/').replace(/~0/g, '~')));
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
const goType: Record<string, string> = { integer: 'int32', number: 'float64', string: 'string', boolean: 'bool', array: 'slice', object: 'struct' };
const at = (obj: unknown, p: Array<string | number>) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], obj);

function describe(kind: string, obj: Json, definitions: Map<object, string>, e: AjvError): { client: string; server: string; decode: boolean } {
  const p = pointer(e.instancePath);
  const parentPath = p.slice(0, -1);
  const parent = at(obj, parentPath);
  const parentDef = definitions.get(parent as object) ?? '';
  const field = String(p[p.length - 1] ?? '');
  const value = at(obj, p);
  if (e.keyword === 'type') {
    const want = String(e.params.type);
    const struct = parentDef.split('.').pop();
    return {
      client: `ValidationError(${[kind, serverPath(parentPath)].filter(Boolean).join('.')}.${field}): invalid type for ${parentDef}.${field}: got "${jsonType(value) === 'integer' ? 'integer' : jsonType(value)}", expected "${want}"`,
      server: `json: cannot unmarshal ${jsonType(value) === 'integer' ? 'number' : jsonType(value)} into Go struct field ${struct}.${serverPath(p)} of type ${goType[want] ?? want}`,
      decode: true,
    };
  }
  if (e.keyword === 'required') {
    const missing = String(e.params.missingProperty);
    const definition = definitions.get(value as object) ?? '';
    return {
      client: `ValidationError(${[kind, serverPath(p)].filter(Boolean).join('.')}): missing required field "${missing}" in ${definition}`,
      server: `${serverPath([...p, missing])}: Required value`,
      decode: false,
    };
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params.allowedValues as unknown[] ?? []).map((x) => JSON.stringify(x)).join(', ');
    return { client: `ValidationError(${[kind, serverPath(p)].join('.')}): invalid value ${JSON.stringify(value)}: supported values: ${allowed}`, server: `${serverPath(p)}: Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed}`, decode: false };
  }
  return { client: `ValidationError(${[kind, serverPath(p)].join('.')}): invalid value ${JSON.stringify(value)} (${e.keyword})`, server: `${serverPath(p)}: Invalid value: ${JSON.stringify(value)}`, decode: false };
}

type ModelClass = (new (data: Json) => { validate(): void }) & { kind?: string; apiVersion?: string };

/** The model class of apiVersion/kind in the generation (its CommonJS files, so that its schemas register through the wrap), or undefined. */
function modelOf(gen: Loaded, apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^[a-z0-9.]*\/?v\d+(?:alpha\d+|beta\d+)?$/.test(apiVersion) || !/^[A-Z]\w*$/.test(kind)) return undefined;
  const file = path.join(gen.dir, apiVersion, `${kind}.js`);
  if (!existsSync(file)) return undefined;
  const model = (gen.load(file) as Record<string, ModelClass>)[kind];
  return model?.kind === kind && model.apiVersion === apiVersion ? model : undefined;
}

/** The model's schema id (base's Model keeps it on the prototype under a SCHEMA_ID symbol). */
function schemaId(model: ModelClass): string | undefined {
  const proto = model.prototype as Record<symbol, unknown>;
  const symbol = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'SCHEMA_ID');
  return symbol ? String(proto[symbol]) : undefined;
}

/** ajv 8's instancePath, also from ajv 6's dataPath (.spec.containers[0]['a-b']) that the 1.15 generation reports. */
function instancePath(e: AjvError & { dataPath?: string }): string {
  if (e.instancePath !== undefined) return e.instancePath;
  const parts = [...(e.dataPath ?? '').matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/g)].map((m) => m[1] ?? m[2] ?? m[3].replace(/\\(.)/g, '$1'));
  return parts.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Plural resource name as the API server names it in messages (deployments.apps, storageclasses.storage.k8s.io). */
export function resourceName(apiVersion: string, kind: string): string {
  const lower = kind.toLowerCase();
  // Kinds already plural keep their name as the resource (Endpoints -> endpoints), as the API server's RESTMapper does.
  const plural = lower === 'endpoints' ? lower : /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group ? `${plural}.${group}` : plural;
}

/** kubectl's "error when applying patch" preamble, for a refusal of an update to an existing object. */
export function patchPreamble(obj: Json, source: string): string {
  const apiVersion = String(obj.apiVersion);
  const kind = String(obj.kind);
  const md = (obj.metadata ?? {}) as Json;
  const plural = resourceName(apiVersion, kind).split('.')[0];
  return `error when applying patch:\n${JSON.stringify(obj)}\nto:\nResource: "${apiVersion}, Resource=${plural}", GroupVersionKind: "${apiVersion}, Kind=${kind}"\nName: "${md.name}", Namespace: "${md.namespace ?? ''}"\nfor: "${source}": error when patching "${source}": `;
}

/** The API server's optimistic concurrency: an apply carrying a resourceVersion must carry the live one. */
function staleVersion(obj: Json, liveVersion: string | undefined, source: string): string | null {
  const md = (obj.metadata ?? {}) as Json;
  if (md.resourceVersion === undefined || md.resourceVersion === null) return null;
  if (liveVersion === undefined) return `Error from server (BadRequest): error when creating "${source}": resourceVersion should not be set on objects to be created`;
  if (String(md.resourceVersion) === liveVersion) return null;
  return `Error from server (Conflict): ${patchPreamble(obj, source)}Operation cannot be fulfilled on ${resourceName(String(obj.apiVersion), String(obj.kind))} "${md.name}": the object has been modified; please apply your changes to the latest version and try again`;
}

/**
 * The generation's model of apiVersion/kind; for a kind the stand-in serves at this minor version but added after the
 * generation's release (policy/v1 PodDisruptionBudget on 1.21, checked with the 1.19.2 schemas), the next generation's.
 */
function withModel(minor: number, apiVersion: string, kind: string): { gen: Loaded; model: ModelClass } | undefined {
  for (const g of GENERATIONS.filter((x) => x.from >= generationFor(minor).from)) {
    const gen = generation(g.name);
    const model = modelOf(gen, apiVersion, kind);
    if (model) return { gen, model };
  }
  return undefined;
}

/**
 * ajv's errors as the API would report them: without the older generations' artefacts (ajv's "must be null" and oneOf
 * errors beside the real one under a nullable $ref, which kubernetes-models' validate filters only from 3.x on; and a
 * missing apiVersion/kind on an embedded object, such as a StatefulSet's volumeClaimTemplates, which the API never requires).
 */
function packageErrors(errors: Array<AjvError & { dataPath?: string }>): AjvError[] {
  return errors
    .map((e) => ({ ...e, instancePath: instancePath(e) }))
    .filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'type' && e.params.type === 'null'))
    .filter((e) => !(e.keyword === 'required' && e.instancePath !== '' && ['apiVersion', 'kind'].includes(String(e.params.missingProperty))));
}

async function validateOne(obj: Json, exists: boolean, minor: number, source: string, liveVersion?: string): Promise<string | null> {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const found = withModel(minor, apiVersion, kind);
  if (!found) return 'unknown-kind';
  const { gen, model } = found;
  let errors: AjvError[] = [];
  try { new model(obj).validate(); } catch (err) { errors = packageErrors((err as { errors?: AjvError[] }).errors ?? []); }
  const id = schemaId(model);
  const ctx = { schemas: gen.schemas, definitions: new Map<object, string>(), unknown: [] as Unknown[] };
  walk(obj, id ? gen.schemas.get(id) : undefined, id, ctx);
  const unknown = ctx.unknown;
  const described = errors.map((e) => describe(kind, obj, ctx.definitions, e));
  if (!unknown.length && !described.length) return staleVersion(obj, exists ? liveVersion ?? '' : undefined, source);
  if (minor < SERVER_SIDE_FROM) {
    const list = [
      ...described.map((d) => d.client),
      ...unknown.map((u) => `ValidationError(${[kind, serverPath(u.path)].filter(Boolean).join('.')}): unknown field "${u.field}" in ${u.definition}`),
    ];
    return `error: error validating "${source}": error validating data: ${list.length > 1 ? `[${list.join(', ')}]` : list[0]}; if you choose to ignore these errors, turn validation off with --validate=false`;
  }
  const name = String(((obj.metadata ?? {}) as Json).name ?? '');
  const head = exists ? `Error from server (BadRequest): ${patchPreamble(obj, source)}` : `Error from server (BadRequest): error when creating "${source}": `;
  const version = apiVersion.split('/').pop();
  const decoding = described.find((d) => d.decode);
  if (decoding) return `${head}${kind} in version "${version}" cannot be handled as a ${kind}: ${decoding.server}`;
  if (unknown.length) return `${head}${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((u) => `unknown field "${serverPath([...u.path, u.field])}"`).join(', ')}`;
  const invalid = described.map((d) => d.server);
  const head2 = exists ? `Error from server (Invalid): ${patchPreamble(obj, source)}` : `The ${kind} "${name}" is invalid: `;
  return `${head2}${invalid.length > 1 ? `\n${invalid.map((x) => `* ${x}`).join('\n')}` : invalid[0]}`;
}

export async function validateObjects(input: ValidateInput): Promise<ValidateResult> {
  const out: ValidateResult = [];
  for (const it of input.items) out.push(await validateOne(it.object, it.exists, input.minor, input.source, it.liveResourceVersion));
  return out;
}
