// known_hosts: look a host key up (plain and hashed entries, [host]:port), say unknown/changed, append new ones.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type HostKeyVerdict = 'known' | 'unknown' | 'changed';

/** "address" for port 22, "[address]:port" otherwise — the name OpenSSH writes. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** SHA256 fingerprint as ssh-keygen -l prints it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public key blob ("ssh-ed25519", "ssh-rsa", ...). */
export function keyType(keyBlob: Buffer): string {
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('ascii');
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  return pattern.split(',').some((p) => {
    if (p.startsWith('!')) return false;
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return re.test(name);
  });
}

interface KnownEntry { marker?: string; type: string; key: string }

/** Every known_hosts line (of every file) that names address:port; @cert-authority lines are skipped. */
async function entriesFor(files: string[], address: string, port: number): Promise<KnownEntry[]> {
  const name = knownHostsName(address, port);
  const out: KnownEntry[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const fields = line.split(/\s+/);
      const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
      if (marker === '@cert-authority') continue;
      const [hosts, type, key] = fields;
      if (hosts && key && hostMatches(hosts, name)) out.push({ marker, type, key });
    }
  }
  return out;
}

/**
 * Verdict for a key offered by address:port against every given known_hosts file. Like OpenSSH, any known key for
 * the host, of any type, makes a different key a change: an attacker cannot dodge the check by offering another type.
 */
export async function checkHostKey(files: string[], address: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
  const offered = keyBlob.toString('base64');
  const entries = await entriesFor(files, address, port);
  if (entries.some((e) => e.marker === '@revoked' && e.key === offered)) return 'changed';
  const known = entries.filter((e) => e.marker !== '@revoked');
  if (known.some((e) => e.key === offered)) return 'known';
  return known.length > 0 ? 'changed' : 'unknown';
}

// ssh2's default host key algorithms, in its order; an RSA key is offered under the three RSA signature names.
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * Host key algorithms to offer, the types already known for this host first (as OpenSSH orders them), so a host
 * with several keys shows the one we know rather than looking changed. Undefined when no key is known.
 */
export async function preferredHostKeyAlgorithms(files: string[], address: string, port: number): Promise<string[] | undefined> {
  const types = new Set((await entriesFor(files, address, port)).filter((e) => e.marker !== '@revoked').map((e) => e.type));
  if (types.size === 0) return undefined;
  const known = HOST_KEY_ALGORITHMS.filter((a) => types.has(a) || (a.startsWith('rsa-sha2-') && types.has('ssh-rsa')));
  return [...known, ...HOST_KEY_ALGORITHMS.filter((a) => !known.includes(a))];
}

/** Append the key (hashed name, like HashKnownHosts yes) to a known_hosts file, creating it 0600. */
export async function addHostKey(file: string, address: string, port: number, keyBlob: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(knownHostsName(address, port)).digest('base64');
  await fs.appendFile(file, `|1|${salt.toString('base64')}|${hash} ${keyType(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}
