// apt: Ansible's apt module name for package with apt: the arguments Ansible's apt has with the same meaning; any
// other argument of Ansible's apt (upgrade, deb, ...) is refused at load, naming it.

import { packageModule, type PackageArgs } from './lib/package-task.js';
import { packageArgsSchema } from './lib/package-schema.js';

type AptArgs = Pick<PackageArgs, 'name' | 'state' | 'update_cache' | 'purge' | 'default_release' | 'autoremove' | 'only_upgrade' | 'install_recommends' | 'cache_valid_time'>;

export default packageModule<AptArgs>({
  name: 'apt',
  doc: 'Ansible\'s `apt` as a name of `package` with apt: name, state (present, absent, latest), update_cache, purge, default_release, autoremove, only_upgrade, install_recommends mean what they mean there; cache_valid_time (seconds) refreshes the lists only when they are older, as Ansible\'s (it implies update_cache). Ansible\'s other apt arguments are refused at load.',
  schema: packageArgsSchema(['name', 'state', 'update_cache', 'purge', 'default_release', 'autoremove', 'only_upgrade', 'install_recommends', 'cache_valid_time']),
  examples: [
    { name: 'Remove a package and its configuration, and what only it needed', args: { name: 'ceph-common', state: 'absent', purge: true, autoremove: true } },
    { name: 'Refresh the lists', args: { update_cache: true } },
  ],
  toPackage: (args) => ({ ...args, use: 'apt', only_upgrade: args.only_upgrade ?? false, update_cache: args.update_cache || args.cache_valid_time !== undefined }),
});
