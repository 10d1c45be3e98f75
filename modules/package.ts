// package: packages present, absent or latest — apt on Debian/Ubuntu/Raspbian, dnf/yum on CentOS/RHEL — with
// pinned versions in the user's words, one manager call per list, and a rollback that undoes exactly this run.

import { packageModule, type PackageArgs } from './lib/package-task.js';
import { packageArgsSchema } from './lib/package-schema.js';

export default packageModule<PackageArgs>({
  name: 'package',
  doc: 'Install, remove or upgrade packages with the host\'s package manager (apt, dnf or yum, from facts), pinned versions written as you would for that manager (kubelet=1.13.1-00, docker-ce-17.09*). One manager call per list; update_cache (alone or with names) reports changed only when the lists changed and never runs in check mode; autoremove is planned from apt\'s own simulation. Rollback removes what the run installed and reinstalls what it removed, replaced or autoremoved (purged configuration comes back as the package ships it). `apt`, `yum` and `dnf` are this module under Ansible\'s names and arguments.',
  schema: packageArgsSchema(),
  examples: [
    { name: 'Pinned Kubernetes tools (home-lab seed)', args: { name: ['kubelet=1.13.1-00', 'kubeadm=1.13.1-00', 'kubectl=1.13.1-00'], update_cache: true } },
    { name: 'GlusterFS server', args: { name: 'glusterfs-server' } },
    { name: 'Refresh the package lists only', args: { update_cache: true } },
    { name: 'Upgrade kubectl where it is installed, from backports', args: { name: 'kubectl', state: 'latest', only_upgrade: true, default_release: 'bookworm-backports' } },
  ],
  toPackage: (args) => args,
});
