// Registers `runbook vault …` (flags only); vault/vault-command.ts runs when the command does.

import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { addVaultOptions } from './options.js';

export function registerVaultCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const vault = program.command('vault').description('encrypted secrets: whole files or single values (AES-256-GCM, scrypt); docs/vault.md');
  const run = (action: string) => async (...args: unknown[]) => {
    const { vaultCommand } = await import('../vault/vault-command.js');
    const cmd = args[args.length - 1] as Command;
    setExit(await vaultCommand(action, cmd.args, cmd.opts(), io));
  };
  const withKeys = (c: Command) => addVaultOptions(c).option('--encrypt-vault-id <label>', 'which identity encrypts (default: the only one given)');
  withKeys(vault.command('create <file>').description('write a new encrypted file with $EDITOR (plaintext only in memory-backed /dev/shm)')).action(run('create'));
  withKeys(vault.command('encrypt <files...>').description('encrypt files in place')).action(run('encrypt'));
  withKeys(vault.command('decrypt <files...>').description('decrypt files in place (plaintext on disk: prefer view or edit)')).action(run('decrypt'));
  withKeys(vault.command('view <file>').description('print the decrypted content')).action(run('view'));
  withKeys(vault.command('edit <file>').description('edit an encrypted file with $EDITOR; plaintext never touches a disk')).action(run('edit'));
  withKeys(vault.command('rekey <files...>').description('re-encrypt under a new password'))
    .option('--new-vault-password-file <file>', 'the new password')
    .option('--new-vault-id <label>', 'the new identity label', 'default')
    .action(run('rekey'));
  withKeys(vault.command('encrypt-string [value]').description('encrypt one value for a vars file (`name: !vault |`); reads stdin when no value is given'))
    .option('-n, --name <name>', 'the variable name to print')
    .action(run('encrypt-string'));
}
