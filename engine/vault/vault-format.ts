// The vault format: AES-256-GCM (authenticated: a changed byte is refused) with a key derived by scrypt from the
// password and a per-value random salt. Text form, safe in YAML block scalars and files:
//   $RUNBOOK_VAULT;1;AES256-GCM;SCRYPT;<label>
//   base64(salt 16 | iv 12 | tag 16 | ciphertext), wrapped at 76 columns
// All of it from node:crypto; nothing home-made beyond the framing.

import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { ansibleVaultLabel, decryptAnsibleVault, isAnsibleVaultText } from './ansible-vault.js';

export const VAULT_HEADER = '$RUNBOOK_VAULT;1;AES256-GCM;SCRYPT';
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SALT = 16;
const IV = 12;
const TAG = 16;

export class VaultError extends Error {}

/** runbook's own vault data, or Ansible Vault data (read only). */
export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(`${VAULT_HEADER};`) || isAnsibleVaultText(text);
}

function deriveKey(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFC'), salt, 32, SCRYPT);
}

/** Encrypt text under a password; `label` names the identity whose password opens it. */
export function encryptText(plaintext: string, password: string, label = 'default'): string {
  if (!/^[\w.-]+$/.test(label)) throw new VaultError(`invalid vault id label '${label}' (letters, digits, . _ -)`);
  if (password.length === 0) throw new VaultError('the vault password is empty');
  const salt = randomBytes(SALT);
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([salt, iv, cipher.getAuthTag(), body]).toString('base64');
  return `${VAULT_HEADER};${label}\n${payload.match(/.{1,76}/g)!.join('\n')}\n`;
}

/** The label a vault text was written for. */
export function vaultLabel(text: string): string {
  const header = text.trimStart().split('\n', 1)[0].trim();
  if (!header.startsWith(`${VAULT_HEADER};`)) throw new VaultError('not runbook vault data (no $RUNBOOK_VAULT header)');
  return header.slice(VAULT_HEADER.length + 1);
}

/** Decrypt with the first password that authenticates; the label's own password is tried first. */
export function decryptText(text: string, passwords: Map<string, string>): string {
  if (isAnsibleVaultText(text)) return decryptAnsible(text, passwords);
  const label = vaultLabel(text);
  const payload = Buffer.from(text.trimStart().split('\n').slice(1).join('').replace(/\s+/g, ''), 'base64');
  if (payload.length < SALT + IV + TAG) throw new VaultError('vault data is truncated');
  if (passwords.size === 0) throw new VaultError(`encrypted (vault id '${label}') and no vault password was given: use --vault-password-file, --vault-id or --ask-vault-pass (or RUNBOOK_VAULT_PASSWORD_FILE)`);
  const salt = payload.subarray(0, SALT);
  const iv = payload.subarray(SALT, SALT + IV);
  const tag = payload.subarray(SALT + IV, SALT + IV + TAG);
  const body = payload.subarray(SALT + IV + TAG);
  const ordered = [...passwords.entries()].sort(([a], [b]) => Number(b === label) - Number(a === label));
  for (const [, password] of ordered) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, salt), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // wrong password or changed data: GCM cannot tell them apart; try the next identity
    }
  }
  throw new VaultError(`cannot decrypt (vault id '${label}'): wrong password, or the data was changed since it was encrypted`);
}

function decryptAnsible(text: string, passwords: Map<string, string>): string {
  const label = ansibleVaultLabel(text);
  if (passwords.size === 0) throw new VaultError(`encrypted with Ansible Vault (vault id '${label}') and no vault password was given: use --vault-password-file, --vault-id or --ask-vault-pass (or RUNBOOK_VAULT_PASSWORD_FILE)`);
  const ordered = [...passwords.entries()].sort(([a], [b]) => Number(b === label) - Number(a === label));
  for (const [, password] of ordered) {
    let plain: string | undefined;
    try {
      plain = decryptAnsibleVault(text, password);
    } catch (e) {
      throw new VaultError((e as Error).message);
    }
    if (plain !== undefined) return plain;
  }
  throw new VaultError(`cannot decrypt Ansible Vault data (vault id '${label}'): wrong password, or the data was changed since it was encrypted`);
}
