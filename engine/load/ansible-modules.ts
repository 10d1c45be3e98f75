// Ansible's module names in tasks: `ansible.builtin.X`, `ansible.legacy.X`, `ansible.posix.X`, `community.general.X`
// are runbook's module where the semantics match (docs/ansible-differences.md has the table); other Ansible modules
// get an error naming the runbook module to use instead. Argument aliases (file `dest` → `path`, ...) are read too.

/** The collections whose modules runbook reads under their short name. */
export const ANSIBLE_COLLECTIONS = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.'];

/** Ansible modules runbook provides under another name (same arguments where they overlap), where no module has their own name. */
export const ANSIBLE_RENAMED_MODULES: Record<string, string> = {
  apt: 'package',
  yum: 'package',
  dnf: 'package',
  systemd_service: 'systemd',
  mount: 'fstab',
};

/** Ansible modules runbook has no twin for: what to write instead. */
export const ANSIBLE_MODULE_ADVICE: Record<string, string> = {
  yum_repository: 'package_repository',
  git: 'command: git clone URL DEST, with creates: DEST',
  pip: 'command: pip install NAME, with changed_when',
  raw: 'command (or shell)',
  script: 'copy the script, then command',
  setup: 'gather_facts on the play (facts are gathered once per host)',
  gather_facts: 'gather_facts on the play (facts are gathered once per host)',
  reboot: 'command: systemctl reboot (then wait_for the host)',
  pause: 'wait_for (with timeout) or command: sleep N',
  synchronize: 'copy (one file) or command: rsync',
  ufw: 'firewalld, or command: ufw ...',
  iptables: 'firewalld, or command: iptables ...',
  timezone: 'command: timedatectl set-timezone ZONE, with changed_when',
  selinux: 'command: setenforce / sed on /etc/selinux/config',
  seboolean: 'command: setsebool -P NAME on',
  known_hosts: 'lineinfile on ~/.ssh/known_hosts',
  fetch: 'command on the target, registered, then copy with content on localhost',
  tempfile: 'command: mktemp (registered)',
  add_host: 'an inventory entry (runbook inventories are read before the run)',
  group_by: "a group in the inventory, or a 'when' on group_names",
};

/** Per runbook module: Ansible's argument aliases → runbook's argument. */
export const ANSIBLE_ARGUMENT_ALIASES: Record<string, Record<string, string>> = {
  file: { dest: 'path', name: 'path' },
  lineinfile: { dest: 'path', destfile: 'path', name: 'path' },
  replace: { dest: 'path', destfile: 'path', name: 'path' },
  blockinfile: { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
  ini_file: { dest: 'path', key: 'option' },
  stat: { dest: 'path', name: 'path' },
  package: { pkg: 'name', package: 'name', 'update-cache': 'update_cache', 'install-recommends': 'install_recommends' },
  yum: { pkg: 'name' },
  dnf: { pkg: 'name' },
  service: { service: 'name' },
  systemd: { service: 'name', unit: 'name', 'daemon-reload': 'daemon_reload' },
  user: { createhome: 'create_home' },
  sysctl: { key: 'name', sysctl_file: 'file' },
  cron: { value: 'job' },
  find: { path: 'paths', name: 'paths', pattern: 'patterns', exclude: 'excludes' },
  apt_repository: { 'update-cache': 'update_cache' },
  fstab: { name: 'path' },
  slurp: { path: 'src' },
  uri: { user: 'url_username', password: 'url_password' },
};

/** A name without one of Ansible's collection prefixes. */
export function shortAnsibleName(name: string): string {
  const prefix = ANSIBLE_COLLECTIONS.find((p) => name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

/** The runbook module an Ansible module name stands for (undefined: not an Ansible name, or no twin). */
export function runbookModuleFor(name: string, exists: (module: string) => boolean): string | undefined {
  const short = shortAnsibleName(name);
  // A module of the same name wins over a rename (a pack or a later core module may provide `yum` itself).
  if (short !== name && exists(short)) return short;
  const mapped = ANSIBLE_RENAMED_MODULES[short];
  return mapped && exists(mapped) ? mapped : undefined;
}

/** What to write instead of an Ansible module runbook does not have, or undefined. */
export function ansibleModuleAdvice(name: string): string | undefined {
  return ANSIBLE_MODULE_ADVICE[shortAnsibleName(name)];
}

/**
 * Args with Ansible's aliases renamed to runbook's names. Both an alias and its name given is a problem (returned
 * as text), as in Ansible ("parameters are mutually exclusive").
 */
export function renameArgumentAliases(module: string, args: Record<string, unknown>): { args: Record<string, unknown>; problem?: string } {
  const aliases = ANSIBLE_ARGUMENT_ALIASES[module];
  if (!aliases || !Object.keys(args).some((k) => k in aliases)) return { args };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const name = aliases[key] ?? key;
    if (name in out || (name !== key && name in args)) {
      return { args, problem: `'${key}' and '${name}' are the same argument of ${module} ('${key}' is Ansible's alias of '${name}'): give one` };
    }
    out[name] = value;
  }
  return { args: out };
}

/**
 * `action: file path=/x state=directory` and `local_action: { module: copy, ... }` → the module as the task's key, as
 * Ansible reads them (local_action adds delegate_to: localhost), in place, keeping the key order. A problem as text.
 */
export function normalizeActionKeyword(raw: Record<string, unknown>): string | undefined {
  const present = ['action', 'local_action'].filter((k) => k in raw);
  if (present.length === 0) return undefined;
  if (present.length > 1) return "conflicting action statements: action, local_action (give one)";
  const keyword = present[0];
  const value = raw[keyword];
  let module: string | undefined;
  let args: unknown;
  if (typeof value === 'string') {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(value);
    [module, args] = [m?.[1], m?.[2] ? m[2] : {}];
  } else if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).module === 'string') {
    const { module: name, ...rest } = value as Record<string, unknown>;
    [module, args] = [name as string, rest];
  }
  if (!module) return `'${keyword}' needs a module name ("${keyword}: copy src=a dest=b" or "${keyword}: { module: copy, src: a, dest: b }")`;
  if (keyword === 'local_action' && raw.delegate_to !== undefined) return 'local_action and delegate_to together: local_action already runs on localhost; write one of them';
  if (module in raw) return `'${keyword}' names ${module}, which the task also has as a key: give one`;
  const entries = Object.entries(raw);
  for (const k of Object.keys(raw)) delete raw[k];
  for (const [k, v] of entries) {
    if (k === keyword) raw[module] = args;
    else raw[k] = v;
  }
  if (keyword === 'local_action') raw.delegate_to = 'localhost';
  return undefined;
}

/** Task keywords Ansible also spells as modules of ansible.builtin (`ansible.builtin.include_tasks: x.yml`). */
const KEYWORD_ACTIONS = ['include_tasks', 'import_tasks', 'include_role', 'import_role', 'meta'];

/** Rename `ansible.builtin.include_tasks` (and the like) to the bare keyword, in place, keeping the key order. */
export function normalizeAnsibleKeywords(raw: Record<string, unknown>): void {
  const keys = Object.keys(raw);
  if (!keys.some((k) => k !== shortAnsibleName(k) && KEYWORD_ACTIONS.includes(shortAnsibleName(k)))) return;
  const entries = Object.entries(raw);
  const written = new Set(keys);
  for (const k of keys) delete raw[k];
  for (const [k, v] of entries) {
    const short = shortAnsibleName(k);
    raw[KEYWORD_ACTIONS.includes(short) && !written.has(short) ? short : k] = v;
  }
}
