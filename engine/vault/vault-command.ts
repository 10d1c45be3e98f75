// `runbook vault create|encrypt|decrypt|view|edit|rekey|encrypt-string`. Files are written whole (temp + rename,
// 0600). `edit` and `create` put the plaintext only in a 0600 file on /dev/shm (memory), removed on every exit path.

import { spawnSync } from 'node:child_process';
import { promises as fs, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/exit-codes.js';
import { promptSecret } from '../cli/prompt.js';
import { buildKeyring, readPasswordSource, type VaultKeyring, type VaultOptions } from './keyring.js';
import { decryptText, encryptText, isVaultText, VaultError } from './vault-format.js';

interface VaultCliOptions extends VaultOptions { encryptVaultId?: string; newVaultPasswordFile?: string; newVaultId?: string; name?: string }

/** The identity that encrypts: the one asked for, else the only one given. */
function encryptionKey(keyring: VaultKeyring, label?: string): { label: string; password: string } {
  if (keyring.passwords.size === 0) throw new UsageError('no vault password: use --vault-password-file, --vault-id or --ask-vault-pass (or RUNBOOK_VAULT_PASSWORD_FILE)');
  if (label) {
    const password = keyring.passwords.get(label);
    if (password === undefined) throw new UsageError(`--encrypt-vault-id ${label}: no such identity was given`);
    return { label, password };
  }
  if (keyring.passwords.size > 1) throw new UsageError('several vault identities given: say which encrypts with --encrypt-vault-id');
  const [[only, password]] = [...keyring.passwords.entries()];
  return { label: only, password };
}

async function writePrivate(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.runbook-${process.pid}.tmp`);
  await fs.writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
  await fs.rename(tmp, file);
}

async function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'not found' : e.message}`);
  });
}

function decryptFile(text: string, file: string, keyring: VaultKeyring): string {
  if (!isVaultText(text)) throw new UsageError(`${file} is not encrypted`);
  try {
    return decryptText(text, keyring.passwords);
  } catch (e) {
    if (e instanceof VaultError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

/** The operator edits plaintext in a 0600 file under a 0700 folder on /dev/shm; it is removed whatever happens. */
function editInMemory(initial: string, io: CliIO): string {
  if (!existsSync('/dev/shm')) throw new UsageError('vault edit needs /dev/shm (memory-backed) so the plaintext never reaches a disk');
  const dir = path.join('/dev/shm', `runbook-vault-${process.pid}-${Date.now()}`);
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  try {
    mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'edit.yml');
    writeFileSync(file, initial, { mode: 0o600, flag: 'wx' });
    const editor = io.env.VISUAL || io.env.EDITOR || 'vi';
    const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'editor', file], { stdio: 'inherit', env: io.env });
    if (r.status !== 0) throw new UsageError(`the editor (${editor}) exited with ${r.status ?? r.signal}: nothing saved`);
    return readFileSync(file, 'utf8');
  } finally {
    cleanup();
    process.off('exit', cleanup);
  }
}

export async function vaultCommand(action: string, files: string[], o: VaultCliOptions, io: CliIO): Promise<number> {
  const keyring = await buildKeyring(o, io.env, promptSecret);
  const abs = (f: string) => path.resolve(io.cwd, f);
  switch (action) {
    case 'encrypt-string': {
      const { label, password } = encryptionKey(keyring, o.encryptVaultId);
      const value = files[0] ?? (await readStdin());
      const body = encryptText(value, password, label).trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
      io.out(`${o.name ?? 'secret'}: !vault |\n${body}\n`);
      return EXIT.ok;
    }
    case 'create': {
      const file = abs(files[0]);
      if (existsSync(file)) throw new UsageError(`${files[0]} exists: use vault edit`);
      const { label, password } = encryptionKey(keyring, o.encryptVaultId);
      await writePrivate(file, encryptText(editInMemory('', io), password, label));
      return EXIT.ok;
    }
    case 'edit': {
      const file = abs(files[0]);
      const text = await readText(file);
      const plain = decryptFile(text, files[0], keyring);
      const { label, password } = encryptionKey(keyring, o.encryptVaultId);
      const edited = editInMemory(plain, io);
      if (edited !== plain) await writePrivate(file, encryptText(edited, password, label));
      return EXIT.ok;
    }
    case 'view':
      io.out(decryptFile(await readText(abs(files[0])), files[0], keyring));
      return EXIT.ok;
    case 'encrypt': {
      const { label, password } = encryptionKey(keyring, o.encryptVaultId);
      for (const f of files) {
        const text = await readText(abs(f));
        if (isVaultText(text)) throw new UsageError(`${f} is already encrypted`);
        await writePrivate(abs(f), encryptText(text, password, label));
      }
      return EXIT.ok;
    }
    case 'decrypt':
      for (const f of files) await writePrivate(abs(f), decryptFile(await readText(abs(f)), f, keyring));
      return EXIT.ok;
    case 'rekey': {
      if (!o.newVaultPasswordFile) throw new UsageError('rekey needs --new-vault-password-file');
      const newPassword = readPasswordSource(path.resolve(io.cwd, o.newVaultPasswordFile));
      for (const f of files) {
        const plain = decryptFile(await readText(abs(f)), f, keyring);
        await writePrivate(abs(f), encryptText(plain, newPassword, o.newVaultId ?? 'default'));
      }
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown vault action '${action}'`);
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return promptSecret('Value to encrypt: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
