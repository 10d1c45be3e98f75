// Facts in the shapes Ansible's setup module gives them (ansible_default_ipv4, ansible_lsb, ansible_user_*, ansible_env,
// ansible_date_time, processor counts, selinux/apparmor status), parsed from sections of the one fact script.

import type { Facts } from '../types.js';

type Sections = Record<string, string[]>;
type Shaped = Pick<Facts, 'default_ipv4_route' | 'lsb' | 'user_id' | 'user_uid' | 'user_gid' | 'user_dir' | 'user_shell' | 'env'
  | 'nodename' | 'interfaces' | 'processor_count' | 'processor_cores' | 'memfree_mb' | 'date_time' | 'selinux' | 'apparmor'>;

/** The shell lines that gather them (appended to the fact script). */
export const ANSIBLE_SHAPED_SCRIPT = String.raw`
echo '@@route_get'; (ip -o -4 route get 8.8.8.8 2>/dev/null | head -n1)
echo '@@addr'; (ip -o -4 addr show 2>/dev/null)
echo '@@link'; (ip -o link show 2>/dev/null)
echo '@@lsb'; command -v lsb_release >/dev/null 2>&1 && echo 'bin:yes'; [ -r /etc/lsb-release ] && sed 's/^/file:/' /etc/lsb-release
echo '@@user'; id -un; id -u; id -g; printf '%s\n' "$HOME"; (getent passwd "$(id -un)" 2>/dev/null | cut -d: -f7)
echo '@@nodename'; uname -n
echo '@@interfaces'; ls -U /sys/class/net 2>/dev/null
echo '@@cpuinfo'; grep -E '^(physical id|cpu cores|processor)[[:space:]]*:' /proc/cpuinfo 2>/dev/null
echo '@@memfree'; grep -E '^MemFree:' /proc/meminfo 2>/dev/null
echo '@@date'; date '+%Y %m %d %H %M %S %s %A %w %W %N %Z %z'; date -u '+%Y-%m-%dT%H:%M:%S'
echo '@@security'; [ -e /sys/fs/selinux/enforce ] && echo "selinux $(cat /sys/fs/selinux/enforce)"; [ -d /sys/kernel/security/apparmor ] && echo apparmor
echo '@@env'; env
`;

const CIDR_MASK = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const dotted = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const asNumber = (ip: string): number => ip.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);

/** ansible_default_ipv4: the interface `ip route get` picks for the internet (no packet is sent), {} without a route. */
function defaultRoute(s: Sections): Record<string, string | number> {
  const words = (s.route_get?.[0] ?? '').trim().split(/\s+/);
  if (words[0] !== '8.8.8.8') return {};
  const after = (w: string) => { const i = words.indexOf(w); return i >= 0 ? words[i + 1] : undefined; };
  const out: Record<string, string | number> = {};
  const dev = after('dev');
  const src = after('src');
  const via = after('via');
  if (dev) out.interface = dev;
  if (src) out.address = src;
  if (via) out.gateway = via;
  if (!dev) return out;
  // The interface's address line: "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0".
  const addr = (s.addr ?? []).map((l) => l.split('\\')[0].trim().split(/\s+/)).find((w) => w[1] === dev && w[2] === 'inet' && (!src || w[3].startsWith(`${src}/`)));
  if (addr) {
    const [ip, bits] = addr[3].split('/');
    const prefix = Number(bits ?? 32);
    const brd = addr.indexOf('brd');
    Object.assign(out, { address: ip, broadcast: brd > 0 ? addr[brd + 1] : '', netmask: dotted(CIDR_MASK(prefix)), network: dotted(asNumber(ip) & CIDR_MASK(prefix)), prefix: String(prefix), alias: addr[addr.length - 1] });
  }
  // "2: eth0@if12: <...> mtu 1500 ... link/ether aa:bb:.. brd ff:.." (a veth peer's name carries @ifN).
  const link = (s.link ?? []).find((l) => l.split(':')[1]?.trim().split('@')[0] === dev);
  if (link) {
    const mtu = /\bmtu (\d+)/.exec(link)?.[1];
    const hw = /\blink\/(\w+)(?: ([0-9a-f:]+))?/.exec(link);
    if (hw?.[2]) out.macaddress = hw[2];
    if (mtu) out.mtu = Number(mtu);
    if (hw) out.type = hw[1] === 'ether' ? 'ether' : hw[1] === 'loopback' ? 'loopback' : hw[1];
  }
  return out;
}

/**
 * ansible_lsb: what `lsb_release -a` prints when the host has it, else /etc/lsb-release, else {}. lsb_release itself
 * is not run (70 ms of forks per host): where /etc/lsb-release exists (Ubuntu) it prints that file's values, and
 * Debian's reads os-release as below (ID capitalized, or NAME when they differ only in case).
 */
function lsb(lines: string[], os: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const keys: Record<string, string> = { DISTRIB_ID: 'id', DISTRIB_RELEASE: 'release', DISTRIB_DESCRIPTION: 'description', DISTRIB_CODENAME: 'codename' };
  for (const line of lines) {
    const m = /^file:(\w+)=(.*)$/.exec(line);
    if (m && keys[m[1]] && m[2].trim()) out[keys[m[1]]] = m[2].trim().replace(/^['"\\]+|['"\\]+$/g, '');
  }
  if (Object.keys(out).length === 0 && lines.includes('bin:yes')) {
    const id = os.ID ?? '';
    const capitalized = id.charAt(0).toUpperCase() + id.slice(1);
    out.id = os.NAME !== undefined && os.NAME.toLowerCase() === id.toLowerCase() ? os.NAME : capitalized || 'n/a';
    out.description = os.PRETTY_NAME || 'n/a';
    out.release = os.VERSION_ID || 'n/a';
    out.codename = os.VERSION_CODENAME || 'n/a';
  }
  if (out.release) out.major_release = out.release.split('.')[0];
  return out;
}

/** ansible_env: the login environment; a line without NAME= continues the value before it. */
function environment(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let last = '';
  for (const line of lines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) { last = m[1]; out[last] = m[2]; } else if (last) out[last] += `\n${line}`;
  }
  return out;
}

/** ansible_date_time, at the moment facts were gathered, in the host's time zone (iso8601 fields in UTC). */
function dateTime(lines: string[]): Record<string, string> {
  const [Y, m, d, H, M, S, epoch, weekday, weekdayNumber, weeknumber, nanos, tz, offset] = (lines[0] ?? '').trim().split(/\s+/);
  if (!epoch) return {};
  const micro = (nanos ?? '0').padEnd(9, '0').slice(0, 6);
  const utc = (lines[1] ?? '').trim();
  return {
    year: Y, month: m, day: d, hour: H, minute: M, second: S, weekday, weekday_number: weekdayNumber, weeknumber,
    epoch, epoch_int: String(Number(epoch)), date: `${Y}-${m}-${d}`, time: `${H}:${M}:${S}`,
    iso8601: `${utc}Z`, iso8601_micro: `${utc}.${micro}Z`, iso8601_basic: `${Y}${m}${d}T${H}${M}${S}${micro}`,
    iso8601_basic_short: `${Y}${m}${d}T${H}${M}${S}`, tz, tz_offset: offset,
  };
}

/** processor_count: sockets (distinct physical ids, else processors); processor_cores: cores per socket. */
function processors(lines: string[]): { processor_count: number; processor_cores: number } {
  const field = (name: string) => lines.filter((l) => l.startsWith(name)).map((l) => l.split(':')[1].trim());
  const sockets = new Set(field('physical id'));
  return { processor_count: sockets.size || field('processor').length, processor_cores: Number(field('cpu cores')[0] ?? 1) || 1 };
}

export function parseAnsibleShaped(s: Sections, os: Record<string, string>): Shaped {
  const [userId = '', uid = '', gid = '', home = '', shell = ''] = s.user ?? [];
  const security = s.security ?? [];
  const selinux = security.find((l) => l.startsWith('selinux '));
  return {
    default_ipv4_route: defaultRoute(s),
    lsb: lsb(s.lsb ?? [], os),
    user_id: userId, user_uid: Number(uid), user_gid: Number(gid), user_dir: home, user_shell: shell,
    env: environment(s.env ?? []),
    nodename: s.nodename?.[0] ?? '',
    interfaces: s.interfaces ?? [],
    ...processors(s.cpuinfo ?? []),
    memfree_mb: Math.round(Number(/(\d+)/.exec(s.memfree?.[0] ?? '')?.[1] ?? 0) / 1024),
    date_time: dateTime(s.date ?? []),
    selinux: selinux ? { status: 'enabled', mode: selinux.endsWith('1') ? 'enforcing' : 'permissive' } : { status: 'disabled' },
    apparmor: { status: security.includes('apparmor') ? 'enabled' : 'disabled' },
  };
}

/** The same keys for gather_facts: false, empty. */
export function emptyAnsibleShaped(name: string): Shaped {
  return {
    default_ipv4_route: {}, lsb: {}, user_id: '', user_uid: 0, user_gid: 0, user_dir: '', user_shell: '', env: {}, nodename: name,
    interfaces: [], processor_count: 0, processor_cores: 0, memfree_mb: 0, date_time: {}, selinux: {}, apparmor: {},
  };
}
