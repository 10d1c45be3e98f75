// package_repository: an apt source (with its signed-by keyring) or a yum .repo file — where every seed starts.

import { promises as fs } from 'node:fs';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { filePath, simpleName } from './lib/arg-kinds.js';
import { debLineToDeb822 } from './lib/deb822.js';
import { applyFileWrites, type FileWrite } from './lib/file-writes.js';
import { fetchPinnedKey, normaliseFingerprint, readKeyFile } from './lib/repo-key.js';

interface RepoArgs {
  name: string;
  repo?: string;
  baseurl?: string;
  key?: string;
  key_src?: string;
  key_url?: string;
  key_fingerprint?: string;
  format: 'one_line' | 'deb822';
  gpgcheck: boolean;
  enabled: boolean;
  state: 'present' | 'absent';
  use?: 'auto' | 'apt' | 'yum' | 'dnf';
}

interface RepoState {
  kind: 'apt' | 'yum';
  source: FileState;
  keyring: FileState;
  key?: string;
  /** apt: the same source in the other format (.list vs .sources), removed when present. */
  otherSource?: FileState;
}

type RepoData = FileWrite;

const aptSource = (name: string, format: RepoArgs['format'] = 'one_line') => `/etc/apt/sources.list.d/${name}.${format === 'deb822' ? 'sources' : 'list'}`;
const aptKeyring = (name: string) => `/etc/apt/keyrings/${name}.asc`;
const yumRepo = (name: string) => `/etc/yum.repos.d/${name}.repo`;

function kindOf(host: Host, use: RepoArgs['use']): 'apt' | 'yum' {
  if (use === 'apt' || use === 'yum') return use;
  if (use === 'dnf') return 'yum'; // the same .repo files
  return host.facts.pkg_mgr === 'apt' ? 'apt' : 'yum';
}

/** The exact file contents wanted. */
export function repoFiles(kind: 'apt' | 'yum', args: RepoArgs, key: string | undefined): { source: string; keyring?: string } {
  if (kind === 'apt') {
    if (!args.repo) throw new ModuleError('an apt repository needs repo: "deb [arch=amd64] URL SUITE COMPONENTS"');
    let line = args.repo.trim();
    if (args.format === 'deb822') return { source: debLineToDeb822(line, key !== undefined ? aptKeyring(args.name) : undefined), keyring: key };
    if (key !== undefined && !/signed-by=/.test(line)) {
      line = /^deb(-src)?\s+\[/.test(line) ? line.replace(/\[/, `[signed-by=${aptKeyring(args.name)} `) : line.replace(/^(deb(-src)?)\s+/, `$1 [signed-by=${aptKeyring(args.name)}] `);
    }
    return { source: `${line}\n`, keyring: key };
  }
  if (!args.baseurl) throw new ModuleError('a yum repository needs baseurl');
  return {
    source: [`[${args.name}]`, `name=${args.name}`, `baseurl=${args.baseurl}`, `enabled=${args.enabled ? 1 : 0}`, `gpgcheck=${args.gpgcheck ? 1 : 0}`, ...(args.key_src || args.key || args.key_url ? [`gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-${args.name}`] : []), ''].join('\n'),
    keyring: key,
  };
}

/** The key from key_url (fetched by the controller), key_src or key; checked against key_fingerprint when given. */
async function readKey(args: RepoArgs, controllerPath: (arg: string, value: string) => Promise<string>): Promise<string | undefined> {
  if (args.key_url) return fetchPinnedKey(args.key_url, args.key_fingerprint!);
  let key = args.key;
  if (args.key_src) {
    const file = await controllerPath('key_src', args.key_src);
    key = await fs.readFile(file, 'utf8').catch(() => { throw new ModuleError(`key_src ${args.key_src} not found (looked at ${file})`); });
  }
  if (key !== undefined && args.key_fingerprint) {
    const pinned = normaliseFingerprint(args.key_fingerprint);
    const found = await readKeyFile(Buffer.from(key)).catch((e: Error) => { throw new ModuleError(`the signing key is not an OpenPGP public key: ${e.message}`); });
    if (!found.fingerprints.includes(pinned)) throw new ModuleError(`the signing key is ${found.fingerprints.join(', ')}, not the pinned key_fingerprint ${pinned}: refused`);
  }
  return key;
}

export default defineModule<RepoArgs, RepoState, RepoData>({
  name: 'package_repository',
  doc: 'Add (or remove) a package repository: an apt source with its own signed-by keyring in /etc/apt/keyrings, or a yum .repo file with its GPG key. The key comes from the controller (key_src), inline (key), or from key_url fetched by the controller and refused unless its fingerprint is key_fingerprint: nothing reaches a host unchecked. apt sources are one-line .list files or deb822 .sources files (format); switching format removes the other file. Follow it with package: {update_cache: true}.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    allOf: [
      { if: { properties: { use: { const: 'apt' }, state: { const: 'present' } }, required: ['use'] }, then: { required: ['repo'] } },
      { if: { properties: { use: { const: 'yum' }, state: { const: 'present' } }, required: ['use'] }, then: { required: ['baseurl'] } },
      { if: { properties: { state: { const: 'present' } } }, then: { anyOf: [{ required: ['repo'] }, { required: ['baseurl'] }] } },
      { if: { required: ['key_url'] }, then: { required: ['key_fingerprint'] } },
      { not: { required: ['key_url', 'key_src'] } },
      { not: { required: ['key_url', 'key'] } },
      { not: { required: ['key_src', 'key'] } },
    ],
    properties: {
      name: { ...simpleName, description: 'File name of the source / repo id (docker, kubernetes, gluster).' },
      repo: { type: 'string', title: 'deb line', pattern: '^deb(-src)?[ \\t]+[^\\n\\r\\0]+$', description: 'apt: the deb line ("deb [arch=amd64] https://download.docker.com/linux/debian bookworm stable").' },
      baseurl: { type: 'string', title: 'URL', pattern: '^[A-Za-z][A-Za-z0-9+.-]*://[^\\s]+$', description: 'yum: the base URL.' },
      key: { type: 'string', description: 'The repository signing key (ASCII armoured) inline.' },
      key_src: { ...filePath, description: 'The signing key as a file on the controller, relative to the playbook.' },
      key_url: { type: 'string', title: 'http(s) URL', pattern: '^https?://[^\\s]+$', description: 'The signing key, fetched by the controller (never by the host) on every run, and checked against key_fingerprint (required with it).' },
      key_fingerprint: { type: 'string', title: 'OpenPGP fingerprint', pattern: '^([0-9A-Fa-f]{4} ?){10}$|^[0-9A-Fa-f]{64}$', description: 'The fingerprint (40 hex digits, spaces allowed) the key must have, from key_url, key_src or key; another key is refused before anything is written.' },
      format: { enum: ['one_line', 'deb822'], default: 'one_line', description: 'apt: a one-line NAME.list, or a deb822 NAME.sources file (Types, URIs, Suites, Components, Signed-By) made from the same repo line.' },
      gpgcheck: { type: 'boolean', default: true, description: 'yum: check signatures.' },
      enabled: { type: 'boolean', default: true, description: 'yum: enabled.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'absent removes the source and its key.' },
      use: { enum: ['auto', 'apt', 'yum', 'dnf'], default: 'auto', description: 'Which kind of repository; auto from facts (dnf writes the same .repo files as yum).' },
    },
  },
  examples: [
    { name: 'Docker CE for Debian', args: { name: 'docker', repo: 'deb [arch=amd64] https://download.docker.com/linux/debian bookworm stable', key_src: 'files/docker.asc' } },
    { name: 'Kubernetes for CentOS 7', args: { name: 'kubernetes', baseurl: 'https://packages.cloud.google.com/yum/repos/kubernetes-el7-x86_64', key_src: 'files/kubernetes.gpg' } },
  ],
  reversible: true,
  async inspect(host, args, ctx) {
    const kind = kindOf(host, args.use);
    const key = args.state === 'absent' ? undefined : await readKey(args, ctx.controllerPath);
    const keyPath = kind === 'apt' ? aptKeyring(args.name) : `/etc/pki/rpm-gpg/RPM-GPG-KEY-${args.name}`;
    const other = kind === 'apt' ? await readFileState(host, aptSource(args.name, args.format === 'deb822' ? 'one_line' : 'deb822')) : undefined;
    return { kind, key, source: await readFileState(host, kind === 'apt' ? aptSource(args.name, args.format) : yumRepo(args.name)), keyring: await readFileState(host, keyPath), ...(other ? { otherSource: other } : {}) };
  },
  plan(s, args): Change<RepoData>[] {
    const changes: Change<RepoData>[] = [];
    if (args.state === 'absent') {
      for (const f of [s.source, s.otherSource, s.keyring]) if (f?.exists) changes.push({ msg: `remove ${f.path}`, diff: { path: f.path, before: f.content ?? '', after: '' }, data: { path: f.path, content: null } });
      return changes;
    }
    const want = repoFiles(s.kind, args, s.key);
    if (want.keyring !== undefined && s.keyring.content !== want.keyring) changes.push({ msg: `${s.keyring.exists ? 'update' : 'add'} signing key ${s.keyring.path}`, data: { path: s.keyring.path, content: want.keyring } });
    if (s.otherSource?.exists) changes.push({ msg: `remove ${s.otherSource.path} (the source is now ${s.source.path})`, diff: { path: s.otherSource.path, before: s.otherSource.content ?? '', after: '' }, data: { path: s.otherSource.path, content: null } });
    if (s.source.content !== want.source) changes.push({ msg: `${s.source.exists ? 'update' : 'add'} repository ${s.source.path}`, diff: { path: s.source.path, before: s.source.content ?? '', after: want.source }, data: { path: s.source.path, content: want.source } });
    return changes;
  },
  async apply(host, _args, changes) {
    await applyFileWrites(host, changes.map((c) => c.data));
  },
  async revert(host, { before }) {
    await restoreFile(host, before.source);
    if (before.otherSource) await restoreFile(host, before.otherSource);
    await restoreFile(host, before.keyring);
  },
});
