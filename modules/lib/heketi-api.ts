// heketi's REST API, spoken directly (no heketi-cli): JWT HS256 with iss/iat/exp/qsh, and the asynchronous
// 202 Accepted + Location + /queue polling protocol.

import { createHash, createHmac } from 'node:crypto';
import { ModuleError } from '../../engine/errors.js';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** The token heketi expects: qsh binds it to one METHOD&PATH. */
export function heketiJwt(user: string, key: string, method: string, path: string, now = Math.floor(Date.now() / 1000)): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const qsh = createHash('sha256').update(`${method.toUpperCase()}&${path}`).digest('hex');
  const claims = b64url(JSON.stringify({ iss: user, iat: now, exp: now + 600, qsh }));
  const sig = b64url(createHmac('sha256', key).update(`${header}.${claims}`).digest());
  return `${header}.${claims}.${sig}`;
}

/** heketi did not answer at all (connection refused, no route, DNS): nothing about its state is known. */
export class HeketiUnreachableError extends ModuleError {}

/** The error for a request that got no answer: fetch's own "fetch failed" with the reason under it (ECONNREFUSED...). */
export function unreachable(base: string, e: Error): HeketiUnreachableError {
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const why = cause?.code ?? cause?.message;
  return new HeketiUnreachableError(`heketi at ${base} is not reachable: ${e.message}${why ? ` (${why})` : ''}`);
}

export interface HeketiClient {
  get<T>(path: string): Promise<T>;
  /** POST/DELETE; follows 202 + Location through /queue until done; returns the final JSON (or undefined). */
  call<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T | undefined>;
}

export function heketiClient(url: string, user: string, key: string, pollMs = 200, timeoutMs = 300_000): HeketiClient {
  const base = url.replace(/\/+$/, '');
  const request = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const p = path.split('?')[0];
    try {
      return await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `bearer ${heketiJwt(user, key, method, p)}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        redirect: 'manual',
      });
    } catch (e) {
      throw unreachable(base, e as Error);
    }
  };
  const fail = async (res: Response, what: string) => {
    const text = (await res.text()).trim();
    if (res.status === 401) return new ModuleError(`heketi refused the credentials for user '${user}' (401): ${text || 'bad token'}; check the heketi admin key`);
    return new ModuleError(`heketi ${what} failed (${res.status}): ${text}`);
  };
  return {
    async get<T>(path: string): Promise<T> {
      const res = await request('GET', path);
      if (res.status !== 200) throw await fail(res, `GET ${path}`);
      return (await res.json()) as T;
    },
    async call<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T | undefined> {
      let res = await request(method, path, body);
      if (res.status === 202) {
        const queue = res.headers.get('location');
        if (!queue) throw new ModuleError(`heketi ${method} ${path}: 202 without Location`);
        const until = Date.now() + timeoutMs;
        for (;;) {
          res = await request('GET', queue);
          if (res.status === 200 && res.headers.get('x-pending') === 'true') {
            if (Date.now() > until) throw new ModuleError(`heketi ${method} ${path}: still pending after ${timeoutMs / 1000} s`);
            await new Promise((r) => setTimeout(r, pollMs));
            continue;
          }
          break;
        }
        if (res.status === 303) {
          const loc = res.headers.get('location');
          return loc ? this.get<T>(loc) : undefined;
        }
        if (res.status === 204 || res.status === 200) return undefined;
        throw await fail(res, `${method} ${path}`);
      }
      if (res.status === 200 || res.status === 201) {
        const text = await res.text();
        return text.trim() ? (JSON.parse(text) as T) : undefined;
      }
      if (res.status === 204) return undefined;
      throw await fail(res, `${method} ${path}`);
    },
  };
}
