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

/** Verdict for a key offered by address:port against every given known_hosts file. */
export async function checkHostKey(files: string[], address: string, port: number, keyBlob: Buffer): Promise<HostKeyVerdict> {
  const name = knownHostsName(address, port);
  const offered = keyBlob.toString('base64');
  const type = keyType(keyBlob);
  let sawHost = false;
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const fields = line.split(/\s+/);
      const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
      if (marker === '@cert-authority') continue;
      const [hosts, ktype, key] = fields;
      if (!hosts || !key || !hostMatches(hosts, name)) continue;
      if (marker === '@revoked') {
        if (key === offered) return 'changed';
        continue;
      }
      if (key === offered) return 'known';
      // A different key of the same type for this host is a changed key; another type only says "seen".
      if (ktype === type) sawHost = true;
    }
  }
  return sawHost ? 'changed' : 'unknown';
}

/** Append the key (hashed name, like HashKnownHosts yes) to a known_hosts file, creating it 0600. */
export async function addHostKey(file: string, address: string, port: number, keyBlob: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(knownHostsName(address, port)).digest('base64');
  await fs.appendFile(file, `|1|${salt.toString('base64')}|${hash} ${keyType(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}
