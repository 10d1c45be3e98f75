// The kubectl stand-in's schema check: validates objects with kubernetes-models' OpenAPI validators, and finds unknown fields by
// watching which fields those validators read, then words each refusal as kubectl and the API server of that minor version do.

/** One object to check; `exists` picks kubectl's wording (create or patch). */
export interface ValidateInput { minor: number; source: string; items: Array<{ object: Record<string, unknown>; exists: boolean; liveResourceVersion?: string }> }
/** Per object: null (valid), 'unknown-kind' (no schema: a custom resource or an unserved kind), or kubectl's message. */
export type ValidateResult = Array<string | null>;

type Json = Record<string, unknown>;
interface AjvError { instancePath: string; keyword: string; params: Record<string, unknown> }
interface Seen { keys: Set<string>; enumerated: boolean; definition?: string }

/** Server-side field validation (beta, on by default) since 1.25: kubectl 1.28 uses it then, its client-side check before. */
const SERVER_SIDE_FROM = 25;

/** _schemas file name (IoK8sApiAppsV1DeploymentSpec) → OpenAPI definition (io.k8s.api.apps.v1.DeploymentSpec). */
export function definitionName(file: string): string {
  const m = /^(.*?)(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(file);
  const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1.$2').toLowerCase();
  const base = m ? `${words(m[1])}.${m[2].toLowerCase()}.${m[3]}` : file.replace(/^(.*(?:Intstr|Resource|Runtime))([A-Z]\w*)$/, (_, p: string, n: string) => `${words(p)}.${n}`);
  return base.replace('apiextensions.apiserver', 'apiextensions-apiserver').replace('kube.aggregator', 'kube-aggregator');
}

/** Wraps a JSON value so that every object records the fields a validator read (and which validator read them). */
function watched(value: unknown, seen: Map<object, Seen>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const record: Seen = { keys: new Set(), enumerated: false };
  seen.set(value, record);
  const children = new Map<PropertyKey, unknown>();
  return new Proxy(value, {
    get(target, key) {
      if (typeof key === 'string' && !Array.isArray(target)) {
        if (!record.definition) record.definition = /\/_schemas\/(\w+)\.js/.exec(new Error().stack ?? '')?.[1];
        record.keys.add(key);
      }
      const v = Reflect.get(target, key);
      if (v === null || typeof v !== 'object') return v;
      if (!children.has(key)) children.set(key, watched(v, seen));
      return children.get(key);
    },
    ownKeys(target) { record.enumerated = true; return Reflect.ownKeys(target); },
  });
}

interface Unknown { path: Array<string | number>; field: string; definition: string }

/** Fields no validator read, in objects whose validator read some (objects no validator read are free-form, like fieldsV1). */
function unknownFields(value: unknown, seen: Map<object, Seen>, path: Array<string | number> = []): Unknown[] {
  if (value === null || typeof value !== 'object') return [];
  const out: Unknown[] = [];
  if (Array.isArray(value)) { value.forEach((v, i) => out.push(...unknownFields(v, seen, [...path, i]))); return out; }
  const s = seen.get(value);
  for (const [k, v] of Object.entries(value as Json)) {
    if (s && !s.enumerated && s.keys.size && !s.keys.has(k)) out.push({ path, field: k, definition: definitionName(s.definition ?? '') });
    else out.push(...unknownFields(v, seen, [...path, k]));
  }
  return out;
}

const serverPath = (p: Array<string | number>) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('');
const pointer = (p: string) => p.split('/').slice(1).map((x) => (/^\d+$/.test(x) ? Number(x) : x.replace(/~1/g, '/').replace(/~0/g, '~')));
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
const goType: Record<string, string> = { integer: 'int32', number: 'float64', string: 'string', boolean: 'bool', array: 'slice', object: 'struct' };
const at = (obj: unknown, p: Array<string | number>) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], obj);

function describe(kind: string, obj: Json, seen: Map<object, Seen>, e: AjvError): { client: string; server: string; decode: boolean } {
  const p = pointer(e.instancePath);
  const parentPath = p.slice(0, -1);
  const parent = at(obj, parentPath);
  const parentDef = definitionName(seen.get(parent as object)?.definition ?? '');
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
    const here = definitionName(seen.get(value as object)?.definition ?? '');
    return {
      client: `ValidationError(${[kind, serverPath(p)].filter(Boolean).join('.')}): missing required field "${missing}" in ${here}`,
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

type ModelClass = { kind?: string; apiVersion?: string; prototype: { validate(): void } };

async function modelOf(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  if (!/^[a-z0-9.]*\/?v\d+(?:alpha\d+|beta\d+)?$/.test(apiVersion) || !/^[A-Z]\w*$/.test(kind)) return undefined;
  try {
    const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, ModelClass>;
    return mod[kind]?.kind === kind ? mod[kind] : undefined;
  } catch {
    return undefined;
  }
}

/** Plural resource name as the API server names it in messages (deployments.apps, storageclasses.storage.k8s.io). */
export function resourceName(apiVersion: string, kind: string): string {
  const lower = kind.toLowerCase();
  const plural = /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
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

async function validateOne(obj: Json, exists: boolean, minor: number, source: string, liveVersion?: string): Promise<string | null> {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const model = await modelOf(apiVersion, kind);
  if (!model) return 'unknown-kind';
  const seen = new Map<object, Seen>();
  const proxy = watched(obj, seen);
  let errors: AjvError[] = [];
  try { model.prototype.validate.call(proxy); } catch (err) { errors = (err as { errors?: AjvError[] }).errors ?? []; }
  const unknown = unknownFields(obj, seen);
  const described = errors.map((e) => describe(kind, obj, seen, e));
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
