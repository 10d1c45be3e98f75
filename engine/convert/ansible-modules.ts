// Ansible module names and argument names → runbook's, for `runbook convert`: `ansible.builtin.X` is X where runbook
// has X, a few modules have another name here (apt/yum/dnf → package), and Ansible's aliases become the one name
// runbook's schema knows (file `dest` → `path`, sysctl `sysctl_file` → `file`).

const COLLECTIONS = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.'];

/** Ansible modules runbook provides under another name. */
const RENAMED: Record<string, string> = { apt: 'package', yum: 'package', dnf: 'package', systemd_service: 'systemd' };

/** Per runbook module: Ansible argument name → runbook argument name. */
const ARGUMENT_ALIASES: Record<string, Record<string, string>> = {
  file: { dest: 'path', name: 'path' },
  lineinfile: { dest: 'path', name: 'path', destfile: 'path' },
  replace: { dest: 'path', name: 'path', destfile: 'path' },
  sysctl: { key: 'name', sysctl_file: 'file' },
  package: { pkg: 'name' },
  service: { service: 'name' },
  systemd: { service: 'name', unit: 'name', 'daemon-reload': 'daemon_reload' },
  user: { login: 'name' },
  stat: { dest: 'path', name: 'path' },
  copy: {},
  template: {},
};

/** The runbook module for an Ansible module name, or undefined when there is none. */
export function runbookModule(name: string, known: Set<string>): string | undefined {
  const bare = COLLECTIONS.reduce((n, prefix) => (n.startsWith(prefix) ? n.slice(prefix.length) : n), name);
  if (known.has(bare)) return bare;
  const mapped = RENAMED[bare];
  return mapped && known.has(mapped) ? mapped : undefined;
}

/** The runbook name of one argument of a module. */
export function runbookArgument(module: string, argument: string): string {
  return ARGUMENT_ALIASES[module]?.[argument] ?? argument;
}
