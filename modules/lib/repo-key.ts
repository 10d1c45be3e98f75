// Repository signing keys read with openpgp (fingerprints, key ids) and fetched by the controller: package_repository's
// key_url pinned by its fingerprint (another key is refused before anything reaches a host), apt_key's url.

import { readKeys } from 'openpgp';
import { ModuleError } from '../../engine/errors.js';

/** "EF4E 908F ..." or "ef4e908f..." → "EF4E908F..." */
export const normaliseFingerprint = (f: string) => f.replace(/\s+/g, '').toUpperCase();

/** The fingerprints of every key (primary and subkeys) in an armored or binary OpenPGP key file, and its armored form. */
export async function readKeyFile(data: Buffer): Promise<{ armored: string; fingerprints: string[] }> {
  const text = data.toString('utf8');
  const keys = text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')
    ? await readKeys({ armoredKeys: text })
    : await readKeys({ binaryKeys: new Uint8Array(data) });
  const fingerprints = keys.flatMap((k) => k.getKeys().map((sub) => normaliseFingerprint(sub.getFingerprint())));
  return { armored: text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----') ? text : keys.map((k) => k.armor()).join(''), fingerprints };
}

/** The long (16 hex digit) key ids of the primary keys in an armored or binary key file, in file order. */
export async function primaryKeyIds(data: Buffer): Promise<string[]> {
  const text = data.toString('utf8');
  const keys = text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----') ? await readKeys({ armoredKeys: text }) : await readKeys({ binaryKeys: new Uint8Array(data) });
  return keys.map((k) => k.getKeyID().toHex().toUpperCase());
}

/** GET a key from the controller (bounded in time and size; `what` names the argument in errors). */
export async function fetchKey(url: string, what: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'follow' });
  } catch (e) {
    throw new ModuleError(`${what} ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) throw new ModuleError(`${what} ${url}: HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > 1024 * 1024) throw new ModuleError(`${what} ${url}: more than 1 MiB, not a signing key`);
  return body;
}

/** GET key_url from the controller, check the pin, return the key armored. */
export async function fetchPinnedKey(url: string, fingerprint: string): Promise<string> {
  const body = await fetchKey(url, 'key_url');
  const key = await readKeyFile(body).catch((e: Error) => { throw new ModuleError(`key_url ${url} is not an OpenPGP public key: ${e.message}`); });
  const pinned = normaliseFingerprint(fingerprint);
  if (!key.fingerprints.includes(pinned)) throw new ModuleError(`key_url ${url} holds the key ${key.fingerprints.join(', ')}, not the pinned key_fingerprint ${pinned}: refused`);
  return key.armored;
}
