// Facts: gathered in one round trip per host by one POSIX sh script, parsed into a Facts object.

import type { Connection, Facts } from '../types.js';
import { ConnectionError } from '../errors.js';
import { ANSIBLE_SHAPED_SCRIPT, emptyAnsibleShaped, parseAnsibleShaped } from './facts-ansible-shaped.js';

// Each section is introduced by a marker line so one command returns everything.
const FACTS_SCRIPT = String.raw`
echo '@@os'; cat /etc/os-release 2>/dev/null
echo '@@kernel'; uname -r
echo '@@system'; uname -s
echo '@@debian_version'; cat /etc/debian_version 2>/dev/null
echo '@@arch'; uname -m
echo '@@cpus'; (nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
echo '@@meminfo'; grep -E '^(MemTotal|SwapTotal):' /proc/meminfo 2>/dev/null
echo '@@hostname'; (hostname 2>/dev/null || cat /etc/hostname)
echo '@@fqdn'; (hostname -f 2>/dev/null || hostname)
echo '@@ipv4'; (ip -o -4 addr show 2>/dev/null | awk '{print $2" "$4}')
echo '@@route'; (ip -o -4 route show default 2>/dev/null | head -n1)
echo '@@blk'; (lsblk -b -d -n -o NAME,SIZE,TYPE 2>/dev/null)
echo '@@pkg'; for p in apt-get dnf yum; do command -v $p >/dev/null 2>&1 && echo $p; done
echo '@@init'; (cat /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo systemd-run)
`;

const FULL_SCRIPT = `${FACTS_SCRIPT}${ANSIBLE_SHAPED_SCRIPT}echo '@@end'\n`;

function sections(out: string): Record<string, string[]> {
  const res: Record<string, string[]> = {};
  let cur = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('@@')) { cur = line.slice(2).trim(); res[cur] = []; continue; }
    if (cur && line.trim() !== '') res[cur].push(line);
  }
  return res;
}

function parseOsRelease(lines: string[]): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const l of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(l.trim());
    if (m) kv[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return kv;
}

const FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', raspbian: 'Debian',
  centos: 'RedHat', rhel: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat',
};

/** Ansible's ansible_distribution for an os-release ID (its own spelling: "Debian", "CentOS", "Archlinux"). */
const DISTRIBUTION: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', raspbian: 'Debian', centos: 'CentOS', rhel: 'RedHat', fedora: 'Fedora',
  rocky: 'Rocky', almalinux: 'AlmaLinux', ol: 'OracleLinux', amzn: 'Amazon', arch: 'Archlinux', alpine: 'Alpine',
  'opensuse-leap': 'openSUSE Leap', 'opensuse-tumbleweed': 'openSUSE Tumbleweed', sles: 'SLES', linuxmint: 'Linux Mint',
  pop: 'Pop!_OS', freebsd: 'FreeBSD',
};

/** Ansible's distribution facts: its name for the OS, and the version as Ansible reads it (Debian's point release). */
type Distribution = Pick<Facts, 'distribution' | 'distribution_version' | 'distribution_major_version' | 'distribution_minor_version'>;

function distribution(id: string, os: Record<string, string>, debianVersion: string | undefined): Distribution {
  const name = DISTRIBUTION[id] ?? os.NAME ?? 'unknown';
  const version = id === 'debian' && debianVersion && /^\d+(\.\d+)*$/.test(debianVersion) ? debianVersion : os.VERSION_ID ?? '';
  const [major = '', minor = ''] = version.split('.');
  return { distribution: name, distribution_version: version, distribution_major_version: major, distribution_minor_version: minor };
}

/** Parse the facts script output (exported for unit tests). */
export function parseFacts(out: string): Facts {
  const s = sections(out);
  const os = parseOsRelease(s.os ?? []);
  const id = (os.ID ?? 'unknown').toLowerCase();
  const like = (os.ID_LIKE ?? '').toLowerCase().split(/\s+/);
  const family = FAMILY[id] ?? like.map((l) => FAMILY[l]).find(Boolean) ?? 'unknown';
  const mem = Object.fromEntries((s.meminfo ?? []).map((l) => {
    const m = /^(\w+):\s+(\d+)/.exec(l);
    return m ? [m[1], Number(m[2])] : ['', 0];
  }));
  const ipv4 = (s.ipv4 ?? [])
    .map((l) => l.split(/\s+/))
    .filter(([dev]) => dev !== 'lo')
    .map(([, cidr]) => cidr.split('/')[0]);
  // The default route's device decides the default address (no packet is sent to find it).
  const defaultDev = /\bdev\s+(\S+)/.exec((s.route ?? [])[0] ?? '')?.[1];
  const byDev = (s.ipv4 ?? []).map((l) => l.split(/\s+/)).find(([dev]) => dev === defaultDev);
  const routeSrc = byDev?.[1]?.split('/')[0];
  const pkgs = s.pkg ?? [];
  const init = s.init ?? [];
  return {
    os_id: id,
    os_family: family,
    os_version: os.VERSION_ID ?? '',
    os_codename: os.VERSION_CODENAME ?? '',
    os_pretty_name: os.PRETTY_NAME ?? '',
    ...distribution(id, os, s.debian_version?.[0]?.trim()),
    system: s.system?.[0] ?? '',
    kernel: s.kernel?.[0] ?? '',
    arch: s.arch?.[0] ?? '',
    cpus: Number(s.cpus?.[0] ?? 0),
    memory_mb: Math.round((mem.MemTotal ?? 0) / 1024),
    swap_total_mb: Math.round((mem.SwapTotal ?? 0) / 1024),
    hostname: s.hostname?.[0] ?? '',
    fqdn: s.fqdn?.[0] ?? s.hostname?.[0] ?? '',
    ipv4,
    default_ipv4: routeSrc ?? ipv4[0] ?? '',
    block_devices: (s.blk ?? []).map((l) => {
      const [name, size, type] = l.trim().split(/\s+/);
      return { name, size_bytes: Number(size), type };
    }),
    pkg_mgr: pkgs.includes('apt-get') ? 'apt' : pkgs.includes('dnf') ? 'dnf' : pkgs.includes('yum') ? 'yum' : 'unknown',
    init_system: init.includes('systemd-run') || init[0] === 'systemd' ? 'systemd'
      : init[0] === 'init' ? 'sysvinit' : init[0] === 'openrc-init' ? 'openrc' : 'unknown',
    ...parseAnsibleShaped(s, os),
  };
}

/** Gather facts in one command. */
export async function gatherFacts(conn: Connection): Promise<Facts> {
  const res = await conn.exec(['sh', '-c', FULL_SCRIPT], { timeoutMs: 60_000 });
  if (!res.stdout.includes('@@end')) {
    throw new ConnectionError(`fact gathering failed (exit ${res.code}): ${res.stderr.trim()}`);
  }
  return parseFacts(res.stdout);
}

/** Facts for gather_facts: false — the keys exist, values are empty, so templates fail loudly only on real use. */
export function emptyFacts(name: string): Facts {
  return {
    os_id: '', os_family: '', os_version: '', os_codename: '', os_pretty_name: '', kernel: '', arch: '', system: '',
    distribution: '', distribution_version: '', distribution_major_version: '', distribution_minor_version: '',
    cpus: 0, memory_mb: 0, swap_total_mb: 0, hostname: name, fqdn: name, ipv4: [], default_ipv4: '',
    block_devices: [], pkg_mgr: 'unknown', init_system: 'unknown', ...emptyAnsibleShaped(name),
  };
}
