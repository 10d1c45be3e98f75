// Ansible's fact variables (`ansible_os_family`, `ansible_facts['hostname']`) and runbook's facts of the same meaning.

const SAME_MEANING: Record<string, string> = {
  os_family: 'os_family', architecture: 'arch', hostname: 'hostname', fqdn: 'fqdn', kernel: 'kernel',
  processor_vcpus: 'cpus', memtotal_mb: 'memory_mb', swaptotal_mb: 'swap_total_mb', distribution_release: 'os_codename',
  pkg_mgr: 'pkg_mgr', service_mgr: 'init_system', all_ipv4_addresses: 'ipv4', distribution: 'distribution',
  distribution_version: 'distribution_version', distribution_major_version: 'distribution_major_version',
  distribution_minor_version: 'distribution_minor_version', system: 'system',
  // Ansible's shapes, gathered as Ansible gathers them (engine/run/facts-ansible-shaped.ts).
  default_ipv4: 'default_ipv4_route', lsb: 'lsb', user_id: 'user_id', user_uid: 'user_uid', user_gid: 'user_gid', user_dir: 'user_dir',
  user_shell: 'user_shell', env: 'env', nodename: 'nodename', machine: 'arch', interfaces: 'interfaces', processor_count: 'processor_count',
  processor_cores: 'processor_cores', processor_nproc: 'cpus', memfree_mb: 'memfree_mb', date_time: 'date_time', selinux: 'selinux',
  apparmor: 'apparmor',
};

/** Ansible facts runbook has no fact for (or one with another meaning: ansible_distribution_file_path, ansible_system_vendor). */
const WITHOUT_EQUIVALENT = /^ansible_(distribution\w*|default_ipv[46]|all_ipv6_addresses|lsb|env|date_time|interfaces|nodename|machine_id|mounts|devices|python\w*|user_\w+|virtualization_\w+|processor\w*|memfree_mb|memory_mb|system\w*|os_\w+|domain|selinux\w*|apparmor|cmdline|dns|uptime_seconds|local|eth\d+|ens\d+|lo|bios_\w+|product_\w+|form_factor|real_\w+|effective_\w+|is_chroot|fips|kernel_version|userspace_\w+|swapfree_mb|mem\w*|hostnqn|iscsi_iqn)$/;

/** `facts.x` for an Ansible fact with a runbook equivalent; null for a fact without one; undefined for other names. */
export function factPath(name: string): string | null | undefined {
  if (!name.startsWith('ansible_')) return undefined;
  if (name === 'ansible_check_mode') return 'runbook_check_mode';
  const bare = name.slice('ansible_'.length);
  if (SAME_MEANING[bare]) return `facts.${SAME_MEANING[bare]}`;
  if (name === 'ansible_facts' || WITHOUT_EQUIVALENT.test(name)) return null;
  return undefined;
}
