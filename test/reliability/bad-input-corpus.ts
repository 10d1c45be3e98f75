// The bad-input corpus: malformed and hostile playbooks, inventories, vars files and arguments. Every case must end
// with exit 2 (nothing ran), a message that says what and where, and the marker task — a harmless first task that
// would write a file — never having run. Shared by the bad-input test and the fuzz loop.

export interface BadInputCase {
  name: string;
  /** Files to write in the case's folder; site.yml is the playbook unless args say otherwise. */
  files: Record<string, string | Buffer>;
  /** Extra CLI arguments after `play site.yml`. */
  args?: string[];
  /** What the message must contain (a regex), location included where a file is to blame. */
  expect: RegExp;
}

/** A first task that would leave a trace if anything ran. MARKER is replaced by the case's marker path. */
export const MARKER_TASK = '    - name: marker\n      copy: { dest: "MARKER", content: "ran" }\n';
const play = (tasks: string, head = '- hosts: localhost\n  gather_facts: false\n') => `${head}  tasks:\n${MARKER_TASK}${tasks}`;
const site = (text: string | Buffer, extra: Record<string, string | Buffer> = {}) => ({ 'site.yml': text, ...extra });

// "Billion laughs": nine levels of nine aliases each, 9^9 strings if expanded.
const laughs = ['    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 9; i++) laughs.push(`    ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);

export const BAD_INPUT: BadInputCase[] = [
  // YAML syntax
  { name: 'tab indentation', files: site(play('\t- name: x\n      command: id\n')), expect: /site\.yml:\d+:\d+: .*(tab|indent)/i },
  { name: 'unclosed quote', files: site(play('    - name: "x\n      command: id\n')), expect: /site\.yml:\d+:\d+: /},
  { name: 'unclosed flow mapping', files: site(play('    - copy: { dest: /tmp/x, content: y\n')), expect: /site\.yml:\d+:\d+: / },
  { name: 'duplicate key in a task', files: site(play('    - name: a\n      name: b\n      command: id\n')), expect: /site\.yml:\d+:\d+: .*duplicate|unique/i },
  { name: 'duplicate play key', files: site('- hosts: localhost\n  hosts: all\n  tasks: []\n'), expect: /site\.yml:2:\d+: .*(duplicate|unique)/i },
  { name: 'empty file', files: site(''), expect: /site\.yml.*(empty|no plays|must be a list)/i },
  { name: 'only a comment', files: site('# nothing here\n'), expect: /site\.yml.*(empty|no plays|must be a list)/i },
  { name: 'a mapping instead of a list of plays', files: site('hosts: localhost\ntasks: []\n'), expect: /site\.yml:1:1: .*list/i },
  { name: 'two YAML documents', files: site(`${play('')}---\n- hosts: all\n  tasks: []\n`), expect: /site\.yml:\d+:\d+: .*(document|multiple)/i },
  { name: 'unknown YAML tag !!python/object', files: site(play('    - command: !!python/object:os.system id\n')), expect: /site\.yml:\d+:\d+: .*tag/i },
  { name: 'a NUL byte', files: site(`${play('    - command: id\n')}# \u0000\n`), expect: /site\.yml:7:3: invalid YAML: control character U\+0000/ },
  { name: 'invalid UTF-8', files: site(Buffer.concat([Buffer.from(play('    - command: id\n')), Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a])])), expect: /site\.yml.*is not valid UTF-8/ },
  { name: 'unknown YAML tag !python/object', files: site(play('    - command: !python/object:os.system\n        x: 1\n')), expect: /site\.yml:\d+:\d+: invalid YAML: Unresolved tag: !python\/object/ },
  { name: 'a !vault value and no vault password', files: site(play('    - command: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n')), expect: /site\.yml:\d+:\d+: encrypted value: .*no vault password was given/ },
  { name: 'billion laughs', files: site(`- hosts: localhost\n  gather_facts: false\n  vars:\n${laughs.join('\n')}\n  tasks:\n${MARKER_TASK}    - command: "echo {{i}}"\n`), expect: /site\.yml.*(alias|too many)/i },
  { name: 'huge file (3 MB)', files: site(`${play('    - command: id\n')}# ${'x'.repeat(3 * 1024 * 1024)}\n`), expect: /site\.yml.*too large/ },
  { name: 'deeply nested flow sequence', files: site(`${play('    - command: id\n      vars: { deep: ')}${'['.repeat(5000)}${']'.repeat(5000)} }\n`), expect: /site\.yml:\d+:\d+: invalid YAML: nested too deeply/ },
  // Schema
  { name: 'play without hosts', files: site('- gather_facts: false\n  tasks:\n    - command: id\n'), expect: /site\.yml:1:3: .*hosts/ },
  { name: 'unknown play key', files: site('- hosts: localhost\n  taks: []\n'), expect: /site\.yml:2:3: .*taks.*(tasks)/ },
  { name: 'unknown task keyword', files: site(play('    - command: id\n      whne: true\n')), expect: /site\.yml:\d+:\d+: .*whne/ },
  { name: 'task with two modules', files: site(play('    - command: id\n      shell: id\n')), expect: /site\.yml:\d+:\d+: .*(one module|two modules|command.*shell)/i },
  { name: 'task with no module', files: site(play('    - name: nothing\n')), expect: /site\.yml:\d+:\d+: .*module/i },
  { name: 'unknown module, with a suggestion', files: site(play('    - comand: id\n')), expect: /site\.yml:\d+:\d+: .*comand.*command/ },
  { name: 'unknown module argument', files: site(play('    - copy: { dest: /tmp/x, content: y, mdoe: "0644" }\n')), expect: /site\.yml:\d+:\d+: .*mdoe.*mode/ },
  { name: 'wrong argument type', files: site(play('    - sysctl: { name: net.ipv4.ip_forward, value: [1] }\n')), expect: /site\.yml:\d+:\d+: .*value/ },
  { name: 'missing required argument', files: site(play('    - copy: { content: y }\n')), expect: /site\.yml:\d+:\d+: .*dest/ },
  { name: 'enum value out of range', files: site(play('    - service: { name: x, state: begun }\n')), expect: /site\.yml:\d+:\d+: .*state/ },
  { name: 'when is a mapping', files: site(play('    - command: id\n      when: { a: 1 }\n')), expect: /site\.yml:\d+:\d+: .*when/ },
  { name: 'loop is a number', files: site(play('    - command: id\n      loop: 5\n')), expect: /site\.yml:\d+:\d+: .*loop/ },
  { name: 'register with a space', files: site(play('    - command: id\n      register: "my result"\n')), expect: /site\.yml:\d+:\d+: .*register/ },
  { name: 'serial of zero', files: site('- hosts: localhost\n  serial: 0\n  tasks: []\n'), expect: /site\.yml:2:\d+: .*serial/ },
  { name: 'strategy unknown', files: site('- hosts: localhost\n  strategy: fastest\n  tasks: []\n'), expect: /site\.yml:2:\d+: .*strategy/ },
  { name: 'notify of a handler that does not exist', files: site(play('    - command: id\n      notify: restart nginx\n')), expect: /site\.yml:\d+:\d+: .*restart nginx/ },
  // Imports
  { name: 'import of a missing file', files: site('- import_playbook: nope.yml\n'), expect: /site\.yml:1:\d+: .*nope\.yml/ },
  { name: 'circular import_playbook', files: site('- import_playbook: b.yml\n', { 'b.yml': '- import_playbook: site.yml\n' }), expect: /(circular|cycle)/i },
  { name: 'circular import_tasks', files: site(play('    - import_tasks: t.yml\n'), { 't.yml': '- import_tasks: t.yml\n' }), expect: /t\.yml:\d+:\d+: .*(circular|cycle)/i },
  { name: 'imported tasks file with a syntax error', files: site(play('    - import_tasks: t.yml\n'), { 't.yml': '- command: "id\n' }), expect: /t\.yml:\d+:\d+: / },
  // Templates
  { name: 'undefined variable', files: site(play('    - command: echo {{nope}}\n')), expect: /site\.yml:\d+:\d+: undefined variable 'nope'/ },
  { name: 'undefined variable in a condition', files: site(play('    - command: id\n      when: eq nope 1\n')), expect: /site\.yml:\d+:\d+: undefined variable 'nope'/ },
  { name: 'undefined variable in a rendered file', files: site(play('    - template: { src: t.hbs, dest: /tmp/runbook-never }\n'), { 't.hbs': 'x={{missing_in_file}}\n' }), expect: /site\.yml:\d+:\d+: undefined variable 'missing_in_file' in t\.hbs/ },
  { name: 'unclosed block helper', files: site(play('    - command: "{{#if x}}id"\n')), expect: /site\.yml:\d+:\d+: .*(template|Parse|syntax)/i },
  { name: 'helper that does not exist', files: site(play('    - command: "echo {{frobnicate 1}}"\n')), expect: /site\.yml:\d+:\d+: .*frobnicate/ },
  { name: 'prototype access', files: site(play('    - command: "echo {{constructor.constructor}}"\n'), { }), expect: /site\.yml:\d+:\d+: .*(constructor|prototype)/ },
  { name: '__proto__ access', files: site(`- hosts: localhost\n  gather_facts: false\n  vars: { a: 1 }\n  tasks:\n${MARKER_TASK}    - command: "echo {{a.__proto__}}"\n`), expect: /site\.yml:\d+:\d+: .*(__proto__|prototype)/ },
  // Inventories
  { name: 'inventory with a YAML error', files: site(play('    - command: id\n'), { 'inv.yml': 'all:\n  hosts:\n    a: { address: 10.0.0.1\n' }), args: ['-i', 'inv.yml'], expect: /inv\.yml:\d+:\d+: / },
  { name: 'inventory host address is a list', files: site(play('    - command: id\n'), { 'inv.yml': 'all:\n  hosts:\n    a: { address: [10.0.0.1] }\n' }), args: ['-i', 'inv.yml'], expect: /inv\.yml:\d+:\d+: .*address/ },
  { name: 'inventory group cycle', files: site(play('    - command: id\n'), { 'inv.yml': 'all:\n  children:\n    a: { children: { b: {} } }\n    b: { children: { a: {} } }\n' }), args: ['-i', 'inv.yml'], expect: /inv\.yml:\d+:\d+: group cycle: all → a → b → a/ },
  { name: 'inventory that does not exist', files: site(play('    - command: id\n')), args: ['-i', 'missing-inventory.yml'], expect: /missing-inventory\.yml/ },
  { name: 'inventory hosts as a list', files: site(play('    - command: id\n'), { 'inv.yml': 'all:\n  hosts: [a, b]\n' }), args: ['-i', 'inv.yml'], expect: /inv\.yml:\d+:\d+: .*hosts/ },
  { name: 'inventory port out of range', files: site(play('    - command: id\n'), { 'inv.yml': 'all:\n  hosts:\n    a: { address: 10.0.0.1, port: 70000 }\n' }), args: ['-i', 'inv.yml'], expect: /inv\.yml:\d+:\d+: .*port/ },
  // Vars files and -e
  { name: '-e @ a missing file', files: site(play('    - command: id\n')), args: ['-e', '@nope.yml'], expect: /nope\.yml/ },
  { name: '-e @ a file with a YAML error', files: site(play('    - command: id\n'), { 'v.yml': 'a: [1,\n' }), args: ['-e', '@v.yml'], expect: /v\.yml:\d+:\d+: / },
  { name: '-e @ a list', files: site(play('    - command: id\n'), { 'v.yml': '- a\n- b\n' }), args: ['-e', '@v.yml'], expect: /v\.yml.*(mapping|object)/i },
  { name: '-e malformed JSON', files: site(play('    - command: id\n')), args: ['-e', '{"a":'], expect: /-e .*(JSON|expected)/ },
  { name: '-e without =', files: site(play('    - command: id\n')), args: ['-e', 'novalue'], expect: /-e novalue: expected key=value/ },
  { name: 'vars_files that does not exist', files: site(`- hosts: localhost\n  gather_facts: false\n  vars_files: [nope-vars.yml]\n  tasks:\n${MARKER_TASK}`), expect: /site\.yml:3:\d+: .*nope-vars\.yml/ },
  // Argument rules written in module schemas (#11): checked at load, said in words, with file:line:col
  { name: 'copy with both content and src', files: site(play('    - copy: { dest: /tmp/runbook-never, content: a, src: b }\n')), expect: /site\.yml:6:\d+: .*'content' and 'src' cannot be used together \(give exactly one\)/ },
  { name: 'copy with neither content nor src', files: site(play('    - copy: { dest: /tmp/runbook-never }\n')), expect: /site\.yml:6:\d+: .*needs exactly one of 'content' or 'src'/ },
  { name: 'command with both cmd and argv', files: site(play('    - command: { cmd: id, argv: [id] }\n')), expect: /site\.yml:6:\d+: .*'cmd' and 'argv' cannot be used together/ },
  { name: 'lineinfile present without line', files: site(play('    - lineinfile: { path: /tmp/runbook-never }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'line' \(needed with state: present\)/ },
  { name: 'sysctl present without value', files: site(play('    - sysctl: { name: vm.swappiness }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'value' \(needed with state: present\)/ },
  { name: 'file link without src', files: site(play('    - file: { path: /tmp/runbook-never, state: link }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'src' \(needed with state: link\)/ },
  { name: 'fstab mounted without src', files: site(play('    - fstab: { path: /mnt/runbook-never }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'src' \(needed with state: present or mounted or ephemeral\)/ },
  { name: 'firewalld with nothing to open', files: site(play('    - firewalld: { zone: public }\n')), expect: /site\.yml:6:\d+: .*needs 'port', 'service', or 'source'/ },
  { name: 'firewalld port without protocol', files: site(play('    - firewalld: { port: "24007" }\n')), expect: /site\.yml:6:\d+: .*'port' is not a valid port\/protocol/ },
  { name: 'etc_hosts with neither entries nor group', files: site(play('    - etc_hosts: { path: /tmp/runbook-never }\n')), expect: /site\.yml:6:\d+: .*needs 'entries' or 'group'/ },
  { name: 'kubeadm join without a join command', files: site(play('    - kubeadm: { state: join }\n')), expect: /site\.yml:6:\d+: .*'state: join' needs 'from', 'join_command', or 'token' \+ 'discovery_token_ca_cert_hash' \+ 'control_plane_endpoint'/ },
  { name: 'kubectl labels without node', files: site(play('    - kubectl: { state: labels, labels: { a: b } }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'node' \(needed with state: labels\)/ },
  { name: 'kubectl secret without from_file', files: site(play('    - kubectl: { state: secret, name: s }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'from_file' \(needed with state: secret\)/ },
  { name: 'kubectl apply without manifests', files: site(play('    - kubectl: { state: present }\n')), expect: /site\.yml:6:\d+: .*'state: present or absent' needs 'definition' or 'src'/ },
  { name: 'heketi_topology with both topology and group', files: site(play('    - heketi_topology: { url: "http://127.0.0.1:1", key: k, group: g, topology: { clusters: [] } }\n')), expect: /site\.yml:6:\d+: .*'topology' and 'group' cannot be used together/ },
  { name: 'package_repository without repo or baseurl', files: site(play('    - package_repository: { name: docker }\n')), expect: /site\.yml:6:\d+: .*'state: present' needs 'repo' or 'baseurl'/ },
  { name: 'a module with no arguments at all where some are required', files: site(play('    - kubectl:\n')), expect: /site\.yml:6:\d+: .*missing required argument 'state'/ },
  // Values that reach a program or a file (#13 items 3 and 4): refused at load by kind
  { name: 'package name that is an apt option', files: site(play('    - package: { name: "-oDir::Cache::pkgcache=/tmp/runbook-never" }\n')), expect: /site\.yml:6:\d+: .*'name' is not a valid package name \(got "-oDir::Cache::pkgcache=\/tmp\/runbook-never"\): it may not start with "-"/ },
  { name: 'service unit that is a systemctl option', files: site(play('    - service: { name: "--now", state: started }\n')), expect: /site\.yml:6:\d+: .*'name' is not a valid unit name .*may not start with "-"/ },
  { name: 'modprobe module that is an option', files: site(play('    - modprobe: { name: "-r" }\n')), expect: /site\.yml:6:\d+: .*'name' is not a valid kernel module name/ },
  { name: 'sysctl key that is an option', files: site(play('    - sysctl: { name: "-p", value: "1" }\n')), expect: /site\.yml:6:\d+: .*'name' is not a valid sysctl key/ },
  { name: 'sysctl value with a line break', files: site(play('    - sysctl: { name: vm.swappiness, value: "1\\nkernel.x = 2" }\n')), expect: /site\.yml:6:\d+: .*'value' is not a valid single line .*line break/ },
  { name: 'etc_hosts name with a newline', files: site(play('    - etc_hosts: { entries: [{ ip: 10.0.0.1, names: ["a\\n10.6.6.6 evil"] }] }\n')), expect: /site\.yml:6:\d+: .*'entries\[0\]\.names\[0\]' is not a valid host name .*line break/ },
  { name: 'etc_hosts address with a space', files: site(play('    - etc_hosts: { entries: [{ ip: "10.0.0.1 evil", names: [a] }] }\n')), expect: /site\.yml:6:\d+: .*'entries\[0\]\.ip' is not a valid IP address/ },
  { name: 'lineinfile line with a line break', files: site(play('    - lineinfile: { path: /tmp/runbook-never, line: "a\\nb" }\n')), expect: /site\.yml:6:\d+: .*'line' is not a valid single line/ },
  { name: 'copy dest that is not absolute', files: site(play('    - copy: { dest: "-x", content: a }\n')), expect: /site\.yml:6:\d+: .*'dest' is not a valid absolute path/ },
  { name: 'chown owner that is an option', files: site(play('    - file: { path: /tmp/runbook-never, state: directory, owner: "--reference=/etc" }\n')), expect: /site\.yml:6:\d+: .*'owner' is not a valid user or group name/ },
  { name: 'gluster peer that is an option', files: site(play('    - gluster_peer: { peers: ["--mode=script"] }\n')), expect: /site\.yml:6:\d+: .*'peers\[0\]' is not a valid host name or IP address/ },
  { name: 'kubectl label key that is an option', files: site(play('    - kubectl: { state: labels, node: n1, labels: { "--all": "x" } }\n')), expect: /site\.yml:6:\d+: .*a key of 'labels' is not a valid label key/ },
  // Arguments
  { name: '--forks 0', files: site(play('    - command: id\n')), args: ['--forks', '0'], expect: /forks/ },
  { name: '--format xml', files: site(play('    - command: id\n')), args: ['--format', 'xml'], expect: /format/ },
  // Module argument combinations and values passed to programs
  { name: 'systemd masked and enabled', files: site(play('    - systemd: { name: ntp, masked: true, enabled: true }\n')), expect: /site\.yml:6:\d+: .*'enabled' must be false with masked: true/ },
  { name: 'systemd state without a unit', files: site(play('    - systemd: { state: started }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'name' \(needed with state\)/ },
  { name: 'systemd unit name that is an option', files: site(play('    - systemd: { name: --global, state: started }\n')), expect: /site\.yml:6:\d+: .*'name' must be a unit name/ },
  { name: 'user absent with a password', files: site(play('    - user: { name: olduser, state: absent, password: "$6$salt$hash" }\n')), expect: /site\.yml:6:\d+: .*'password' cannot be used with state: absent/ },
  { name: 'user password in clear text', files: site(play('    - user: { name: ops, password: hunter2 }\n')), expect: /site\.yml:6:\d+: .*'password' must be a crypt\(3\) hash/ },
  { name: 'user name that is an option', files: site(play('    - user: { name: --help }\n')), expect: /site\.yml:6:\d+: .*'name' must be an account name/ },
  { name: 'group absent with a gid', files: site(play('    - group: { name: ops, state: absent, gid: 1000 }\n')), expect: /site\.yml:6:\d+: .*'gid' cannot be used with state: absent/ },
  { name: 'authorized_key absent with key_options', files: site(play('    - authorized_key: { user: ops, key: "ssh-ed25519 AAAA", state: absent, key_options: no-pty }\n')), expect: /site\.yml:6:\d+: .*'key_options' cannot be used with state: absent/ },
  { name: 'replace with a relative path', files: site(play('    - replace: { path: etc/motd, regexp: x }\n')), expect: /site\.yml:6:\d+: .*'path' must be an absolute path/ },
  { name: 'find depth without recurse', files: site(play('    - find: { paths: [/var/log], depth: 2 }\n')), expect: /site\.yml:6:\d+: .*'depth' cannot be used with recurse: false/ },
  { name: 'cron special_time with a minute', files: site(play('    - cron: { name: x, job: /bin/true, special_time: daily, minute: "5" }\n')), expect: /site\.yml:6:\d+: .*'minute' must be \* with special_time/ },
  { name: 'gluster_volume absent without force', files: site(play('    - gluster_volume: { name: gv0, state: absent }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'force' \(needed with state: absent\)/ },
  { name: 'gluster_volume arbiters without replicas', files: site(play('    - gluster_volume: { name: gv0, bricks: ["n1:/b"], arbiters: 1 }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'replicas' \(needed with arbiters\)/ },
  { name: 'gluster_volume replicas and disperses', files: site(play('    - gluster_volume: { name: gv0, bricks: ["n1:/b"], replicas: 2, disperses: 3 }\n')), expect: /site\.yml:6:\d+: .*'disperses' cannot be used with replicas/ },
  { name: 'gluster_volume brick without a host', files: site(play('    - gluster_volume: { name: gv0, bricks: ["/bricks/gv0"] }\n')), expect: /site\.yml:6:\d+: .*'bricks\[0\]' is not a valid brick \(host:\/path\)/ },
  { name: 'gluster_volume option value that is a flag', files: site(play('    - gluster_volume: { name: gv0, options: { auth.allow: "--all" } }\n')), expect: /site\.yml:6:\d+: .*'options\.auth\.allow' is not a valid option value/ },
  { name: 'mount (fstab) ephemeral without src', files: site(play('    - ansible.posix.mount: { path: /mnt/runbook-never, fstype: tmpfs, state: ephemeral }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'src'/ },
  { name: 'package with neither name nor update_cache', files: site(play('    - package: { state: present }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'name' \(needed with update_cache: false, autoremove: false, no cache_valid_time\)/ },
  { name: 'apt with an Ansible argument runbook does not take', files: site(play('    - apt: { name: kubectl, upgrade: dist }\n')), expect: /site\.yml:6:\d+: .*unknown argument 'upgrade'/ },
  { name: 'dnf with apt\'s purge', files: site(play('    - dnf: { name: kubectl, state: absent, purge: true }\n')), expect: /site\.yml:6:\d+: .*purge/ },
  { name: 'package_repository key_url without key_fingerprint', files: site(play('    - package_repository: { name: docker, repo: "deb https://download.docker.com/linux/debian bookworm stable", key_url: "https://download.docker.com/linux/debian/gpg" }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'key_fingerprint' \(needed with key_url\)/ },
  { name: 'apt_repository with a ppa', files: site(play('    - ansible.builtin.apt_repository: { repo: "ppa:deadsnakes/ppa" }\n')), expect: /site\.yml:6:\d+: .*'repo' is not a valid one-line apt source: deb\|deb-src .*ppa: repositories are looked up on Launchpad, which runbook does not reach/ },
  { name: 'cron present without a job', files: site(play('    - cron: { name: x }\n')), expect: /site\.yml:6:\d+: .*missing required argument 'job' \(needed with state: present\)/ },
  { name: 'wait_for port and path together', files: site(play('    - wait_for: { port: 22, path: /tmp/x }\n')), expect: /site\.yml:6:\d+: .*'port' and 'path' cannot be used together/ },
  { name: 'wait_for host that is an option', files: site(play('    - wait_for: { host: "-oProxyCommand=x", port: 22 }\n')), expect: /site\.yml:6:\d+: .*'host' is not a valid host name or IP address/ },
  { name: 'wait_for search_regex with nothing to search', files: site(play('    - wait_for: { search_regex: ready }\n')), expect: /site\.yml:6:\d+: .*'search_regex' needs 'port' or 'path'/ },
  { name: 'get_url of a file:// URL', files: site(play('    - get_url: { url: "file:///etc/shadow", dest: /tmp/runbook-never }\n')), expect: /site\.yml:6:\d+: .*'url' must be an http:\/\/ or https:\/\/ URL without credentials/ },
  { name: 'get_url checksum without its algorithm', files: site(play('    - get_url: { url: "https://example.org/x", dest: /tmp/runbook-never, checksum: abc }\n')), expect: /site\.yml:6:\d+: .*'checksum' must be algorithm:hex digest/ },
  { name: 'unarchive option that runs a program', files: site(play('    - unarchive: { src: a.tar.gz, dest: /tmp, extra_opts: ["--to-command=sh"] }\n')), expect: /site\.yml:6:\d+: .*'extra_opts\[0\]' is not a valid archive option that runs no program/ },
  { name: 'unarchive remote_src with a relative src', files: site(play('    - unarchive: { src: a.tar.gz, dest: /tmp, remote_src: true }\n')), expect: /site\.yml:6:\d+: .*'src' must be an absolute path on the target/ },
];
