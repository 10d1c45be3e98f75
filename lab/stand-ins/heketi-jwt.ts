// heketi 10's JWT check for the lab stand-in (middleware/jwt.go and the app's Auth middleware): status and body text.

import { createHash, createHmac } from 'node:crypto';

/** A refused request: the HTTP status and the body heketi writes. */
export interface JwtRefusal { status: number; message: string }

/** heketi accepts a token issued up to this many seconds in the future (HEKETI_JWT_IAT_LEEWAY_SECONDS). */
const IAT_LEEWAY_SECONDS = 120;

const decodeSegment = (segment: string): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('json: cannot unmarshal into Go value of type jwt.MapClaims');
  return parsed as Record<string, unknown>;
};

/** Go's time.Duration text for whole seconds, as heketi prints "Token is expired by 1h2m3s". */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The claims' own checks (exp required, iat leeway), then the signature, whose failure wins as in golang-jwt. */
function parseToken(raw: string, keys: Record<string, string>, now: number): string | Record<string, unknown> {
  const parts = raw.split('.');
  if (parts.length !== 3) return 'token contains an invalid number of segments';
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeSegment(parts[0]);
    claims = decodeSegment(parts[1]);
  } catch (e) {
    return (e as Error).message;
  }
  if (typeof header.alg !== 'string' || !/^HS(256|384|512)$/.test(header.alg)) return `Unexpected signing method: ${String(header.alg)}`;
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  if (!issuer) return 'Token missing iss claim';
  if (issuer !== 'admin' && issuer !== 'user') return 'Unknown user';
  let problem: string | undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  if (exp <= now) problem = `Token is expired by ${goDuration(now - exp)}`;
  const iat = typeof claims.iat === 'number' ? claims.iat : 0;
  if (now < iat - IAT_LEEWAY_SECONDS) problem = 'Token used before issued';
  const algorithm = `sha${header.alg.slice(2)}`;
  const signature = createHmac(algorithm, keys[issuer] ?? '').update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (signature !== parts[2].replace(/=+$/, '')) problem = 'signature is invalid';
  return problem ?? claims;
}

/**
 * heketi's answer to a request's Authorization header, or undefined when it may go on: 400 for a header that is not
 * "Bearer TOKEN", 401 "Required authorization token not found", 401 "Invalid JWT token: ..." (with heketi's hints),
 * 401 "Invalid qsh claim in token", and 401 "Administrator access required" for the user outside /volumes.
 */
export function verifyJwt(auth: string | undefined, method: string, path: string, keys: Record<string, string>, now = Math.floor(Date.now() / 1000)): JwtRefusal | undefined {
  const fields = (auth ?? '').trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) return { status: 401, message: 'Required authorization token not found' };
  if (fields.length !== 2 || fields[0].toLowerCase() !== 'bearer') return { status: 400, message: 'Authorization header format must be Bearer token' };
  const claims = parseToken(fields[1], keys, now);
  if (typeof claims === 'string') {
    let message = `Invalid JWT token: ${claims}`;
    if (claims === 'signature is invalid') message += ' (client and server secrets may not match)';
    if (claims.includes('used before issued')) message += ' (client and server clocks may differ)';
    return { status: 401, message };
  }
  if (claims.qsh !== createHash('sha256').update(`${method}&${path}`).digest('hex')) return { status: 401, message: 'Invalid qsh claim in token' };
  if (claims.iss === 'user' && path !== '/volumes') return { status: 401, message: 'Administrator access required' };
  return undefined;
}
