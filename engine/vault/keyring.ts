// Vault passwords of one command (from --vault-password-file, --vault-id label@source, --ask-vault-pass or
// RUNBOOK_VAULT_PASSWORD_FILE), and every value they revealed, so the run masks them in all output.
// The keyring of the command in flight is reached through AsyncLocalStorage: YAML is parsed in many places
// (playbooks, vars files, inventories) and the decryption must not depend on each caller passing it along.

import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { decryptText } from './vault-format.js';

export class VaultKeyring {
  readonly passwords = new Map<string, string>();
  /** Plaintexts this keyring revealed: secrets from the moment they exist. */
  readonly revealed = new Set<string>();

  /** Decrypt one value: the plaintext is a secret from now on. */
  decrypt(text: string): string {
    const plain = decryptText(text, this.passwords);
    if (plain.length > 0) this.revealed.add(plain);
    return plain;
  }

  /** Decrypt a whole file: every string in its parsed value is a secret, as is the text. */
  decryptDocument<T>(text: string, parse: (plain: string) => T): T {
    const parsed = parse(this.decrypt(text));
    const visit = (v: unknown, depth: number): void => {
      if (typeof v === 'string') { if (v.length > 0) this.revealed.add(v); return; }
      if (depth > 32 || v === null || typeof v !== 'object') return;
      for (const x of Object.values(v)) visit(x, depth + 1);
    };
    visit((parsed as { value?: unknown }).value ?? parsed, 0);
    return parsed;
  }
}

const current = new AsyncLocalStorage<VaultKeyring>();

export function withKeyring<T>(keyring: VaultKeyring, fn: () => Promise<T>): Promise<T> {
  return current.run(keyring, fn);
}

/** The keyring of the command in flight (an empty one outside any). */
export function currentKeyring(): VaultKeyring {
  return current.getStore() ?? new VaultKeyring();
}

export interface VaultOptions {
  vaultPasswordFile?: string[];
  vaultId?: string[];
  askVaultPass?: boolean;
}

/** A password file, or an executable that prints the password (as Ansible runs vault password scripts). */
export function readPasswordSource(given: string): string {
  const file = path.resolve(given);
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`vault password file ${file} is not a regular file`);
    let executable = false;
    try { accessSync(file, constants.X_OK); executable = true; } catch { /* a plain file */ }
    text = executable ? execFileSync(file, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }) : readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read vault password file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const password = text.replace(/\r?\n$/, '');
  if (password.length === 0) throw new UsageError(`vault password file ${file} is empty`);
  return password;
}

export async function buildKeyring(o: VaultOptions, env: NodeJS.ProcessEnv, prompt: (question: string) => Promise<string>): Promise<VaultKeyring> {
  const keyring = new VaultKeyring();
  const add = (label: string, password: string) => {
    if (keyring.passwords.has(label)) throw new UsageError(`vault id '${label}' given twice`);
    keyring.passwords.set(label, password);
  };
  const files = [...(o.vaultPasswordFile ?? [])];
  if (files.length === 0 && !o.vaultId?.length && !o.askVaultPass && env.RUNBOOK_VAULT_PASSWORD_FILE) files.push(env.RUNBOOK_VAULT_PASSWORD_FILE);
  for (const file of files) add(files.length === 1 ? 'default' : file, readPasswordSource(file));
  for (const spec of o.vaultId ?? []) {
    const at = spec.indexOf('@');
    const label = at > 0 ? spec.slice(0, at) : 'default';
    const source = at > 0 ? spec.slice(at + 1) : spec;
    add(label, source === 'prompt' ? await prompt(`Vault password (${label}): `) : readPasswordSource(source));
  }
  if (o.askVaultPass) add('default', await prompt('Vault password: '));
  return keyring;
}
