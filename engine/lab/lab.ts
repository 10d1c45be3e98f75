// The lab: real Linux hosts on this machine. Each host is a network namespace (veth into a lab bridge, an address in
// 10.213.0.0/16) and a root that is an overlay of this machine's own root (each host writes only to its own upper
// dir), booted by systemd-nspawn with real systemd as PID 1 of its own PID namespace; sshd is its ssh.service.
// Everything made is recorded in a state file so `down` removes it by PID and by name, also after a crash.

import { spawn, execFile } from 'node:child_process';
import { promises as fs, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { featureFiles, featureSetup, type FeatureFile } from './features.js';
import { labInventory as inventoryText, parseGroups } from './lab-inventory.js';

export { parseGroups };
import { seedHostRoot, snapshotSysModule } from './host-root.js';

const run = promisify(execFile);

export const LAB_STATE_ROOT = '/run/runbook-lab';
export const LAB_PREFIX = '10.213';

export interface LabHostState {
  name: string;
  address: string;
  netns: string;
  veth: string;
  /** systemd-nspawn, run in a mount namespace of its own that holds the host's overlay root. */
  holderPid: number;
  /** The host's systemd (PID 1 inside it): commands enter its namespaces. */
  initPid: number;
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
  /** Lab features installed on every host (`--with kubernetes,heketi`). */
  features?: string[];
  /** Inventory groups besides `lab` (`--groups gluster=1-2,master=3`): group → host names. */
  groups?: Record<string, string[]>;
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

/** Run argv inside a lab host (all its namespaces, as its own processes see them), not over ssh. */
export function hostCommand(h: LabHostState, argv: string[]): string[] {
  return ['nsenter', '-t', String(h.initPid), '-m', '-u', '-i', '-n', '-p', '--', ...argv];
}

async function addHostNetwork(s: LabState, netns: string, veth: string, address: string): Promise<void> {
  await sh(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  await sh(['ip', 'link', 'set', veth, 'master', s.bridge, 'up']);
  await sh(['ip', '-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
  await sh(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
  await sh(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
}

/** The host's systemd: the child of its systemd-nspawn that runs systemd (nspawn's setup child comes and goes first). */
async function findInit(holderPid: number): Promise<number> {
  const children = await fs.readFile(`/proc/${holderPid}/task/${holderPid}/children`, 'utf8').catch(() => '');
  for (const pid of children.trim().split(/\s+/).map(Number).filter((p) => p > 0)) {
    if ((await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() === 'systemd') return pid;
  }
  return 0;
}

async function writeIntoRoot(upper: string, f: FeatureFile): Promise<void> {
  const p = path.join(upper, f.path);
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, f.content, { mode: f.mode });
  await fs.chmod(p, f.mode);
}

/** Installs lab features into running hosts (files, then systemd re-reads its units) and records them. */
export async function labAddFeatures(s: LabState, names: string[]): Promise<void> {
  const fresh = names.filter((n) => !(s.features ?? []).includes(n));
  if (fresh.length === 0) return;
  const files = await featureFiles(fresh);
  const setup = await featureSetup(fresh);
  await Promise.all(s.hosts.map(async (h) => {
    for (const f of files) {
      const r = await labExec(h, ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1" && chmod "$2" "$1"', 'sh', f.path, f.mode.toString(8)], f.content);
      if (r.code !== 0) throw new LabError(`installing ${f.path} on ${h.name}: ${r.stderr.trim()}`);
    }
    await labExec(h, ['systemctl', 'daemon-reload']);
    await runSetup(h, setup);
  }));
  s.features = [...(s.features ?? []), ...fresh];
  await writeLabState(s);
}

/** A feature's set-up script inside a host; a failure names the host and the script's error. */
// The module tree stand-in binds /sys/module at boot (before sysinit.target, so before sshd). Without it a play's
// modprobe would look loaded to lsmod yet not in /sys/module; bring-up fails here with the unit's own words instead.
// Under load its start can fail on systemd's side (219/CGROUP, seen in CI): it is restarted, a few times, bounded.
async function checkModuleTree(h: LabHostState): Promise<void> {
  const unit = 'runbook-lab-module-tree.service';
  const until = Date.now() + 20_000;
  for (let restarts = 0; ; ) {
    const r = await labExec(h, ['sh', '-c', `findmnt -n /sys/module >/dev/null && systemctl is-active -q ${unit} && exit 0; systemctl is-failed -q ${unit} && exit 3; exit 1`]);
    if (r.code === 0) return;
    if (Date.now() > until || restarts >= 3) break;
    if (r.code === 3) {
      restarts++;
      await labExec(h, ['systemctl', 'restart', unit]);
    } else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const status = await labExec(h, ['sh', '-c', `systemctl status --no-pager -l ${unit} 2>&1 | tail -n 12`]);
  throw new LabError(`${h.name}: the lab's boot step for kernel modules did not run (/sys/module is not the module tree stand-in):\n${status.stdout.trim()}`);
}

async function runSetup(h: LabHostState, scripts: string[]): Promise<void> {
  for (const script of scripts) {
    const r = await labExec(h, ['sh', '-c', script]);
    if (r.code !== 0) throw new LabError(`setting up lab features on ${h.name}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
}

/** Boots a host: overlay root mounted in a mount namespace of its own, then systemd-nspawn --boot in its netns. */
function bootHost(s: LabState, name: string, netns: string, base: string): number {
  const root = path.join(base, 'root');
  const boot = [
    `mount -t overlay overlay -o lowerdir=/,upperdir=${path.join(base, 'upper')},workdir=${path.join(base, 'work')} ${root}`,
    // One directory every host of the lab shares (the stand-ins' cluster state: nodes registered by kubeadm join).
    `exec systemd-nspawn --quiet --console=passive --boot --register=no --keep-unit --link-journal=no --capability=CAP_NET_ADMIN -D ${root} -M ${name} --network-namespace-path=/run/netns/${netns} --bind=${path.join(s.dir, 'fs', '.cluster')}:/var/lib/runbook-lab/cluster`,
  ].join(' && ');
  const fd = openSync(path.join(s.dir, `${name}.boot.log`), 'a');
  // net.* sysctls are per network namespace, so a host may set them; the rest of /proc/sys stays read-only.
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', boot], {
    detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, SYSTEMD_NSPAWN_API_VFS_WRITABLE: 'network' },
  });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new LabError(`cannot boot lab host ${name}`);
  return child.pid;
}

async function startHost(s: LabState, i: number, all: Array<{ name: string; address: string }>, pubKey: string, extra: FeatureFile[]): Promise<{ host: LabHostState; hostKey: string }> {
  const { name, address } = all[i];
  const netns = `rbl${s.index}-${name}`;
  const veth = `rb${s.index}v${i + 1}`;
  const base = path.join(s.dir, 'fs', name);
  const upper = path.join(base, 'upper');
  const root = path.join(base, 'root');
  for (const d of [upper, path.join(base, 'work'), root, path.join(s.dir, 'fs', '.cluster')]) await fs.mkdir(d, { recursive: true });
  const hostKey = await seedHostRoot(upper, { name, address }, all, pubKey, path.join(s.dir, 'fs', '.sys-module'));
  for (const f of extra) await writeIntoRoot(upper, f);

  await sh(['ip', 'netns', 'add', netns]);
  const host: LabHostState = { name, address, netns, veth, holderPid: 0, initPid: 0, root, upper };
  s.hosts.push(host);
  await writeLabState(s);
  await addHostNetwork(s, netns, veth, address);
  host.holderPid = bootHost(s, name, netns, base);
  await writeLabState(s);
  return { host, hostKey };
}

export interface LabUpOptions {
  name: string;
  hosts: number;
  /** Host name prefix (node → node1, node2, ...). */
  prefix?: string;
  /** Lab features to install on every host (stand-ins: kubernetes, heketi; the apt-mirror). */
  features?: string[];
  /** Inventory groups (replace the lab's groups when given). */
  groups?: Record<string, string[]>;
}

async function bootLogTail(s: LabState, name: string): Promise<string> {
  const text = await fs.readFile(path.join(s.dir, `${name}.boot.log`), 'utf8').catch(() => '');
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-4).join(' | ') || '(no boot log)';
}

/** Each systemd host holds several inotify instances; the kernel's default of 128 per user stops a fleet at ~40. */
async function raiseMachineLimits(): Promise<void> {
  const file = '/proc/sys/fs/inotify/max_user_instances';
  const now = Number((await fs.readFile(file, 'utf8').catch(() => '0')).trim());
  if (now > 0 && now < 8192) await fs.writeFile(file, '8192\n');
}

/**
 * Kubernetes hosts need br_netfilter's sysctls (net.bridge.*), which exist only when the machine's kernel has the
 * module: lab hosts share that kernel and cannot load it, so `--with kubernetes` loads it on the machine (best effort).
 */
async function loadBridgeNetfilter(features: string[]): Promise<void> {
  if (!features.includes('kubernetes') || (await fs.stat('/proc/sys/net/bridge').catch(() => null))) return;
  await run('/sbin/modprobe', ['br_netfilter']).catch(() => undefined);
}

/** Bring a lab up (or grow an existing one to `hosts` hosts). */
export async function labUp(o: LabUpOptions): Promise<LabState> {
  requireRoot();
  if (!/^[a-z0-9]{1,10}$/.test(o.name)) throw new LabError(`lab name '${o.name}' must be 1-10 lowercase letters or digits`);
  if (o.hosts < 1 || o.hosts > 200) throw new LabError('a lab has between 1 and 200 hosts');
  for (const [tool, pkg] of [['/usr/sbin/sshd', 'openssh-server'], ['/usr/bin/ssh-keygen', 'openssh-client'], ['/usr/bin/systemd-nspawn', 'systemd-container'], ['/lib/systemd/systemd', 'systemd']]) {
    if (!(await fs.stat(tool).catch(() => null))) throw new LabError(`${tool} is missing: apt-get install ${pkg}`);
  }
  await raiseMachineLimits();
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
    await snapshotSysModule(path.join(dir, 'fs', '.sys-module'));
    await sh(['ip', 'link', 'add', s.bridge, 'type', 'bridge']);
    await sh(['ip', 'addr', 'add', `${LAB_PREFIX}.${index}.1/24`, 'dev', s.bridge]);
    await sh(['ip', 'link', 'set', s.bridge, 'up']);
    await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `runbook-lab-${o.name}`, '-f', s.keyPath]);
  }
  const prefix = o.prefix ?? 'node';
  const all = Array.from({ length: Math.max(o.hosts, s.hosts.length) }, (_, i) => ({ name: `${prefix}${i + 1}`, address: `${LAB_PREFIX}.${s!.index}.${10 + i}` }));
  const pubKey = await fs.readFile(`${s.keyPath}.pub`, 'utf8');
  // Hosts already up get new features installed live; new hosts get every feature of the lab before they boot.
  await labAddFeatures(s, o.features ?? []);
  await loadBridgeNetfilter(s.features ?? []);
  const extra = await featureFiles(s.features ?? []);
  const setup = await featureSetup(s.features ?? []);
  if (o.groups) {
    const names = new Set(Array.from({ length: Math.max(o.hosts, s.hosts.length) }, (_, i) => `${o.prefix ?? 'node'}${i + 1}`));
    for (const [g, members] of Object.entries(o.groups)) {
      const unknown = members.find((m) => !names.has(m));
      if (unknown) throw new LabError(`--groups: group '${g}' names ${unknown}, which is not a host of lab '${s.name}'`);
    }
    s.groups = o.groups;
  }
  const started: Array<{ host: LabHostState; hostKey: string }> = [];
  // Hosts are started a few at a time: each step is a handful of short commands.
  for (let i = s.hosts.length; i < all.length; i += 8) {
    const batch = [];
    for (let j = i; j < Math.min(i + 8, all.length); j++) batch.push(startHost(s, j, all, pubKey, extra));
    started.push(...(await Promise.all(batch)));
  }
  // Hosts start concurrently; keep them in name order (node1, node2, ...).
  s.hosts.sort((a, b) => Number(a.address.split('.')[3]) - Number(b.address.split('.')[3]));
  // Bring-up is done when every new host's sshd (its ssh.service) answers.
  const bootBudget = 30_000 + 500 * started.length;
  await Promise.all(started.map(({ host }) => waitFor(`systemd of ${host.name} to start; see ${s!.dir}/${host.name}.boot.log`, async () => {
    host.initPid = await findInit(host.holderPid);
    if (host.initPid === 0 && !alive(host.holderPid)) throw new LabError(`${host.name} did not boot: ${await bootLogTail(s!, host.name)}`);
    return host.initPid > 0;
  }, bootBudget)));
  await writeLabState(s);
  await Promise.all(started.map(({ host }) => waitFor(`sshd on ${host.name} (${host.address}:22) after boot; see ${s!.dir}/${host.name}.boot.log`, () => tcpOpen(host.address, 22), bootBudget)));
  await Promise.all(started.map(({ host }) => checkModuleTree(host)));
  await Promise.all(started.map(({ host }) => runSetup(host, setup)));
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
  return inventoryText(s, LAB_PREFIX);
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

function findHost(s: LabState, name: string): LabHostState {
  const h = s.hosts.find((x) => x.name === name);
  if (!h) throw new LabError(`no host ${name} in lab ${s.name}`);
  return h;
}

/** Stop one host's sshd (fault tests: the host is up, ssh is not) or start it again, through its ssh.service. */
export async function stopSshd(s: LabState, name: string): Promise<void> {
  const r = await labExec(findHost(s, name), ['systemctl', 'stop', 'ssh.service']);
  if (r.code !== 0) throw new LabError(`stopping ssh.service on ${name}: ${r.stderr.trim()}`);
}

export async function startSshd(s: LabState, name: string): Promise<void> {
  const h = findHost(s, name);
  const r = await labExec(h, ['systemctl', 'start', 'ssh.service']);
  if (r.code !== 0) throw new LabError(`starting ssh.service on ${name}: ${r.stderr.trim()}`);
  await waitFor(`sshd on ${h.name}`, () => tcpOpen(h.address, 22), 15_000);
}

/** SIGKILL a recorded PID only while it is still the process we started (PIDs get reused). */
async function killIfOurs(pid: number, comms: string[]): Promise<void> {
  if (!pid) return;
  const comm = (await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
  if (comms.includes(comm)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

/** PIDs of processes whose network namespace is one of the given ones (by inode), from one scan of /proc. */
async function pidsInNetns(netnsNames: string[]): Promise<number[]> {
  const inodes = new Set<string>();
  for (const n of netnsNames) {
    const st = await fs.stat(`/run/netns/${n}`).catch(() => undefined);
    if (st) inodes.add(`net:[${st.ino}]`);
  }
  if (inodes.size === 0) return [];
  const out: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const link = await fs.readlink(`/proc/${entry}/ns/net`).catch(() => '');
    if (inodes.has(link)) out.push(Number(entry));
  }
  return out;
}

async function waitGone(pids: number[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Remove hosts: each host's systemd gets SIGKILL (its whole PID namespace goes with it) and so does its nspawn, then
 * anything else left in the hosts' network namespaces, then namespaces and links in one `ip -batch`. Signals and one
 * scan of /proc: the cost does not grow with a process per host.
 */
async function removeHosts(hosts: LabHostState[]): Promise<void> {
  for (const h of hosts) {
    await killIfOurs(h.initPid, ['systemd']);
    await killIfOurs(h.holderPid, ['systemd-nspawn', 'unshare', 'sh']);
  }
  await waitGone(hosts.flatMap((h) => [h.initPid, h.holderPid]).filter((p) => p > 0), 10_000);
  const left = await pidsInNetns(hosts.map((h) => h.netns));
  for (const pid of left) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  await waitGone(left, 5_000);
  const batch = hosts.map((h) => `netns del ${h.netns}`).join('\n');
  await sh(['ip', '-force', '-batch', '-'], `${batch}\n`).catch(() => undefined);
  // A veth goes with its peer's namespace; one still there (a half-made host) is deleted by name.
  const links = await sh(['ip', '-o', 'link', 'show']).catch(() => '');
  const stale = hosts.filter((h) => links.includes(` ${h.veth}@`) || links.includes(` ${h.veth}:`));
  if (stale.length > 0) await sh(['ip', '-force', '-batch', '-'], `${stale.map((h) => `link del ${h.veth}`).join('\n')}\n`).catch(() => undefined);
}

/** Remove everything a lab made: processes in its namespaces (by PID), namespaces, links, mounts, state. */
export async function labDown(name: string): Promise<void> {
  requireRoot();
  const s = await readLabState(name);
  if (!s) return;
  await removeHosts(s.hosts);
  await sh(['ip', 'link', 'del', s.bridge]).catch(() => undefined);
  await sh(['umount', '-l', path.join(s.dir, 'fs')]).catch(() => undefined);
  await fs.rm(s.dir, { recursive: true, force: true });
  await releaseLabIndex(s.index, s.name);
}

/** What is still running or present for a lab, for `runbook lab status` and leak tests. */
export async function labStatus(s: LabState): Promise<Array<{ name: string; address: string; systemd: boolean; sshd: boolean; netns: boolean }>> {
  const netns = (await sh(['ip', 'netns', 'list']).catch(() => '')).split('\n').map((l) => l.split(' ')[0]);
  return Promise.all(s.hosts.map(async (h) => ({
    name: h.name, address: h.address, systemd: h.initPid > 0 && alive(h.initPid), sshd: await tcpOpen(h.address, 22), netns: netns.includes(h.netns),
  })));
}
