// Installs the stand-ins of test/stand-ins/ (modprobe, systemctl) into a lab host and starts real firewalld there.

import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { quoteArgv } from '../../engine/template/shell-quote.js';
import { repoRoot } from './paths.js';
import type { TestLab } from './lab.js';

/** Host vars that point the modprobe module at the stand-in's state files (documented in docs/modules.md). */
export const STANDIN_VARS = {
  modprobe_proc_modules: '/var/lib/runbook-standin/proc-modules',
  modprobe_sys_module: '/var/lib/runbook-standin/sys-module',
  modprobe_builtin: '/var/lib/runbook-standin/modules.builtin',
};

export async function installStandIns(lab: TestLab, host: string, opts: { modules?: string[]; units?: string[] } = {}): Promise<void> {
  for (const tool of ['modprobe', 'systemctl']) {
    await lab.writeFile(host, `/usr/local/sbin/${tool}`, await fs.readFile(path.join(repoRoot, 'test/stand-ins', tool), 'utf8'), 0o755);
  }
  const modules = opts.modules ?? ['br_netfilter', 'overlay', 'dm_snapshot', 'dm_mirror', 'dm_thin_pool', 'ip_vs'];
  const units = opts.units ?? ['glusterd', 'kubelet', 'docker', 'heketi'];
  const r = await lab.exec(host, ['sh', '-c', [
    'mkdir -p /var/lib/runbook-standin /run/systemd/system',
    ': > /var/lib/runbook-standin/proc-modules',
    'echo kernel/fs/ext4/ext4.ko > /var/lib/runbook-standin/modules.builtin',
    `printf '%s\\n' ${modules.join(' ')} > /var/lib/runbook-standin/modules.available`,
    // One unit per line, "NAME [COMMAND...]": quoted so a command stays on its unit's line.
    `printf '%s\\n' ${quoteArgv(units)} > /var/lib/runbook-standin/units`,
  ].join(' && ')]);
  if (r.code !== 0) throw new Error(`installing stand-ins on ${host}: ${r.stderr}`);
}

/** Real firewalld 1.3 on the host's own system bus, in the host's network namespace (nftables). */
export async function startFirewalld(lab: TestLab, host: string): Promise<void> {
  const r = await lab.exec(host, ['sh', '-c', 'firewall-cmd --state >/dev/null 2>&1 && exit 0; mkdir -p /run/dbus; [ -S /run/dbus/system_bus_socket ] || dbus-daemon --system --fork; firewalld; for i in $(seq 1 150); do firewall-cmd --state >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1']);
  if (r.code !== 0) throw new Error(`firewalld did not start on ${host}: ${r.stderr}${r.stdout}`);
}

/**
 * kubeadm's pre-flight and the bridge sysctls need br_netfilter in the machine's kernel (lab hosts share it): load it
 * with the machine's real modprobe when it is not there yet. A kernel without it makes the sysctl tasks fail loudly.
 */
export async function ensureBridgeNetfilter(): Promise<void> {
  if (await fs.stat('/proc/sys/net/bridge/bridge-nf-call-iptables').then(() => true, () => false)) return;
  await new Promise<void>((resolve) => execFile('/sbin/modprobe', ['br_netfilter'], () => resolve()));
}

/**
 * Puts a lab host back to a fresh machine's state for what the module and playbook tests touch, so test files that
 * share the lab never start from each other's leftovers: no k8s sysctl/module files, ip_forward 0, the machine's
 * own fstab with nothing bound, its own hostname, none of the test packages, no open firewalld ports or services,
 * no stale runtime socket, no stand-in state.
 */
export async function resetLabHost(lab: TestLab, host: string): Promise<void> {
  const machineFstab = await fs.readFile('/etc/fstab', 'utf8').catch(() => '');
  const script = [
    'umount /var/lib/etcd 2>/dev/null; umount /var/lib/docker 2>/dev/null',
    'rm -rf /etc/sysctl.d/k8s.conf /etc/modules-load.d/br_netfilter.conf /etc/modules-load.d/dm_*.conf /etc/modprobe.d/dm_thin_pool.conf /run/containerd /var/lib/runbook-standin /etc/ceph /etc/kubernetes',
    'sysctl -qw net.ipv4.ip_forward=0',
    `printf '%s' ${quoteArgv([machineFstab])} > /etc/fstab`,
    `hostname ${quoteArgv([host])}`,
    'dpkg -r kubelet kubeadm kubectl docker-ce containerd ceph-common >/dev/null 2>&1',
    'if firewall-cmd --state >/dev/null 2>&1; then',
    '  for p in $(firewall-cmd --zone=public --list-ports); do firewall-cmd -q --zone=public --remove-port=$p; done',
    '  for p in $(firewall-cmd --permanent --zone=public --list-ports); do firewall-cmd -q --permanent --zone=public --remove-port=$p; done',
    '  for s in $(firewall-cmd --zone=public --list-services); do [ $s = ssh ] || firewall-cmd -q --zone=public --remove-service=$s; done',
    '  for s in $(firewall-cmd --permanent --zone=public --list-services); do [ $s = ssh ] || firewall-cmd -q --permanent --zone=public --remove-service=$s; done',
    'fi',
    'true',
  ].join('\n');
  const r = await lab.exec(host, ['sh', '-c', script]);
  if (r.code !== 0) throw new Error(`resetting lab host ${host}: ${r.stderr}`);
}
