// Runs a command with the vault keyring its flags (or RUNBOOK_VAULT_PASSWORD_FILE) give, so every YAML file it
// reads can decrypt `!vault` values and encrypted files.

import { buildKeyring, withKeyring, type VaultOptions } from '../vault/keyring.js';
import type { CliIO } from './io.js';
import { promptSecret } from './prompt.js';

export async function withVault<T>(o: VaultOptions, io: CliIO, fn: () => Promise<T>): Promise<T> {
  const keyring = await buildKeyring(o, io.env, promptSecret);
  return withKeyring(keyring, fn);
}
