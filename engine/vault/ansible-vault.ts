// Reading Ansible Vault 1.1/1.2 data (AES256: PBKDF2-SHA256 10000 rounds → AES-256-CTR key, HMAC-SHA256 key, IV;
// the HMAC is checked before anything is decrypted), so vaulted vars users bring from Ansible work unchanged.
// runbook reads this format; it writes its own (vault-format.ts).

import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const ANSIBLE_HEADER = '$ANSIBLE_VAULT;';

export function isAnsibleVaultText(text: string): boolean {
  return text.trimStart().startsWith(ANSIBLE_HEADER);
}

export function ansibleVaultLabel(text: string): string {
  const fields = text.trimStart().split('\n', 1)[0].trim().split(';');
  return fields[3] ?? 'default';
}

/** The plaintext, or undefined when this password does not authenticate the data. */
export function decryptAnsibleVault(text: string, password: string): string | undefined {
  const lines = text.trimStart().split('\n');
  const [, version, cipher] = lines[0].trim().split(';');
  if (!['1.1', '1.2'].includes(version) || cipher !== 'AES256') throw new Error(`Ansible vault format ${version}/${cipher} is not supported (1.1 and 1.2 with AES256 are)`);
  const inner = Buffer.from(lines.slice(1).join('').replace(/\s+/g, ''), 'hex').toString('latin1').split('\n');
  if (inner.length !== 3) throw new Error('Ansible vault data is malformed');
  const [salt, hmac, ciphertext] = inner.map((h) => Buffer.from(h, 'hex'));
  const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10000, 80, 'sha256');
  const expected = createHmac('sha256', derived.subarray(32, 64)).update(ciphertext).digest();
  if (expected.length !== hmac.length || !timingSafeEqual(expected, hmac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', derived.subarray(0, 32), derived.subarray(64, 80));
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const pad = padded[padded.length - 1];
  if (pad < 1 || pad > 16) throw new Error('Ansible vault data has invalid padding');
  return padded.subarray(0, padded.length - pad).toString('utf8');
}
