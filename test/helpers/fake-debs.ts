// The lab's offline apt repository for tests (the one `runbook lab up --with apt-mirror` serves), and the same packages
// as a signed repository for package_repository tests: installs, pins, upgrades and removals are real, with no network.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureLabRepo, REPO_DIR, useRepoScript } from '../../engine/lab/apt-mirror.js';

const run = promisify(execFile);
/** The lab's own offline repository (engine/lab/apt-mirror.ts, `runbook lab up --with apt-mirror`). */
export const ensureFakeRepo = ensureLabRepo;
export { REPO_DIR, useRepoScript };

/**
 * The same packages as a SIGNED flat repository (Release + InRelease clear-signed with a throwaway ed25519 key made
 * by gpg in a private GNUPGHOME), for package_repository tests: apt only accepts it through the right signed-by key.
 * Returns the apt source line (without signed-by) and the armored public key. `otherKey` is a second, unrelated key.
 */
export async function ensureSignedRepo(): Promise<{ sourceLine: string; publicKey: string; otherKey: string }> {
  await ensureFakeRepo();
  const dir = `${REPO_DIR}-signed`;
  const home = path.join(dir, '.gnupg');
  const gpg = (...a: string[]) => run('gpg', ['--homedir', home, '--batch', '--quiet', ...a], { maxBuffer: 16 * 1024 * 1024 });
  const keyFile = path.join(dir, 'key.asc');
  if (!(await fs.stat(keyFile).catch(() => null))) {
    await fs.rm(dir, { recursive: true, force: true });
    // The repository must be readable by apt's sandbox user (_apt); only the key material is private.
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    await fs.mkdir(home, { mode: 0o700 });
    await gpg('--passphrase', '', '--quick-gen-key', 'runbook lab repository <lab@runbook.invalid>', 'ed25519', 'sign', 'never');
    await gpg('--passphrase', '', '--quick-gen-key', 'unrelated key <other@runbook.invalid>', 'ed25519', 'sign', 'never');
    for (const f of (await fs.readdir(REPO_DIR)).filter((n) => n.endsWith('.deb') || n === 'Packages')) await fs.copyFile(path.join(REPO_DIR, f), path.join(dir, f));
    const packages = await fs.readFile(path.join(dir, 'Packages'));
    const sha = createHash('sha256').update(packages).digest('hex');
    await fs.writeFile(path.join(dir, 'Release'), `Origin: runbook-lab\nLabel: runbook-lab\nDate: ${new Date().toUTCString()}\nSHA256:\n ${sha} ${packages.length} Packages\n`);
    await gpg('--yes', '--local-user', 'lab@runbook.invalid', '--clearsign', '-o', path.join(dir, 'InRelease'), path.join(dir, 'Release'));
    await fs.writeFile(keyFile, (await gpg('--armor', '--export', 'lab@runbook.invalid')).stdout);
    await fs.writeFile(path.join(dir, 'other.asc'), (await gpg('--armor', '--export', 'other@runbook.invalid')).stdout);
  }
  return { sourceLine: `deb file:${dir} ./`, publicKey: await fs.readFile(keyFile, 'utf8'), otherKey: await fs.readFile(path.join(dir, 'other.asc'), 'utf8') };
}
