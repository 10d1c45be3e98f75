// A small local apt repository of real .deb packages built with dpkg-deb (kubelet/kubeadm/kubectl at two versions,
// a docker-ce, containerd, ceph-common, and runbook-conffile with a conffile), so package tests install, pin, upgrade and remove for real inside lab hosts, with no network.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** On the machine's root filesystem, so every lab host (an overlay of it) sees it read-only. */
export const REPO_DIR = '/var/cache/runbook-lab/repo';

const PACKAGES: Array<{ name: string; version: string }> = [
  { name: 'kubelet', version: '1.13.1-00' }, { name: 'kubelet', version: '1.14.0-00' },
  { name: 'kubeadm', version: '1.13.1-00' }, { name: 'kubeadm', version: '1.14.0-00' },
  { name: 'kubectl', version: '1.13.1-00' }, { name: 'kubectl', version: '1.14.0-00' },
  { name: 'docker-ce', version: '5:17.09.0~ce-0~debian' },
  { name: 'containerd', version: '1.6.20~ds1-1' },
  { name: 'ceph-common', version: '16.2.11+ds-2' },
  // A package with a configuration file (a dpkg conffile): removing it without purge leaves it (status rc).
  { name: 'runbook-conffile', version: '1.0-1' },
];

async function buildDeb(name: string, version: string, out: string): Promise<void> {
  const root = await fs.mkdtemp(path.join(REPO_DIR, '.build-'));
  try {
    await fs.mkdir(path.join(root, 'DEBIAN'), { recursive: true });
    await fs.mkdir(path.join(root, 'usr/bin'), { recursive: true });
    await fs.writeFile(path.join(root, 'DEBIAN/control'), [
      `Package: ${name}`, `Version: ${version}`, 'Architecture: all', 'Maintainer: runbook tests <tests@runbook.invalid>',
      'Section: admin', 'Priority: optional', `Description: ${name} (runbook lab test package)`, ' Installs /usr/bin/NAME printing its version.', '',
    ].join('\n'));
    await fs.writeFile(path.join(root, `usr/bin/${name}`), `#!/bin/sh\necho "${name} ${version}"\n`, { mode: 0o755 });
    if (name === 'runbook-conffile') {
      await fs.mkdir(path.join(root, 'etc'), { recursive: true });
      await fs.writeFile(path.join(root, `etc/${name}.conf`), 'setting = shipped\n');
      await fs.writeFile(path.join(root, 'DEBIAN/conffiles'), `/etc/${name}.conf\n`);
    }
    await run('dpkg-deb', ['--root-owner-group', '--build', root, out]);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

/** Build the repository once (idempotent); returns the apt source line for lab hosts. */
export async function ensureFakeRepo(): Promise<string> {
  await fs.mkdir(REPO_DIR, { recursive: true });
  for (const p of PACKAGES) {
    const file = path.join(REPO_DIR, `${p.name}_${p.version.replace(/^\d+:/, '')}_all.deb`);
    if (!(await fs.stat(file).catch(() => null))) await buildDeb(p.name, p.version, file);
  }
  const { stdout } = await run('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: REPO_DIR, maxBuffer: 16 * 1024 * 1024 });
  await fs.writeFile(path.join(REPO_DIR, 'Packages'), stdout);
  return `deb [trusted=yes] file:${REPO_DIR} ./`;
}

/** Point a lab host's apt at the local repository only, and refresh its lists. */
export function useRepoScript(sourceLine: string): string {
  return [
    'set -e',
    'rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*',
    `echo '${sourceLine}' > /etc/apt/sources.list.d/runbook-lab.list`,
    'apt-get update -qq -o APT::Update::Error-Mode=any >/dev/null',
  ].join('\n');
}

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
