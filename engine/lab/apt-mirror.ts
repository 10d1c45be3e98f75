// The lab's offline apt repository (`runbook lab up N --with apt-mirror`): small real .deb packages built with dpkg-deb
// for what the playbooks install and this machine cannot (Kubernetes tools at the versions the playbooks pin, docker-ce,
// containerd, ceph-common, lvm2, heketi), served to lab hosts as a flat file: repository, so no host needs a network.

import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** On the machine's root filesystem, so every lab host (an overlay of it) sees it read-only. */
export const REPO_DIR = '/var/cache/runbook-lab/repo';

interface StandInPackage { name: string; version: string; files?: Record<string, { content: string; mode: number }> }

const KUBERNETES_VERSIONS = ['1.13.1-00', '1.14.0-00', '1.25.16-1.1', '1.28.2-1.1', '1.30.6-1.1'];

/** heketi 6.0.0-1.el7 as the article of seed 001 found it: its unit starts heketi with `-config=` (one dash). */
const HEKETI_UNIT = [
  '[Unit]', 'Description=Heketi Server', '', '[Service]', 'Type=simple', 'WorkingDirectory=/var/lib/heketi',
  'ExecStart=/usr/bin/heketi -config=/etc/heketi/heketi.json', 'Restart=on-failure', '', '[Install]', 'WantedBy=multi-user.target', '',
].join('\n');
const HEKETI_DEFAULT_CONFIG = `${JSON.stringify({ port: '8080', use_auth: false, jwt: { admin: { key: 'My Secret' }, user: { key: 'My Secret' } }, glusterfs: { executor: 'mock', db: '/var/lib/heketi/heketi.db', loglevel: 'warning' } }, null, 2)}\n`;

const PACKAGES: StandInPackage[] = [
  ...['kubelet', 'kubeadm', 'kubectl'].flatMap((name) => KUBERNETES_VERSIONS.map((version) => ({ name, version }))),
  { name: 'docker-ce', version: '5:17.09.0~ce-0~debian' },
  { name: 'containerd', version: '1.6.20~ds1-1' },
  { name: 'ceph-common', version: '16.2.11+ds-2' },
  // heketi's storage nodes need LVM; a lab host cannot make volume groups on the shared kernel's device mapper.
  { name: 'lvm2', version: '2.03.16-2', files: { 'usr/sbin/lvm': { content: '#!/bin/sh\necho "  LVM version: 2.03.16(2) (runbook lab stand-in)"\n', mode: 0o755 } } },
  {
    name: 'heketi', version: '6.0.0-1.el7',
    files: {
      // The binary is the lab's heketi stand-in (`--with heketi`), which parses flags as heketi's cobra CLI does.
      'usr/bin/heketi': { content: '#!/bin/sh\n[ -x /usr/local/bin/heketi ] || { echo "heketi: the lab stand-in is missing (runbook lab up --with heketi)" >&2; exit 1; }\nexec /usr/local/bin/heketi "$@"\n', mode: 0o755 },
      'lib/systemd/system/heketi.service': { content: HEKETI_UNIT, mode: 0o644 },
      'etc/heketi/heketi.json': { content: HEKETI_DEFAULT_CONFIG, mode: 0o644 },
      'var/lib/heketi/.keep': { content: '', mode: 0o644 },
    },
  },
  { name: 'heketi-client', version: '6.0.0-1.el7' },
  // A package with a configuration file (a dpkg conffile), for package tests: removing it without purge leaves it.
  {
    name: 'runbook-conffile', version: '1.0-1',
    files: {
      'usr/bin/runbook-conffile': { content: '#!/bin/sh\necho "runbook-conffile 1.0-1"\n', mode: 0o755 },
      'etc/runbook-conffile.conf': { content: 'setting = shipped\n', mode: 0o644 },
    },
  },
];

async function buildDeb(p: StandInPackage, out: string): Promise<void> {
  const root = await fs.mkdtemp(path.join(REPO_DIR, '.build-'));
  try {
    await fs.mkdir(path.join(root, 'DEBIAN'), { recursive: true });
    await fs.writeFile(path.join(root, 'DEBIAN/control'), [
      `Package: ${p.name}`, `Version: ${p.version}`, 'Architecture: all', 'Maintainer: runbook lab <lab@runbook.invalid>',
      'Section: admin', 'Priority: optional', `Description: ${p.name} (runbook lab stand-in package)`, ' Built by runbook lab for hosts without a network.', '',
    ].join('\n'));
    const files = p.files ?? { [`usr/bin/${p.name}`]: { content: `#!/bin/sh\necho "${p.name} ${p.version}"\n`, mode: 0o755 } };
    for (const [rel, f] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await fs.writeFile(path.join(root, rel), f.content, { mode: f.mode });
    }
    // Files under /etc are conffiles, as dpkg-deb's debhelper would mark them.
    const conffiles = Object.keys(files).filter((f) => f.startsWith('etc/')).map((f) => `/${f}\n`).join('');
    if (conffiles) await fs.writeFile(path.join(root, 'DEBIAN/conffiles'), conffiles);
    // Built under a temporary name: labs and test processes may build the repository at the same moment.
    await run('dpkg-deb', ['--root-owner-group', '--build', root, `${out}.tmp`]);
    await fs.rename(`${out}.tmp`, out);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

/** Builds the repository once (idempotent, safe to run concurrently); returns the apt source line for lab hosts. */
export async function ensureLabRepo(): Promise<string> {
  await fs.mkdir(REPO_DIR, { recursive: true, mode: 0o755 });
  for (const p of PACKAGES) {
    const file = path.join(REPO_DIR, `${p.name}_${p.version.replace(/^\d+:/, '')}_all.deb`);
    if (!(await fs.stat(file).catch(() => null))) await buildDeb(p, file);
  }
  const { stdout } = await run('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: REPO_DIR, maxBuffer: 16 * 1024 * 1024 });
  const tmp = path.join(REPO_DIR, `Packages.${process.pid}.tmp`);
  await fs.writeFile(tmp, stdout);
  await fs.rename(tmp, path.join(REPO_DIR, 'Packages'));
  return `deb [trusted=yes] file:${REPO_DIR} ./`;
}

/** Points a lab host's apt at the local repository only, and refreshes its lists. */
export function useRepoScript(sourceLine: string): string {
  return [
    'set -e',
    'rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*',
    `echo '${sourceLine}' > /etc/apt/sources.list.d/runbook-lab.list`,
    'apt-get update -qq -o APT::Update::Error-Mode=any >/dev/null',
  ].join('\n');
}
