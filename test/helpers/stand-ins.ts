// Test set-up on lab hosts: firewalld started through its unit, br_netfilter on the machine, and a host put back to a
// fresh machine's state between test files. The stand-ins themselves are lab features (engine/lab/features.ts).

import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { quoteArgv } from '../../engine/template/shell-quote.js';
import type { TestLab } from './lab.js';

/** Real firewalld 1.3, started through its systemd unit; resolves once firewall-cmd --state says running. */
export async function startFirewalld(lab: TestLab, host: string): Promise<void> {
  const r = await lab.exec(host, ['sh', '-c', 'systemctl start firewalld.service || exit 1; for i in $(seq 1 150); do firewall-cmd --state >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1']);
  if (r.code !== 0) throw new Error(`firewalld did not start on ${host}: ${r.stderr}${r.stdout}`);
}

/**
 * Tests of one process share a lab: an earlier one may have left firewalld running on a host, which then rejects a
 * port a later test serves (EHOSTUNREACH). Open it for this runtime only (a no-op without firewalld); close it after.
 */
export async function allowPort(lab: TestLab, host: string, port: number, open = true): Promise<void> {
  const verb = open ? '--add-port' : '--remove-port';
  await lab.exec(host, ['sh', '-c', `if firewall-cmd --state >/dev/null 2>&1; then firewall-cmd -q ${verb}=${port}/tcp; fi; true`]);
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
 * no stale runtime socket, no stand-in state (no module loaded, no swap, no kubeadm/kubectl state).
 */
export async function resetLabHost(lab: TestLab, host: string): Promise<void> {
  const machineFstab = await fs.readFile('/etc/fstab', 'utf8').catch(() => '');
  const script = [
    'umount /var/lib/etcd 2>/dev/null; umount /var/lib/docker 2>/dev/null',
    'systemctl stop kubelet containerd docker glusterd heketi 2>/dev/null',
    'rm -rf /etc/sysctl.d/k8s.conf /etc/modules-load.d/br_netfilter.conf /etc/modules-load.d/dm_*.conf /etc/modprobe.d/dm_thin_pool.conf /run/containerd /var/lib/runbook-lab/kubernetes /etc/ceph /etc/kubernetes',
    // No kernel module loaded (the module tree stand-in's state), and no swap.
    'for m in $(cut -d" " -f1 /var/lib/runbook-lab/modules/proc-modules); do modprobe -r $m; done',
    'head -n 1 /var/lib/runbook-lab/kernel/swaps > /tmp/swaps && cat /tmp/swaps > /var/lib/runbook-lab/kernel/swaps',
    'sysctl -qw net.ipv4.ip_forward=0',
    `printf '%s' ${quoteArgv([machineFstab])} > /etc/fstab`,
    `hostname ${quoteArgv([host])}`,
    'dpkg --purge kubelet kubeadm kubectl docker-ce containerd ceph-common lvm2 heketi heketi-client >/dev/null 2>&1',
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
