// The yum and dnf modules: Ansible's names for package with yum or dnf, taking the arguments Ansible's yum and dnf
// modules have with the same meaning (state installed/removed, update_only); any other is refused at load.

import type { ModuleDefinition } from '../../engine/types.js';
import { packageModule, type PackageArgs } from './package-task.js';
import { packageArgsSchema } from './package-schema.js';

interface RpmArgs {
  name?: string | string[];
  state: 'present' | 'installed' | 'latest' | 'absent' | 'removed';
  update_cache: boolean;
  autoremove: boolean;
  update_only: boolean;
}

export function rpmTwin(manager: 'yum' | 'dnf'): ModuleDefinition {
  return packageModule<RpmArgs>({
    name: manager,
    doc: `Ansible's \`${manager}\` as a name of \`package\` with ${manager}: name, state (present/installed, latest, absent/removed), update_cache, autoremove and update_only mean what they mean there. Ansible's other ${manager} arguments are refused at load.`,
    schema: packageArgsSchema(['name', 'update_cache', 'autoremove'], {
      state: { enum: ['present', 'installed', 'latest', 'absent', 'removed'], default: 'present', description: 'present or installed: installed; latest: the newest available; absent or removed: removed.' },
      update_only: { type: 'boolean', default: false, description: 'With state: latest, only upgrade packages already installed; never install one.' },
    }),
    examples: [{ name: 'Docker CE, pinned', args: { name: 'docker-ce-17.09*' } }],
    toPackage: (args): PackageArgs => ({
      name: args.name,
      state: args.state === 'installed' ? 'present' : args.state === 'removed' ? 'absent' : args.state,
      update_cache: args.update_cache,
      use: manager,
      install_recommends: true,
      purge: false,
      autoremove: args.autoremove,
      only_upgrade: args.update_only,
    }),
  });
}
