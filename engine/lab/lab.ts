// The lab: real Linux hosts on this machine. Each host is a network namespace (veth into a lab bridge, an address in
// 10.213.0.0/16), a mount + UTS namespace held by a long-lived holder process, a root that is an overlay of this
// machine's own root (each host writes only to its own upper dir), and its own sshd. Everything made is recorded in
// a state file so `down` removes it by PID and by name, also after a crash.

import { spawn, execFile } from 'node:child_process';
import { promises as fs, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const LAB_STATE_ROOT = '/run/runbook-lab';
export const LAB_PREFIX = '10.213';

export interface LabHostState {
  name: string;
  address: string;
  netns: string;
  veth: string;
  holderPid: number;
  sshdPid: number;
  root: string;
  upper: string;
}

export interface LabState {
  name: string;
  index: number;
  bridge: string;
  dir: string;
  keyPath: string;
  knownHostsPath: string;
  inventoryPath: string;
  hosts: LabHostState[];
}

export class LabError extends Error {}

async function sh(argv: string[], input?: string): Promise<string> {
  try {
    if (input !== undefined) {
      return await new Promise((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')}: exit ${code}: ${err.trim()}`))));
        child.stdin.end(input);
      });
    }
    return (await run(argv[0], argv.slice(1), { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new LabError(`${argv.join(' ')} failed: ${(err.stderr ?? err.message).toString().trim()}`);
  }
}

export function requireRoot(): void {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new LabError('the lab needs root on Linux (it creates network and mount namespaces); run as root');
  }
}

function stateDir(name: string): string {
  return path.join(LAB_STATE_ROOT, name);
}

export async function readLabState(name: string): Promise<LabState | undefined> {
  const text = await fs.readFile(path.join(stateDir(name), 'state.json'), 'utf8').catch(() => undefined);
  return text ? (JSON.parse(text) as LabState) : undefined;
}

// Hosts start concurrently: state writes are chained so the file is always one whole JSON document.
let stateWrites: Promise<void> = Promise.resolve();
function writeLabState(s: LabState): Promise<void> {
  const text = JSON.stringify(s, null, 2);
  stateWrites = stateWrites.catch(() => undefined).then(async () => {
    await fs.writeFile(path.join(s.dir, 'state.json.tmp'), text);
    await fs.rename(path.join(s.dir, 'state.json.tmp'), path.join(s.dir, 'state.json'));
  });
  return stateWrites;
}

export async function listLabs(): Promise<LabState[]> {
  const names = await fs.readdir(LAB_STATE_ROOT).catch(() => [] as string[]);
  const out: LabState[] = [];
  for (const n of names) {
    const s = await readLabState(n);
    if (s) out.push(s);
  }
  return out;
}

const CLAIMS_DIR = path.join(LAB_STATE_ROOT, '.claims');
const STALE_CLAIM_MS = 120_000;

/** A claim is stale when its lab never got (or no longer has) a state file and the claim is old. */
async function claimIsStale(dir: string): Promise<boolean> {
  const owner = (await fs.readFile(path.join(dir, 'owner'), 'utf8').catch(() => '')).trim();
  if (owner && (await readLabState(owner))) return false;
  const st = await fs.stat(dir).catch(() => undefined);
  return !!st && Date.now() - st.mtimeMs > STALE_CLAIM_MS;
}

/**
 * Claims a /24 index no other lab on this machine uses. Labs start concurrently (several test processes at once):
 * the claim is a mkdir, which only one process can win, so two labs never share a subnet or a bridge name.
 */
export async function claimLabIndex(name: string): Promise<number> {
  await fs.mkdir(CLAIMS_DIR, { recursive: true, mode: 0o700 });
  // Labs made before claims existed hold their index only in their state file.
  const used = new Set((await listLabs()).map((l) => l.index));
  for (let i = 1; i < 250; i++) {
    if (used.has(i)) continue;
    const dir = path.join(CLAIMS_DIR, String(i));
    try {
      await fs.mkdir(dir);
    } catch {
      if (!(await claimIsStale(dir))) continue;
      await fs.rm(dir, { recursive: true, force: true });
      try { await fs.mkdir(dir); } catch { continue; }
    }
    await fs.writeFile(path.join(dir, 'owner'), `${name}\n`);
    return i;
  }
  throw new LabError('no free lab subnet (250 labs exist?)');
}

export async function releaseLabIndex(index: number, name: string): Promise<void> {
  const dir = path.join(CLAIMS_DIR, String(index));
  const owner = (await fs.readFile(path.join(dir, 'owner'), 'utf8').catch(() => '')).trim();
  if (owner === name) await fs.rm(dir, { recursive: true, force: true });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new LabError(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function tcpOpen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port, timeout: 500 });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

function spawnDetached(argv: string[], logFile: string): number {
  const fd = openSync(logFile, 'a');
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new LabError(`cannot start ${argv.join(' ')}`);
  return child.pid;
}

function sshdConfig(address: string): string {
  return [
    'Port 22', `ListenAddress ${address}`, 'HostKey /etc/runbook-lab/ssh_host_ed25519_key', 'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no',
    'AuthorizedKeysFile .ssh/authorized_keys', 'PidFile /run/sshd-lab.pid', 'Subsystem sftp internal-sftp',
    'MaxSessions 64', 'MaxStartups 200', 'LogLevel ERROR', '',
  ].join('\n');
}

/** Files a host gets before its overlay is mounted: written straight into its upper dir. */
async function seedUpper(upper: string, host: { name: string; address: string }, all: Array<{ name: string; address: string }>, pubKey: string): Promise<string> {
  const put = async (rel: string, content: string, mode = 0o644) => {
    const p = path.join(upper, rel);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, content, { mode });
    await fs.chmod(p, mode);
  };
  await put('etc/hostname', `${host.name}\n`);
  await put('etc/hosts', `127.0.0.1 localhost\n${all.map((h) => `${h.address} ${h.name}`).join('\n')}\n`);
  await put('root/.ssh/authorized_keys', pubKey, 0o600);
  await put('etc/runbook-lab/sshd_config', sshdConfig(host.address));
  // Package scripts must not start services inside a lab host.
  await put('usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', 0o755);
  const keyFile = path.join(upper, 'etc/runbook-lab/ssh_host_ed25519_key');
  await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `root@${host.name}`, '-f', keyFile]);
  return (await fs.readFile(`${keyFile}.pub`, 'utf8')).trim();
}

/** Run argv inside a lab host (its namespaces and root), not over ssh. */
export function hostCommand(h: LabHostState, argv: string[]): string[] {
  return ['nsenter', '-t', String(h.holderPid), '-m', '-n', '-u', '--', 'chroot', h.root, ...argv];
}

async function startHost(s: LabState, i: number, all: Array<{ name: string; address: string }>, pubKey: string): Promise<{ host: LabHostState; hostKey: string }> {
  const { name, address } = all[i];
  const netns = `rbl${s.index}-${name}`;
  const veth = `rb${s.index}v${i + 1}`;
  const base = path.join(s.dir, 'fs', name);
  const upper = path.join(base, 'upper');
  const root = path.join(base, 'root');
  await fs.mkdir(upper, { recursive: true });
  await fs.mkdir(path.join(base, 'work'), { recursive: true });
  await fs.mkdir(root, { recursive: true });
  const hostKey = await seedUpper(upper, { name, address }, all, pubKey);

  await sh(['ip', 'netns', 'add', netns]);
  const partial: LabHostState = { name, address, netns, veth, holderPid: 0, sshdPid: 0, root, upper };
  s.hosts.push(partial);
  await writeLabState(s);
  await sh(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  await sh(['ip', 'link', 'set', veth, 'master', s.bridge, 'up']);
  await sh(['ip', '-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
  await sh(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
  await sh(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);

  // The holder keeps the host's mount and UTS namespaces alive; wait until it really runs in its own
  // mount namespace before entering it, or we would land in (and change) the machine's.
  partial.holderPid = spawnDetached(['ip', 'netns', 'exec', netns, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sleep', 'infinity'], path.join(s.dir, `${name}.holder.log`));
  await writeLabState(s);
  const ownMnt = await fs.readlink('/proc/self/ns/mnt');
  await waitFor(`the namespace holder of ${name}`, async () => {
    const mnt = await fs.readlink(`/proc/${partial.holderPid}/ns/mnt`).catch(() => ownMnt);
    const comm = await fs.readFile(`/proc/${partial.holderPid}/comm`, 'utf8').catch(() => '');
    return mnt !== ownMnt && comm.trim() === 'sleep';
  }, 10_000);

  const mountScript = [
    'set -e',
    `mount -t overlay overlay -o lowerdir=/,upperdir=${upper},workdir=${path.join(base, 'work')} ${root}`,
    `mount -t proc proc ${root}/proc`,
    `mount -t sysfs sysfs ${root}/sys`,
    `mount --rbind /dev ${root}/dev`,
    `mount -t tmpfs -o mode=0755 tmpfs ${root}/run`,
    `mount -t tmpfs -o mode=1777 tmpfs ${root}/tmp`,
    `mkdir -p ${root}/run/sshd ${root}/run/lock`,
    `hostname ${name}`,
  ].join('\n');
  await sh(['nsenter', '-t', String(partial.holderPid), '-m', '-n', '-u', '--', 'sh', '-c', mountScript]);
  partial.sshdPid = spawnDetached(hostCommand(partial, ['/usr/sbin/sshd', '-D', '-e', '-f', '/etc/runbook-lab/sshd_config']), path.join(s.dir, `${name}.sshd.log`));
  await writeLabState(s);
  return { host: partial, hostKey };
}

export interface LabUpOptions {
  name: string;
  hosts: number;
  /** Host name prefix (node → node1, node2, ...). */
  prefix?: string;
}

/** Bring a lab up (or grow an existing one to `hosts` hosts). */
export async function labUp(o: LabUpOptions): Promise<LabState> {
  requireRoot();
  if (!/^[a-z0-9]{1,10}$/.test(o.name)) throw new LabError(`lab name '${o.name}' must be 1-10 lowercase letters or digits`);
  if (o.hosts < 1 || o.hosts > 200) throw new LabError('a lab has between 1 and 200 hosts');
  for (const tool of ['/usr/sbin/sshd', '/usr/bin/ssh-keygen']) {
    if (!(await fs.stat(tool).catch(() => null))) throw new LabError(`${tool} is missing: apt-get install openssh-server openssh-client`);
  }
  let s = await readLabState(o.name);
  if (!s) {
    const dir = stateDir(o.name);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const index = await claimLabIndex(o.name);
    s = {
      name: o.name, index, bridge: `rbbr${index}`, dir,
      keyPath: path.join(dir, 'lab_key'), knownHostsPath: path.join(dir, 'known_hosts'), inventoryPath: path.join(dir, 'inventory.yml'),
      hosts: [],
    };
    await writeLabState(s);
    // Upper dirs live on a tmpfs of the lab's own: fast, and gone with the lab.
    await fs.mkdir(path.join(dir, 'fs'), { recursive: true });
    await sh(['mount', '-t', 'tmpfs', '-o', 'size=4g,mode=0700', `runbook-lab-${o.name}`, path.join(dir, 'fs')]);
    await sh(['ip', 'link', 'add', s.bridge, 'type', 'bridge']);
    await sh(['ip', 'addr', 'add', `${LAB_PREFIX}.${index}.1/24`, 'dev', s.bridge]);
    await sh(['ip', 'link', 'set', s.bridge, 'up']);
    await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `runbook-lab-${o.name}`, '-f', s.keyPath]);
  }
  const prefix = o.prefix ?? 'node';
  const all = Array.from({ length: Math.max(o.hosts, s.hosts.length) }, (_, i) => ({ name: `${prefix}${i + 1}`, address: `${LAB_PREFIX}.${s!.index}.${10 + i}` }));
  const pubKey = await fs.readFile(`${s.keyPath}.pub`, 'utf8');
  const started: Array<{ host: LabHostState; hostKey: string }> = [];
  // Hosts are started a few at a time: each step is a handful of short commands.
  for (let i = s.hosts.length; i < all.length; i += 8) {
    const batch = [];
    for (let j = i; j < Math.min(i + 8, all.length); j++) batch.push(startHost(s, j, all, pubKey));
    started.push(...(await Promise.all(batch)));
  }
  // Hosts start concurrently; keep them in name order (node1, node2, ...).
  s.hosts.sort((a, b) => Number(a.address.split('.')[3]) - Number(b.address.split('.')[3]));
  for (const { host } of started) {
    await waitFor(`sshd on ${host.name} (${host.address}:22)`, () => tcpOpen(host.address, 22), 15_000);
  }
  // New hosts get the full /etc/hosts; existing ones are told about the new names.
  if (started.length > 0 && started.length < all.length) {
    const hostsText = `127.0.0.1 localhost\n${all.map((h) => `${h.address} ${h.name}`).join('\n')}\n`;
    for (const h of s.hosts) await labExec(h, ['sh', '-c', 'cat > /etc/hosts'], hostsText);
  }
  const known = new Map((await fs.readFile(s.knownHostsPath, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => [l.split(' ')[0], l]));
  for (const { host, hostKey } of started) known.set(host.address, `${host.address} ${hostKey.split(' ').slice(0, 2).join(' ')}`);
  await fs.writeFile(s.knownHostsPath, `${[...known.values()].join('\n')}\n`, { mode: 0o600 });
  await fs.writeFile(s.inventoryPath, labInventory(s));
  await writeLabState(s);
  return s;
}

export function labInventory(s: LabState): string {
  const lines = [
    `# runbook lab '${s.name}': ${s.hosts.length} host(s) on ${LAB_PREFIX}.${s.index}.0/24 (generated)`,
    'all:',
    '  vars:',
    '    user: root',
    `    key: ${s.keyPath}`,
    `    known_hosts: ${s.knownHostsPath}`,
    '  children:',
    '    lab:',
    '      hosts:',
    ...s.hosts.map((h) => `        ${h.name}: { address: ${h.address} }`),
    '',
  ];
  return lines.join('\n');
}

/** Run a command inside a host; resolves with exit code and output. */
export function labExec(h: LabHostState, argv: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(hostCommand(h, argv)[0], hostCommand(h, argv).slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killPid(pid: number): Promise<void> {
  if (!pid || !alive(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  const until = Date.now() + 2000;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  if (alive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

/** Stop one host's sshd (fault tests) or start it again. */
export async function stopSshd(s: LabState, name: string): Promise<void> {
  const h = s.hosts.find((x) => x.name === name);
  if (!h) throw new LabError(`no host ${name} in lab ${s.name}`);
  await killPid(h.sshdPid);
  h.sshdPid = 0;
  await writeLabState(s);
}

export async function startSshd(s: LabState, name: string): Promise<void> {
  const h = s.hosts.find((x) => x.name === name);
  if (!h) throw new LabError(`no host ${name} in lab ${s.name}`);
  if (h.sshdPid && alive(h.sshdPid)) return;
  h.sshdPid = spawnDetached(hostCommand(h, ['/usr/sbin/sshd', '-D', '-e', '-f', '/etc/runbook-lab/sshd_config']), path.join(s.dir, `${name}.sshd.log`));
  await writeLabState(s);
  await waitFor(`sshd on ${h.name}`, () => tcpOpen(h.address, 22), 15_000);
}

/** Remove everything a lab made: processes in its namespaces (by PID), namespaces, links, mounts, state. */
export async function labDown(name: string): Promise<void> {
  requireRoot();
  const s = await readLabState(name);
  if (!s) return;
  for (const h of s.hosts) {
    // Every process left in the host's network namespace (sshd children, glusterd, ...) belongs to the lab.
    const pids = (await sh(['ip', 'netns', 'pids', h.netns]).catch(() => '')).split('\n').map(Number).filter((p) => p > 0);
    await Promise.all([h.sshdPid, ...pids, h.holderPid].map(killPid));
    await sh(['ip', 'netns', 'del', h.netns]).catch(() => undefined);
    await sh(['ip', 'link', 'del', h.veth]).catch(() => undefined);
  }
  await sh(['ip', 'link', 'del', s.bridge]).catch(() => undefined);
  await sh(['umount', '-l', path.join(s.dir, 'fs')]).catch(() => undefined);
  await fs.rm(s.dir, { recursive: true, force: true });
  await releaseLabIndex(s.index, s.name);
}

/** What is still running or present for a lab, for `runbook lab status` and leak tests. */
export async function labStatus(s: LabState): Promise<Array<{ name: string; address: string; sshd: boolean; netns: boolean }>> {
  const netns = (await sh(['ip', 'netns', 'list']).catch(() => '')).split('\n').map((l) => l.split(' ')[0]);
  return s.hosts.map((h) => ({ name: h.name, address: h.address, sshd: h.sshdPid > 0 && alive(h.sshdPid), netns: netns.includes(h.netns) }));
}
