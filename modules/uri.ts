// uri: an HTTP(S) request made on the target host, as Ansible's uri makes it (Python's urllib there; see
// lib/uri-request.ts): status checked against status_code, the response registered as Ansible's (status, url, msg,
// redirected, headers, json, content), the body optionally written to dest (the only change it makes).

import path from 'node:path';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { absolutePath } from './lib/arg-kinds.js';
import { URL_PATTERN } from './lib/download.js';
import { keepLarge, readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { URI_SCRIPT, registeredResponse, type UriRequest, type UriResponse } from './lib/uri-request.js';

interface UriArgs {
  url: string;
  method: string;
  body?: unknown;
  body_format: 'json' | 'form-urlencoded' | 'raw';
  headers: Record<string, string | number | boolean>;
  status_code: number | string | Array<number | string>;
  return_content: boolean;
  dest?: string;
  creates?: string;
  removes?: string;
  timeout: number;
  follow_redirects: 'all' | 'no' | 'none' | 'safe' | 'urllib2' | 'yes';
  url_username?: string;
  url_password?: string;
  force_basic_auth: boolean;
  validate_certs: boolean;
}

/** Why the request is not made (creates exists, removes does not), the file dest names, and that file now. */
interface UriState { skip?: string; dest?: string; file?: FileState }

interface UriData { dest?: string }

/** Header names whose values are credentials: the journal entry is sealed and the values masked once known. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|private-token)$|token|secret|api[-_]?key|password/i;

/** status_code as Ansible reads it: a number, a list, or a comma-separated string. */
export function statusCodes(value: UriArgs['status_code']): number[] {
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((v) => Number(String(v).trim()));
}

async function exists(host: Host, target: string): Promise<boolean> {
  return (await host.stat(target)) !== null;
}

/** dest, or dest/<the URL's file name> (index.html without one) when dest is a folder, as Ansible. */
async function resolveDest(host: Host, args: UriArgs): Promise<string | undefined> {
  if (args.dest === undefined) return undefined;
  if ((await host.stat(args.dest))?.type !== 'directory') return args.dest;
  return path.posix.join(args.dest, path.posix.basename(new URL(args.url).pathname) || 'index.html');
}

function requestOf(args: UriArgs, dest: string | undefined): UriRequest {
  return {
    url: args.url, method: args.method.toUpperCase(), body: args.body ?? null, body_format: args.body_format,
    headers: Object.fromEntries(Object.entries(args.headers).map(([k, v]) => [k, String(v)])), timeout: args.timeout,
    follow_redirects: args.follow_redirects, validate_certs: args.validate_certs, url_username: args.url_username,
    url_password: args.url_password, force_basic_auth: args.force_basic_auth, dest: dest ?? null, status_code: statusCodes(args.status_code),
  };
}

/** Runs the request on the host (python3 there, as Ansible's uri needs) and parses what the script printed. */
async function send(host: Host, request: UriRequest): Promise<UriResponse> {
  const res = await host.run(['python3', '-c', URI_SCRIPT], { stdin: JSON.stringify(request), timeoutMs: (request.timeout + 30) * 1000 });
  if (res.code === 127) throw new ModuleError('uri runs on the host with python3, as Ansible\'s uri does: python3 is not installed there');
  if (res.code !== 0) throw new ModuleError(`uri: the request to ${request.url} failed on the host: ${res.stderr.trim().split('\n').slice(-1)[0]}`);
  return JSON.parse(res.stdout) as UriResponse;
}

const secretHeaderValues = (args: UriArgs) => Object.entries(args.headers).filter(([k]) => SECRET_HEADER.test(k)).map(([, v]) => String(v));

export default defineModule<UriArgs, UriState, UriData>({
  name: 'uri',
  doc: 'Make an HTTP(S) request from the target host, as Ansible\'s uri (Python\'s urllib on the host, so python3 must be there, as for Ansible): method, body (json, form-urlencoded or raw), headers, basic auth; fails unless the status is one of status_code, with Ansible\'s message. Registers status, url, msg, redirected, elapsed, the response headers (lowercased, - as _), json for a JSON response, content with return_content, path with dest. Changed only when dest is written (its content differed). Check mode does not send the request (reported as skipped: would run). url_password and credential headers are never shown or journaled in clear.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', pattern: URL_PATTERN, description: 'http:// or https:// URL (credentials go in url_username/url_password, not in the URL).' },
      method: { type: 'string', pattern: '^[A-Za-z]+$', default: 'GET', description: 'HTTP method, one word (GET, POST, PUT, DELETE, PATCH, HEAD, ...).' },
      body: { description: 'The request body: a string, or (body_format json or form-urlencoded) a mapping or list encoded for you.' },
      body_format: { enum: ['json', 'form-urlencoded', 'raw'], default: 'raw', description: 'json: a non-string body is JSON-encoded and Content-Type is application/json unless given; form-urlencoded: a mapping is form-encoded, Content-Type application/x-www-form-urlencoded; raw: the body as it is.' },
      headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, default: {}, description: 'Request headers. Credential headers (Authorization, Cookie, X-Api-Key, names with token, secret, password or api-key) seal the journal entry and their values are masked in every output once the request is made; template them from a secret-named variable so they are masked from the start.' },
      status_code: { anyOf: [{ type: 'integer' }, { type: 'string', title: 'codes', pattern: '^\\s*-?[0-9]+(\\s*,\\s*-?[0-9]+)*\\s*$' }, { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string', title: 'code', pattern: '^-?[0-9]+$' }] }, minItems: 1 }], default: [200], description: 'The status codes that mean success (a list, or comma separated); any other fails the task.' },
      return_content: { type: 'boolean', default: false, description: 'Register the body as content (a JSON response is registered as json either way).' },
      dest: { ...absolutePath, description: 'Write the body to this file (a folder: the URL\'s file name in it) when the status is a success; a file already there is sent as If-Modified-Since, so an unchanged one answers 304 (list 304 in status_code, as with Ansible).' },
      creates: { ...absolutePath, description: 'Do nothing when this path exists.' },
      removes: { ...absolutePath, description: 'Do nothing unless this path exists.' },
      timeout: { type: 'integer', minimum: 1, default: 30, description: 'Seconds for the connection and each read.' },
      follow_redirects: { enum: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'], default: 'safe', description: 'safe: follow redirects of GET and HEAD only; all/yes: every method; none/no: never (the 3xx status is the answer); urllib2: Python\'s own rules.' },
      url_username: { type: 'string', description: 'User for HTTP basic (or digest) authentication (Ansible\'s alias: user).' },
      url_password: { type: 'string', writeOnly: true, description: 'Password for HTTP authentication (never shown; Ansible\'s alias: password).' },
      force_basic_auth: { type: 'boolean', default: false, description: 'Send the basic Authorization header with the first request instead of waiting for a 401 challenge.' },
      validate_certs: { type: 'boolean', default: true, description: 'Verify the server\'s TLS certificate.' },
    },
  },
  examples: [
    { name: 'Wait for the API to answer', args: { url: 'http://127.0.0.1:8080/healthz', status_code: [200, 204] } },
    { name: 'Create an object', args: { url: 'https://api.example.org/v1/items', method: 'POST', body_format: 'json', body: { name: 'web' }, status_code: 201, url_username: 'admin', url_password: 'ask-the-vault', force_basic_auth: true } },
  ],
  reversible: true,
  async inspect(host, args) {
    if (args.creates !== undefined && await exists(host, args.creates)) return { skip: `skipped, since ${args.creates} exists` };
    if (args.removes !== undefined && !(await exists(host, args.removes))) return { skip: `skipped, since ${args.removes} does not exist` };
    const dest = await resolveDest(host, args);
    return dest === undefined ? {} : { dest, file: await readFileState(host, dest, 'bounded') };
  },
  plan(s, args): Change<UriData>[] {
    if (s.skip) return [];
    const method = args.method.toUpperCase();
    const change: Change<UriData> = { msg: `${method} ${args.url}${s.dest ? ` into ${s.dest}` : ''}`, uncertain: true, data: { dest: s.dest } };
    // The request itself cannot be taken back (a POST stays made); only dest is restored.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) change.irreversible = true;
    if (args.url_password !== undefined || secretHeaderValues(args).length > 0) change.sensitive = true;
    return [s.file ? { ...change, ...keepLarge(s.file), irreversible: change.irreversible || keepLarge(s.file).irreversible } : change];
  },
  report(s) {
    return s.skip ? { msg: s.skip, result: { stdout: s.skip } } : {};
  },
  async apply(host, args, changes, current) {
    const request = requestOf(args, current.dest);
    const response = await send(host, request);
    const result = registeredResponse(request, response, args.return_content);
    const secrets = secretHeaderValues(args);
    if (!request.status_code.includes(result.status as number)) {
      const codes = `[${request.status_code.join(', ')}]`;
      throw new ModuleError(`Status code was ${result.status} and not ${codes}: ${response.info.msg}`, { result: { ...result, msg: `Status code was ${result.status} and not ${codes}: ${response.info.msg}` } });
    }
    return { changed: response.written, result, undo: { written: response.written }, secrets };
  },
  async revert(host, { before, undo, kept }) {
    if ((undo as { written?: boolean } | undefined)?.written && before.file) await restoreFile(host, before.file, kept);
  },
});
