// Package managers behind the package module: apt (dpkg) and dnf/yum (rpm) — query, install, remove. Package names
// always follow `--`, so none can be read as an option.

import { ModuleError } from '../../engine/errors.js';
import type { Host } from '../../engine/types.js';
import { mustRun } from './must-run.js';

export type Manager = 'apt' | 'dnf' | 'yum';

/** A package as the user wrote it: `kubelet=1.13.1-00` (apt), `docker-ce-17.09*` (yum), or a bare name. */
export interface PackageSpec { spec: string; name: string; version?: string }

export function parseSpec(spec: string, mgr: Manager): PackageSpec {
  if (mgr === 'apt') {
    const eq = spec.indexOf('=');
    return eq < 0 ? { spec, name: spec } : { spec, name: spec.slice(0, eq), version: spec.slice(eq + 1) };
  }
  const m = /^(.+?)-(\d[^/]*)$/.exec(spec);
  return m ? { spec, name: m[1], version: m[2] } : { spec, name: spec };
}

/** Version globbing as the managers do it: "1.13*" matches "1.13.1-00". */
export function versionMatches(installed: string, wanted: string): boolean {
  const re = new RegExp(`^${wanted.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  // rpm versions carry the release after a dash; "17.09*" and "17.09.0.ce-1.el7" both address the same build.
  return re.test(installed) || re.test(installed.replace(/^\d+:/, ''));
}

/** Installed versions of the given package names (absent ones are missing from the map). */
export async function installedVersions(host: Host, mgr: Manager, names: string[]): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const out: Record<string, string> = {};
  if (mgr === 'apt') {
    const res = await host.run(['dpkg-query', '-W', '-f', '${Package}\\t${db:Status-Abbrev}\\t${Version}\\n', '--', ...names]);
    for (const line of res.stdout.split('\n')) {
      const [name, status, version] = line.split('\t');
      if (name && status?.startsWith('ii')) out[name] = version;
    }
  } else {
    const res = await host.run(['rpm', '-q', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\n', '--', ...names]);
    for (const line of res.stdout.split('\n')) {
      const [name, version] = line.split('\t');
      if (name && version && !line.includes('is not installed')) out[name] = version;
    }
  }
  return out;
}

/** apt: packages among names that are removed but keep their configuration files (dpkg status rc). */
export async function residualPackages(host: Host, mgr: Manager, names: string[]): Promise<string[]> {
  if (mgr !== 'apt' || names.length === 0) return [];
  const res = await host.run(['dpkg-query', '-W', '-f', '${Package}\t${db:Status-Abbrev}\n', '--', ...names]);
  return res.stdout.split('\n').map((l) => l.split('\t')).filter(([n, st]) => n && st?.startsWith('rc')).map(([n]) => n);
}

/** What autoremove would remove now, name → version (apt-get -s: a simulation, read-only); null when unknown (dnf/yum). */
export async function autoremovable(host: Host, mgr: Manager): Promise<Record<string, string> | null> {
  if (mgr !== 'apt') return null;
  const res = await mustRun(host, ['apt-get', '-s', 'autoremove'], 'apt-get -s autoremove', { env: APT_ENV });
  const out: Record<string, string> = {};
  for (const m of res.stdout.matchAll(/^Remv (\S+) \[([^\]]+)\]/gm)) out[m[1]] = m[2];
  return out;
}

/** The version the manager would install now (for state: latest), from default_release when given (apt). */
export async function candidateVersions(host: Host, mgr: Manager, names: string[], defaultRelease?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (mgr === 'apt') {
    const res = await host.run(['apt-cache', ...(defaultRelease ? ['-o', `APT::Default-Release=${defaultRelease}`] : []), 'policy', '--', ...names]);
    let cur = '';
    for (const line of res.stdout.split('\n')) {
      if (/^\S.*:$/.test(line)) cur = line.slice(0, -1);
      const m = /^\s+Candidate:\s+(\S+)/.exec(line);
      if (m && cur && m[1] !== '(none)') out[cur] = m[1];
    }
  } else {
    const res = await host.run([mgr, '-q', 'list', '--available', '--', ...names]);
    for (const line of res.stdout.split('\n')) {
      const m = /^(\S+?)\.\S+\s+(\S+)/.exec(line);
      if (m) out[m[1]] = m[2].replace(/^\d+:/, '');
    }
  }
  return out;
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };

const must = async (host: Host, argv: string[], env?: Record<string, string>): Promise<string> => (await mustRun(host, argv, `${argv.slice(0, 4).join(' ')}…`, { env, timeoutMs: 30 * 60_000 })).stdout;

/** One manager call for the whole list. */
export async function installPackages(host: Host, mgr: Manager, specs: string[], opts: { recommends: boolean; defaultRelease?: string }): Promise<void> {
  if (specs.length === 0) return;
  if (mgr === 'apt') {
    await must(host, ['apt-get', 'install', '-y', '-q', '--allow-downgrades', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...(opts.recommends ? [] : ['--no-install-recommends']), ...(opts.defaultRelease ? ['-t', opts.defaultRelease] : []), '--', ...specs], APT_ENV);
  } else {
    await must(host, [mgr, 'install', '-y', '--', ...specs]);
  }
}

/** Remove (apt: with --purge, configuration too; with --auto-remove, what only they needed). */
export async function removePackages(host: Host, mgr: Manager, names: string[], opts: { purge?: boolean; autoRemove?: boolean } = {}): Promise<void> {
  if (names.length === 0) return;
  if (mgr === 'apt') await must(host, ['apt-get', 'remove', '-y', '-q', ...(opts.purge ? ['--purge'] : []), ...(opts.autoRemove ? ['--auto-remove'] : []), '--', ...names], APT_ENV);
  else await must(host, [mgr, 'remove', '-y', '--', ...names]);
}

/** Remove the packages nothing needs any more (apt: with --purge, their configuration too). */
export async function autoremovePackages(host: Host, mgr: Manager, opts: { purge?: boolean } = {}): Promise<void> {
  if (mgr === 'apt') await must(host, ['apt-get', 'autoremove', '-y', '-q', ...(opts.purge ? ['--purge'] : [])], APT_ENV);
  else await must(host, [mgr, 'autoremove', '-y']);
}

/** apt-get update, reporting whether the package lists really changed. */
export async function updateCache(host: Host, mgr: Manager): Promise<boolean> {
  if (mgr !== 'apt') {
    const res = await mustRun(host, [mgr, 'makecache', '-q'], `${mgr} makecache`);
    return !/Metadata cache created|already/.test(res.stdout) ? true : /created/.test(res.stdout);
  }
  const sum = ['sh', '-c', 'cd /var/lib/apt/lists 2>/dev/null && find . -maxdepth 1 -type f ! -name lock -exec md5sum {} + | sort | md5sum'];
  const before = (await host.run(sum)).stdout;
  await must(host, ['apt-get', 'update', '-q'], APT_ENV);
  return (await host.run(sum)).stdout !== before;
}
