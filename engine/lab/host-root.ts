// What a lab host's root gets before it boots: written straight into its overlay upper dir (identity, ssh, the units
// systemd runs or leaves off, the module tree stand-in).

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** lab/stand-ins in the package (from dist/engine/lab/ up to the package root). */
export const STAND_INS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../lab/stand-ins');

/** Units this machine enables that a lab host does not start at boot (they stay installed: a play can start them). */
const KEEP_ENABLED = new Set(['ssh.service', 'sshd.service']);
/** Units a lab host never needs: masked so a host boots fast and small. */
const MASKED = [
  'console-getty.service', 'getty@tty1.service', 'systemd-logind.service', 'systemd-timesyncd.service', 'systemd-pstore.service',
  'e2scrub_reap.service', 'postgresql.service', 'apt-daily.timer', 'apt-daily-upgrade.timer', 'dpkg-db-backup.timer',
  'e2scrub_all.timer', 'fstrim.timer', 'man-db.timer', 'systemd-journal-flush.service',
  // The root is the lab's overlay (nothing to remount); sshd runs without PAM, so /run/nologin never gates a login.
  // Both were seen failing at boot on a loaded machine, leaving the host "degraded".
  'systemd-remount-fs.service', 'systemd-user-sessions.service',
];
/** Modules the modprobe stand-in knows (its modules.dep): what the shipped playbooks load, and common neighbours. */
const AVAILABLE_MODULES = [
  'br_netfilter', 'overlay', 'dm_snapshot', 'dm_mirror', 'dm_thin_pool', 'dm_multipath', 'target_core_user', 'ip_vs', 'ip_vs_rr', 'ip_vs_wrr',
  'ip_vs_sh', 'nf_conntrack', 'rbd', 'ceph', 'xfs', 'fuse', 'loop', 'vxlan', 'ip_tables', 'iptable_nat', 'iptable_filter',
];

export interface HostIdentity { name: string; address: string }

function sshdConfig(address: string): string {
  return [
    'Port 22', `ListenAddress ${address}`, 'HostKey /etc/runbook-lab/ssh_host_ed25519_key', 'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no',
    'AuthorizedKeysFile .ssh/authorized_keys', 'Subsystem sftp internal-sftp', 'MaxSessions 64', 'MaxStartups 200', 'LogLevel ERROR', '',
  ].join('\n');
}

// ssh.service stays the distribution's unit; only its config file is the lab's (own host key, listen address).
const SSH_DROP_IN = [
  '# runbook lab: sshd reads the lab host\'s own config and host key', '[Service]',
  'ExecStartPre=', 'ExecStartPre=/usr/sbin/sshd -t -f /etc/runbook-lab/sshd_config',
  'ExecStart=', 'ExecStart=/usr/sbin/sshd -D -f /etc/runbook-lab/sshd_config',
  'ExecReload=', 'ExecReload=/usr/sbin/sshd -t -f /etc/runbook-lab/sshd_config', 'ExecReload=/bin/kill -HUP $MAINPID', '',
].join('\n');

const MODULE_TREE_UNIT = [
  '# runbook lab: the module tree stand-in (see /usr/local/lib/runbook-lab/module-tree-boot)', '[Unit]',
  'Description=runbook lab module tree stand-in (/sys/module, /proc/modules, modules-load.d)', 'DefaultDependencies=no',
  'After=local-fs.target', 'Before=sysinit.target systemd-sysctl.service', '',
  // Under load systemd sometimes cannot set up the unit's cgroup at early boot (status 219/CGROUP): try again.
  '[Service]', 'Type=oneshot', 'RemainAfterExit=yes', 'ExecStart=/usr/local/lib/runbook-lab/module-tree-boot', 'Restart=on-failure', 'RestartSec=200ms', '',
  '[Install]', 'WantedBy=sysinit.target', '',
].join('\n');

/** A copy of this machine's /sys/module (built-in modules and their parameters), made once per lab. */
export async function snapshotSysModule(into: string): Promise<void> {
  await fs.mkdir(into, { recursive: true });
  // Write-only or unreadable parameters are skipped; what can be read keeps its value.
  await run('sh', ['-c', 'cd /sys/module && for m in *; do mkdir -p "$1/$m"; [ -d "$m/parameters" ] || continue; mkdir -p "$1/$m/parameters"; for p in "$m"/parameters/*; do cat "$p" > "$1/$p" 2>/dev/null || rm -f "$1/$p"; done; done; true', 'sh', into]);
}

async function machineWants(): Promise<string[]> {
  const base = '/etc/systemd/system';
  const out: string[] = [];
  // Aliases made by enabling (dbus-org.*.service) count as enabled too.
  for (const entry of await fs.readdir(base, { withFileTypes: true }).catch(() => [])) {
    if (entry.isSymbolicLink() && !KEEP_ENABLED.has(entry.name)) out.push(path.join('etc/systemd/system', entry.name));
  }
  for (const dir of await fs.readdir(base).catch(() => [] as string[])) {
    if (!dir.endsWith('.wants')) continue;
    for (const unit of await fs.readdir(path.join(base, dir)).catch(() => [] as string[])) {
      if (!KEEP_ENABLED.has(unit)) out.push(path.join('etc/systemd/system', dir, unit));
    }
  }
  return out;
}

/** Writes a host's own files into its upper dir; returns the host's public ssh key. */
export async function seedHostRoot(upper: string, host: HostIdentity, all: HostIdentity[], pubKey: string, sysModuleSnapshot: string): Promise<string> {
  const put = async (rel: string, content: string, mode = 0o644) => {
    const p = path.join(upper, rel);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, content, { mode });
    await fs.chmod(p, mode);
  };
  await put('etc/hostname', `${host.name}\n`);
  await put('etc/hosts', `127.0.0.1 localhost\n${all.map((h) => `${h.address} ${h.name}`).join('\n')}\n`);
  await put('etc/machine-id', `${randomBytes(16).toString('hex')}\n`, 0o444);
  await put('root/.ssh/authorized_keys', pubKey, 0o600);
  await put('etc/runbook-lab/sshd_config', sshdConfig(host.address));
  await put('etc/systemd/system/ssh.service.d/runbook-lab.conf', SSH_DROP_IN);
  await put('etc/systemd/journald.conf.d/runbook-lab.conf', '[Journal]\nStorage=volatile\nRuntimeMaxUse=4M\n');
  // Package scripts do not start services on a lab host (a play starts what it needs).
  await put('usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', 0o755);
  for (const unit of MASKED) {
    await fs.mkdir(path.join(upper, 'etc/systemd/system'), { recursive: true });
    await fs.symlink('/dev/null', path.join(upper, 'etc/systemd/system', unit)).catch(() => undefined);
  }
  // Enabled on this machine, off on a lab host: an overlay whiteout hides the machine's wants link.
  for (const rel of await machineWants()) {
    await fs.mkdir(path.dirname(path.join(upper, rel)), { recursive: true });
    await run('mknod', [path.join(upper, rel), 'c', '0', '0']).catch(() => undefined);
  }
  await seedModuleTree(upper, sysModuleSnapshot, put);
  const keyFile = path.join(upper, 'etc/runbook-lab/ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${host.name}`, '-f', keyFile]);
  return (await fs.readFile(`${keyFile}.pub`, 'utf8')).trim();
}

type Put = (rel: string, content: string, mode?: number) => Promise<void>;

async function seedModuleTree(upper: string, sysModuleSnapshot: string, put: Put): Promise<void> {
  for (const tool of ['modprobe', 'lsmod', 'modinfo']) await put(`usr/local/sbin/${tool}`, await fs.readFile(path.join(STAND_INS_DIR, tool), 'utf8'), 0o755);
  await put('usr/local/lib/runbook-lab/module-tree-boot', await fs.readFile(path.join(STAND_INS_DIR, 'module-tree-boot'), 'utf8'), 0o755);
  await put('etc/systemd/system/runbook-lab-module-tree.service', MODULE_TREE_UNIT);
  await fs.mkdir(path.join(upper, 'etc/systemd/system/sysinit.target.wants'), { recursive: true });
  await fs.symlink('/etc/systemd/system/runbook-lab-module-tree.service', path.join(upper, 'etc/systemd/system/sysinit.target.wants/runbook-lab-module-tree.service'));
  await put('var/lib/runbook-lab/modules/proc-modules', '');
  await put('var/lib/runbook-lab/modules/available', `${AVAILABLE_MODULES.join('\n')}\n`);
  await put('var/lib/runbook-lab/modules/parameters', await fs.readFile(path.join(STAND_INS_DIR, 'module-parameters'), 'utf8'));
  await put('var/lib/runbook-lab/kernel/swaps', 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n');
  await run('cp', ['-a', sysModuleSnapshot, path.join(upper, 'var/lib/runbook-lab/modules/sys-module')]);
  const release = (await run('uname', ['-r'])).stdout.trim();
  // /lib is a link to usr/lib on a merged-/usr system: write through the real path, never shadow the link.
  const builtin = path.join(await fs.realpath('/lib'), 'modules', release, 'modules.builtin');
  if (!(await fs.stat(builtin).catch(() => null))) await put(builtin.slice(1), 'kernel/fs/ext4/ext4.ko\n');
}
