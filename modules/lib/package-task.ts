// What the package module does (inspect, plan, apply, revert), shared with its Ansible-named twins apt, yum and dnf,
// which only translate their arguments into package's.

import { ModuleError } from '../../engine/errors.js';
import { defineModule, type Change, type Host, type ModuleDefinition, type ModuleExample } from '../../engine/types.js';
import {
  autoremovable, autoremovePackages, candidateVersions, installedVersions, installPackages, parseSpec, removePackages, residualPackages,
  updateCache, versionMatches, type Manager, type PackageSpec,
} from './packages.js';

export interface PackageArgs {
  name?: string | string[];
  state: 'present' | 'absent' | 'latest';
  update_cache: boolean;
  use?: 'auto' | Manager;
  install_recommends: boolean;
  purge: boolean;
  default_release?: string;
  autoremove: boolean;
  only_upgrade: boolean;
  /** apt: refresh the lists only when they are older than this many seconds. */
  cache_valid_time?: number;
}

export interface PackageState {
  mgr: Manager;
  specs: PackageSpec[];
  installed: Record<string, string>;
  candidates: Record<string, string>;
  /** apt, with purge: named packages removed but keeping their configuration (dpkg rc). */
  residual?: string[];
  /** With cache_valid_time: how many seconds ago the apt lists were refreshed. */
  cacheAge?: number;
  /** With autoremove: what apt would autoremove now (name → version); null when the manager cannot tell. */
  autoremovable?: Record<string, string> | null;
}

/** One change: refresh the lists, one manager call installing and removing these, or an autoremove. */
export interface PackageData { update?: boolean; install?: string[]; remove?: string[]; autoremove?: boolean }

function managerOf(host: Host, use: PackageArgs['use']): Manager {
  if (use && use !== 'auto') return use;
  const m = host.facts.pkg_mgr;
  if (m === 'apt' || m === 'dnf' || m === 'yum') return m;
  throw new ModuleError(`no supported package manager on ${host.name} (facts.pkg_mgr is ${m}; set use: apt|dnf|yum)`);
}

const namesOf = (args: PackageArgs) => (args.name === undefined ? [] : Array.isArray(args.name) ? args.name : [args.name]);

async function inspectPackages(host: Host, args: PackageArgs): Promise<PackageState> {
  const mgr = managerOf(host, args.use);
  if (mgr !== 'apt' && (args.default_release || args.purge)) throw new ModuleError(`${args.default_release ? 'default_release' : 'purge'} is an apt option; ${host.name} uses ${mgr}`);
  const specs = namesOf(args).map((s) => parseSpec(s, mgr));
  const names = specs.map((s) => s.name);
  return {
    mgr,
    specs,
    installed: await installedVersions(host, mgr, names),
    candidates: args.state === 'latest' ? await candidateVersions(host, mgr, names, args.default_release) : {},
    residual: args.purge && args.state === 'absent' ? await residualPackages(host, mgr, names) : [],
    autoremovable: args.autoremove ? await autoremovable(host, mgr) : {},
    ...(args.cache_valid_time !== undefined && mgr === 'apt' ? { cacheAge: await aptCacheAge(host) } : {}),
  };
}

/** Seconds since the apt lists were refreshed, read as Ansible's apt reads it (the success stamp, else the lists folder). */
async function aptCacheAge(host: Host): Promise<number> {
  const script = 'm=$(stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0); echo $(( $(date +%s) - m ))';
  const age = Number((await host.run(['sh', '-c', script])).stdout.trim());
  return Number.isFinite(age) ? age : Infinity;
}

/** The install / remove call for the named packages, in words. */
function planNamed(s: PackageState, args: PackageArgs): Change<PackageData>[] {
  const install: string[] = [];
  const remove: string[] = [];
  const words: string[] = [];
  for (const p of s.specs) {
    const have = s.installed[p.name];
    if (args.state === 'absent') {
      if (have !== undefined) { remove.push(p.name); words.push(`${args.purge ? 'purge' : 'remove'} ${p.name} ${have}`); }
      else if (s.residual?.includes(p.name)) { remove.push(p.name); words.push(`purge the configuration files of ${p.name}`); }
    } else if (have === undefined) {
      if (args.only_upgrade) continue; // only_upgrade never installs
      install.push(p.spec);
      words.push(`install ${p.spec}`);
    } else if (p.version !== undefined && !versionMatches(have, p.version)) {
      install.push(p.spec);
      words.push(`change ${p.name} ${have} → ${p.version}`);
    } else if (args.state === 'latest' && s.candidates[p.name] && s.candidates[p.name] !== have) {
      install.push(p.version ? p.spec : s.mgr === 'apt' ? `${p.name}=${s.candidates[p.name]}` : p.name);
      words.push(`upgrade ${p.name} ${have} → ${s.candidates[p.name]}`);
    }
  }
  return install.length || remove.length ? [{ msg: words.join(', '), data: { install, remove } }] : [];
}

function planPackages(s: PackageState, args: PackageArgs): Change<PackageData>[] {
  const changes: Change<PackageData>[] = [];
  const fresh = args.cache_valid_time !== undefined && s.cacheAge !== undefined && s.cacheAge < args.cache_valid_time;
  if (args.update_cache && !fresh) changes.push({ msg: `refresh the ${s.mgr} package lists`, uncertain: true, data: { update: true } });
  changes.push(...planNamed(s, args));
  if (args.autoremove) {
    const unused = s.autoremovable ? Object.entries(s.autoremovable).filter(([n]) => !changes.some((c) => c.data?.remove?.includes(n))) : null;
    if (unused === null) changes.push({ msg: `${s.mgr} autoremove`, uncertain: true, data: { autoremove: true } });
    else if (unused.length) changes.push({ msg: `autoremove ${unused.map(([n, v]) => `${n} ${v}`).join(', ')}`, data: { autoremove: true } });
  }
  return changes;
}

async function applyPackages(host: Host, args: PackageArgs, changes: Change<PackageData>[], s: PackageState) {
  let changed = false;
  for (const c of changes) {
    const d = c.data ?? {};
    if (d.update) changed = (await updateCache(host, s.mgr)) || changed;
    if (d.install?.length) { await installPackages(host, s.mgr, d.install, { recommends: args.install_recommends, defaultRelease: args.default_release }); changed = true; }
    if (d.remove?.length) { await removePackages(host, s.mgr, d.remove, { purge: args.purge, autoRemove: args.autoremove }); changed = true; }
    if (d.autoremove) { await autoremovePackages(host, s.mgr, { purge: args.purge }); changed = true; }
  }
  // Revert reads what is installed then, against `before`: nothing more to keep.
  return { changed };
}

/** Remove what the run installed; reinstall what it removed, replaced or autoremoved, at the versions before. */
async function revertPackages(host: Host, before: PackageState): Promise<void> {
  const wasAuto = Object.keys(before.autoremovable ?? {});
  const names = [...before.specs.map((p) => p.name), ...wasAuto];
  const was = { ...before.autoremovable, ...before.installed };
  const now = await installedVersions(host, before.mgr, names);
  const toRemove = Object.keys(now).filter((n) => was[n] === undefined);
  const toRestore = Object.entries(was).filter(([n, v]) => now[n] !== v).map(([n, v]) => (before.mgr === 'apt' ? `${n}=${v}` : `${n}-${v}`));
  await removePackages(host, before.mgr, toRemove);
  await installPackages(host, before.mgr, toRestore, { recommends: false });
  // Reinstalled leftovers go back to being automatically installed, so autoremove finds them again as before.
  const backAuto = wasAuto.filter((n) => now[n] === undefined);
  if (before.mgr === 'apt' && backAuto.length) await host.run(['apt-mark', 'auto', '--', ...backAuto]);
}

/** A package module definition: package itself, or a twin (apt, yum, dnf) given its own schema and argument mapping. */
export function packageModule<A>(def: { name: string; doc: string; schema: Record<string, unknown>; examples: ModuleExample[]; toPackage: (args: A) => PackageArgs }): ModuleDefinition<A, PackageState, PackageData> {
  const p = def.toPackage;
  return defineModule<A, PackageState, PackageData>({
    name: def.name,
    doc: def.doc,
    schema: def.schema,
    examples: def.examples,
    reversible: true,
    inspect: (host, args) => inspectPackages(host, p(args)),
    plan: (s, args) => planPackages(s, p(args)),
    apply: (host, args, changes, s) => applyPackages(host, p(args), changes, s),
    revert: (host, { before }) => revertPackages(host, before),
  });
}
