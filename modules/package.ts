// package: packages present, absent or latest — apt on Debian/Ubuntu/Raspbian, dnf/yum on CentOS/RHEL — with
// pinned versions in the user's words, one manager call per list, and a rollback that undoes exactly this run.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { candidateVersions, installedVersions, installPackages, parseSpec, removePackages, updateCache, versionMatches, type Manager, type PackageSpec } from './lib/packages.js';
import { packageName } from './lib/arg-kinds.js';

interface PackageArgs {
  name: string | string[];
  state: 'present' | 'absent' | 'latest';
  update_cache: boolean;
  use?: 'auto' | Manager;
  install_recommends: boolean;
}

interface PackageState {
  mgr: Manager;
  specs: PackageSpec[];
  installed: Record<string, string>;
  candidates: Record<string, string>;
}

/** One change: refresh the lists, or one manager call installing and removing these. */
interface PackageData { update?: boolean; install?: string[]; remove?: string[] }


function managerOf(host: Host, use: PackageArgs['use']): Manager {
  if (use && use !== 'auto') return use;
  const m = host.facts.pkg_mgr;
  if (m === 'apt' || m === 'dnf' || m === 'yum') return m;
  throw new ModuleError(`no supported package manager on ${host.name} (facts.pkg_mgr is ${m}; set use: apt|dnf|yum)`);
}

export default defineModule<PackageArgs, PackageState, PackageData>({
  name: 'package',
  doc: 'Install, remove or upgrade packages with the host\'s package manager (apt, dnf or yum, from facts), pinned versions written as you would for that manager (kubelet=1.13.1-00, docker-ce-17.09*). One manager call per list; update_cache reports changed only when the lists changed and never runs in check mode; rollback removes what the run installed and reinstalls what it removed or replaced.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { anyOf: [packageName, { type: 'array', items: packageName, minItems: 1 }], description: 'A package or a list; with a version pin: apt name=version (globs allowed), yum name-version*.' },
      state: { enum: ['present', 'absent', 'latest'], default: 'present', description: 'present: installed (at the pinned version); absent: removed; latest: the newest available.' },
      update_cache: { type: 'boolean', default: false, description: 'Refresh the package lists first (apt-get update / makecache).' },
      use: { enum: ['auto', 'apt', 'dnf', 'yum'], default: 'auto', description: 'The package manager; auto picks it from facts.' },
      install_recommends: { type: 'boolean', default: true, description: 'apt: also install recommended packages.' },
    },
  },
  examples: [
    { name: 'Pinned Kubernetes tools (home-lab seed)', args: { name: ['kubelet=1.13.1-00', 'kubeadm=1.13.1-00', 'kubectl=1.13.1-00'], update_cache: true } },
    { name: 'GlusterFS server', args: { name: 'glusterfs-server' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const mgr = managerOf(host, args.use);
    const specs = (Array.isArray(args.name) ? args.name : [args.name]).map((s) => parseSpec(s, mgr));
    const names = specs.map((s) => s.name);
    return {
      mgr,
      specs,
      installed: await installedVersions(host, mgr, names),
      candidates: args.state === 'latest' ? await candidateVersions(host, mgr, names) : {},
    };
  },
  plan(s, args): Change<PackageData>[] {
    const changes: Change<PackageData>[] = [];
    if (args.update_cache) changes.push({ msg: `refresh the ${s.mgr} package lists`, uncertain: true, data: { update: true } });
    const install: string[] = [];
    const remove: string[] = [];
    const words: string[] = [];
    for (const p of s.specs) {
      const have = s.installed[p.name];
      if (args.state === 'absent') {
        if (have !== undefined) { remove.push(p.name); words.push(`remove ${p.name} ${have}`); }
      } else if (have === undefined) {
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
    if (install.length || remove.length) changes.push({ msg: words.join(', '), data: { install, remove } });
    return changes;
  },
  async apply(host, args, changes, s) {
    let changed = false;
    for (const c of changes) {
      const d = c.data;
      if (d.update) changed = (await updateCache(host, s.mgr)) || changed;
      if (d.install?.length) { await installPackages(host, s.mgr, d.install, { recommends: args.install_recommends }); changed = true; }
      if (d.remove?.length) { await removePackages(host, s.mgr, d.remove); changed = true; }
    }
    // Revert reads what is installed then, against `before`: nothing more to keep.
    return { changed };
  },
  async revert(host, { before }) {
    const now = await installedVersions(host, before.mgr, before.specs.map((p) => p.name));
    const toRemove = Object.keys(now).filter((n) => before.installed[n] === undefined);
    const toRestore = Object.entries(before.installed).filter(([n, v]) => now[n] !== v)
      .map(([n, v]) => (before.mgr === 'apt' ? `${n}=${v}` : `${n}-${v}`));
    await removePackages(host, before.mgr, toRemove);
    await installPackages(host, before.mgr, toRestore, { recommends: false });
  },
});
