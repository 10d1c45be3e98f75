// heketi 10's request checks for the lab stand-in: 422 when the JSON does not fit heketi's Go types, else the texts
// of its ozzo-validation rules ("validation failed: zone: cannot be blank.") for node add, device add and state.

import { isIP } from 'node:net';

/** A refused request: status and body. */
export interface Refusal { status: number; message: string }

const UNPARSABLE: Refusal = { status: 422, message: 'request unable to be parsed' };
const DNS_NAME = /^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$/;
const DEVICE_NAME = /^\/[a-zA-Z0-9_.:/-]+$/;
const UUID = /^[0-9a-fA-F]{32}$/;
const TAG_NAME = /^[a-zA-Z0-9_.-]+$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const isHost = (s: string) => s !== '' && (isIP(s) !== 0 || DNS_NAME.test(s));
/** Go's %v of a string slice: [a b]. */
const goList = (v: string[]) => `[${v.join(' ')}]`;

/** ozzo-validation's Errors text: keys sorted, "key: message" joined by "; ", nested errors in parentheses, a final ".". */
function ozzoText(errors: Record<string, string | Record<string, string>>): string | undefined {
  const keys = Object.keys(errors).sort();
  if (keys.length === 0) return undefined;
  return `${keys.map((k) => {
    const e = errors[k];
    return typeof e === 'string' ? `${k}: ${e}` : `${k}: (${ozzoText(e)})`;
  }).join('; ')}.`;
}

const failed = (errors: Record<string, string | Record<string, string>>): Refusal | undefined => {
  const text = ozzoText(errors);
  return text ? { status: 400, message: `validation failed: ${text}` } : undefined;
};

function uuidError(v: unknown): string | undefined {
  if (v === undefined || v === '') return 'cannot be blank';
  return UUID.test(String(v)) ? undefined : `${String(v)} is not a valid UUID`;
}

function tagsError(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const tags = Object.entries(v as Record<string, unknown>);
  if (tags.some(([, value]) => typeof value !== 'string')) return 'tags must be a map of strings to strings';
  if (tags.length > 32) return `too many tags specified (${tags.length}), up to 32 supported`;
  for (const [k, value] of tags) {
    if (k.length === 0) return 'tag names may not be empty';
    if ([...k].length > 32) return `tag name ${k}: the length must be between 1 and 32`;
    if ([...String(value)].length > 64) return `value of tag ${k}: the length must be no more than 64`;
    if (!TAG_NAME.test(k)) return `invalid characters in tag name ${k}`;
  }
  return undefined;
}

/** POST /nodes: {cluster, zone, hostnames: {manage, storage}, tags}. */
export function checkNodeAdd(body: unknown): Refusal | undefined {
  if (!isObject(body)) return UNPARSABLE;
  const hostnames = body.hostnames ?? {};
  if (!isObject(hostnames) || !isStringList(hostnames.manage) || !isStringList(hostnames.storage)) return UNPARSABLE;
  if (body.zone !== undefined && !Number.isInteger(body.zone)) return UNPARSABLE;
  if (body.cluster !== undefined && typeof body.cluster !== 'string') return UNPARSABLE;
  if (body.tags !== undefined && body.tags !== null && !isObject(body.tags)) return UNPARSABLE;
  const errors: Record<string, string | Record<string, string>> = {};
  const zone = (body.zone as number | undefined) ?? 0;
  if (zone === 0) errors.zone = 'cannot be blank';
  else if (zone < 1) errors.zone = 'must be no less than 1';
  const cluster = uuidError(body.cluster);
  if (cluster) errors.cluster = cluster;
  const tags = tagsError(body.tags);
  if (tags) errors.tags = tags;
  const nested: Record<string, string> = {};
  for (const kind of ['manage', 'storage'] as const) {
    const names = (hostnames[kind] as string[] | undefined) ?? [];
    if (names.length === 0) nested[kind] = 'cannot be blank';
    else if (!names.every(isHost)) nested[kind] = `${goList(names)} is not a valid ${kind} hostname`;
  }
  if (Object.keys(nested).length) errors.hostnames = nested;
  return failed(errors);
}

/** POST /devices: {node, name, tags, destroydata}. */
export function checkDeviceAdd(body: unknown): Refusal | undefined {
  if (!isObject(body)) return UNPARSABLE;
  if ((body.name !== undefined && typeof body.name !== 'string') || (body.node !== undefined && typeof body.node !== 'string')) return UNPARSABLE;
  if (body.destroydata !== undefined && typeof body.destroydata !== 'boolean') return UNPARSABLE;
  const errors: Record<string, string> = {};
  const name = (body.name as string | undefined) ?? '';
  if (name === '') errors.name = 'cannot be blank';
  else if (!DEVICE_NAME.test(name)) errors.name = 'must be in a valid format';
  const node = uuidError(body.node);
  if (node) errors.node = node;
  const tags = tagsError(body.tags);
  if (tags) errors.tags = tags;
  return failed(errors);
}

/** POST /devices/ID/state and /nodes/ID/state: {state: online | offline | failed}. */
export function checkStateRequest(body: unknown): Refusal | undefined {
  if (!isObject(body) || (body.state !== undefined && typeof body.state !== 'string')) return UNPARSABLE;
  const state = (body.state as string | undefined) ?? '';
  if (state === '') return failed({ state: 'cannot be blank' });
  if (!['online', 'offline', 'failed'].includes(state)) return failed({ state: `${state} is not valid state` });
  return undefined;
}
