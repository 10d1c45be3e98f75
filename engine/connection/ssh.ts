// The ssh connection (ssh2): one connection per host per run, exec channels in parallel, SFTP for files
// (atomic writes), host keys verified against known_hosts by default.

import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig, SFTPWrapper, Stats } from 'ssh2';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectionError, ModuleError } from '../errors.js';
import { quoteArg, quoteCommand } from '../template/shell-quote.js';
import type { Connection, ExecOptions, ExecResult, FileStat, WriteFileOptions } from '../types.js';
import type { ConnectionSettings } from './settings.js';
import { parseJumpHost } from './jump-host.js';
import { addHostKey, checkHostKey, fingerprint, knownHostsName, preferredHostKeyAlgorithms } from './known-hosts.js';
import { RemoteShell } from './remote-shell.js';

const { Client } = ssh2;

export interface SshOptions {
  /** Inventory name, for messages. */
  name: string;
  address: string;
  port: number;
  user: string;
  keyFile?: string;
  passphrase?: string;
  password?: string;
  agent?: string;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  /** The ssh config says StrictHostKeyChecking yes (for the message when a new key is refused). */
  strictByConfig?: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** ProxyJump: reach this host through an SSH connection to the jump host (its key verified the same way). */
  jump?: SshOptions;
}

/** Build ssh options from a host's inventory vars. */
export function sshOptionsFromVars(name: string, vars: Record<string, unknown>, s: ConnectionSettings): SshOptions {
  const home = os.homedir();
  const knownHosts = [vars.known_hosts ? String(vars.known_hosts) : undefined, path.join(home, '.ssh', 'known_hosts')].filter(Boolean) as string[];
  return {
    name,
    address: String(vars.address ?? name),
    port: Number(vars.port ?? 22),
    user: String(vars.user ?? 'root'),
    keyFile: vars.key ? String(vars.key).replace(/^~(?=\/)/, home) : undefined,
    passphrase: process.env.RUNBOOK_SSH_PASSPHRASE || undefined,
    password: vars.password !== undefined ? String(vars.password) : undefined,
    agent: process.env.SSH_AUTH_SOCK,
    knownHostsFiles: knownHosts,
    // StrictHostKeyChecking yes (ssh config): a key seen for the first time is refused even with the flag.
    acceptNewHostKeys: s.acceptNewHostKeys && vars.strict_host_key_checking !== true,
    strictByConfig: vars.strict_host_key_checking === true,
    connectTimeoutMs: Number(vars.connect_timeout ?? 0) * 1000 || s.connectTimeoutMs,
    commandTimeoutMs: s.commandTimeoutMs,
    jump: vars.jump_host ? jumpOptions(name, String(vars.jump_host), vars, s) : undefined,
  };
}

/** `jump_host: [user@]address[:port]` (ssh's ProxyJump form); its key is `jump_key`, else the host's own key. */
function jumpOptions(name: string, spec: string, vars: Record<string, unknown>, s: ConnectionSettings): SshOptions {
  const jump = parseJumpHost(spec);
  if (!jump) throw new ConnectionError(`${name}: jump_host '${spec}' is not [user@]address[:port]`, { host: name });
  const own = sshOptionsFromVars(name, { ...vars, jump_host: undefined }, s);
  return {
    ...own,
    name: `${name} (jump host ${jump.address})`,
    address: jump.address,
    port: jump.port,
    user: jump.user ?? String(vars.jump_user ?? own.user),
    keyFile: vars.jump_key ? String(vars.jump_key).replace(/^~(?=\/)/, os.homedir()) : own.keyFile,
    jump: undefined,
  };
}

export async function openSshConnection(name: string, vars: Record<string, unknown>, settings: ConnectionSettings): Promise<Connection> {
  const conn = new SshConnection(sshOptionsFromVars(name, vars, settings));
  await conn.connect();
  return conn;
}

/** Refuse private keys others can read, like ssh does. */
export async function readPrivateKey(file: string): Promise<Buffer> {
  const st = await fs.stat(file).catch(() => null);
  if (!st) throw new ConnectionError(`private key ${file} not found`);
  if (st.mode & 0o077) {
    throw new ConnectionError(`private key ${file} is readable by others (mode 0${(st.mode & 0o777).toString(8)}); refusing to use it: chmod 600 ${file}`);
  }
  return fs.readFile(file);
}

const SFTP_NO_SUCH_FILE = 2;
/** SSH_FX_FAILURE: what sftp-server answers for ENOSPC among others. */
const SFTP_FAILURE = 4;

/** ~/.ssh/id_ed25519 or id_rsa, as ssh would try them, when no key, password or agent is given. */
async function defaultPrivateKey(): Promise<Buffer | string | undefined> {
  for (const name of ['id_ed25519', 'id_rsa']) {
    const file = path.join(os.homedir(), '.ssh', name);
    if (await fs.stat(file).then(() => true, () => false)) return readPrivateKey(file);
  }
  return undefined;
}

export class SshConnection implements Connection {
  readonly kind = 'ssh' as const;
  private client = new ssh2.Client();
  private sftpPromise?: Promise<SFTPWrapper>;
  private closed = false;
  private lostReason?: string;
  private ids?: Promise<{ users: Map<number, string>; groups: Map<number, string> }>;
  private shell?: Promise<RemoteShell>;
  private shellObj?: RemoteShell;

  private jumpConn?: SshConnection;
  hostKey?: string;
  /**
   * Rejects once the connection is gone. Every wait on the server (handshake, channel and SFTP opens, SFTP calls) races
   * it: ssh2 does not settle all of them when the socket closes, and a promise that never settles would let Node end
   * the run early (exit 13) without a recap.
   */
  private readonly gone: Promise<never>;
  private markGone!: (e: Error) => void;

  constructor(private readonly o: SshOptions) {
    this.gone = new Promise<never>((_, reject) => { this.markGone = reject; });
    this.gone.catch(() => {});
    this.client.on('error', (err) => { this.lostReason ??= err.message; });
    this.client.on('close', () => {
      if (!this.closed) this.lostReason ??= 'connection closed by the remote host';
      this.closed = true;
      this.markGone(this.lost());
      void this.jumpConn?.close();
    });
  }

  /** p, or the connection's loss if that comes first. */
  private unlessGone<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.gone]);
  }

  /** A TCP stream to host:port opened by this connection's server (direct-tcpip), for ProxyJump. */
  forward(host: string, port: number): Promise<NonNullable<ConnectConfig['sock']>> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
  }

  private where(): string {
    return `${this.o.user}@${this.o.address}:${this.o.port}`;
  }

  async connect(): Promise<void> {
    const o = this.o;
    const hostKey: { problem?: string } = {};
    const config: ConnectConfig = {
      host: o.address,
      port: o.port,
      username: o.user,
      readyTimeout: o.connectTimeoutMs,
      keepaliveInterval: 5000,
      keepaliveCountMax: 3,
      agent: o.keyFile || o.password ? undefined : o.agent,
      password: o.password,
      passphrase: o.passphrase,
      hostVerifier: this.hostVerifier(hostKey) as unknown as ConnectConfig['hostVerifier'],
    };
    if (o.keyFile) config.privateKey = await readPrivateKey(o.keyFile);
    const serverHostKey = await preferredHostKeyAlgorithms(o.knownHostsFiles, o.address, o.port);
    if (serverHostKey) config.algorithms = { serverHostKey: serverHostKey as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] };
    if (o.jump) {
      // The target's own key is still verified against known_hosts under its own address: the jump host only
      // carries the bytes.
      this.jumpConn = new SshConnection(o.jump);
      await this.jumpConn.connect();
      config.sock = await this.jumpConn.forward(o.address, o.port).catch(async (e: Error) => {
        await this.jumpConn?.close();
        throw new ConnectionError(`${o.name}: the jump host ${o.jump!.address} cannot reach ${o.address}:${o.port}: ${e.message}`, { host: o.name, cause: e });
      });
    }
    if (!o.keyFile && !o.password && !o.agent) config.privateKey = await defaultPrivateKey();
    await this.handshake(config, hostKey);
    // Many small request/response exchanges: Nagle + delayed ACK would add ~40 ms to each.
    this.client.setNoDelay(true);
  }

  /** Verifies the server's key against known_hosts; a refusal leaves its reason in `hostKey.problem`. */
  private hostVerifier(hostKey: { problem?: string }) {
    const o = this.o;
    return (key: Buffer, verify: (ok: boolean) => void) => {
      checkHostKey(o.knownHostsFiles, o.address, o.port, key).then(async (verdict) => {
        if (verdict === 'known') {
          this.hostKey = fingerprint(key);
          return verify(true);
        }
        if (verdict === 'changed') {
          hostKey.problem = `HOST KEY CHANGED for ${knownHostsName(o.address, o.port)} (host ${o.name}): the server offered ${fingerprint(key)}, which is not the key in ${o.knownHostsFiles.join(' or ')}. This may be an attack (or a reinstalled host). runbook never accepts a changed key: verify it, then remove the old line (ssh-keygen -R '${knownHostsName(o.address, o.port)}')`;
          return verify(false);
        }
        if (o.acceptNewHostKeys) {
          await addHostKey(o.knownHostsFiles[0], o.address, o.port, key);
          this.hostKey = fingerprint(key);
          return verify(true);
        }
        const how = o.strictByConfig ? 'add it (your ssh config sets StrictHostKeyChecking yes, so --accept-new-host-keys does not apply)' : 'run with --accept-new-host-keys (or add it';
        hostKey.problem = `unknown host key for ${knownHostsName(o.address, o.port)} (host ${o.name}): ${fingerprint(key)}. Verify it, then ${how}: ssh-keyscan -p ${o.port} ${o.address} >> ${o.knownHostsFiles[0]}${o.strictByConfig ? '' : ')'}`;
        verify(false);
      }, () => verify(false));
    };
  }

  /** Connect and authenticate; every failure becomes a ConnectionError that says what to do. */
  private handshake(config: ConnectConfig, hostKey: { problem?: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onError = (err: Error & { level?: string; code?: string }) => {
        cleanup();
        void this.jumpConn?.close();
        reject(new ConnectionError(`${this.o.name}: ${hostKey.problem ?? this.explainConnectError(err)}`, { host: this.o.name, cause: err }));
      };
      const onReady = () => {
        cleanup();
        resolve();
      };
      // A session killed during key exchange or authentication closes without an 'error'.
      const onClose = () => onError(Object.assign(new Error(`connection closed by ${this.o.address}:${this.o.port} before authentication completed`), { level: 'protocol' }));
      const cleanup = () => {
        this.client.off('error', onError);
        this.client.off('ready', onReady);
        this.client.off('close', onClose);
      };
      this.client.on('error', onError);
      this.client.on('ready', onReady);
      this.client.on('close', onClose);
      try {
        this.client.connect(config);
      } catch (e) {
        onError(e as Error);
      }
    });
  }

  private explainConnectError(err: Error & { level?: string; code?: string }): string {
    const o = this.o;
    if (err.level === 'client-authentication') return `authentication failed for ${this.where()} (${o.keyFile ? `key ${o.keyFile}` : o.password ? 'password' : 'agent/default keys'})`;
    if (err.code === 'ECONNREFUSED') return `connection refused by ${o.address}:${o.port}`;
    if (/Timed out/i.test(err.message)) return `timed out after ${o.connectTimeoutMs / 1000} s connecting to ${o.address}:${o.port}`;
    if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return `no route to ${o.address}:${o.port}`;
    if (/Cannot parse privateKey: (Failed to generate information to decrypt|Encrypted|.*passphrase)/i.test(err.message)) {
      return o.passphrase
        ? `cannot decrypt private key ${o.keyFile}: wrong passphrase in RUNBOOK_SSH_PASSPHRASE`
        : `cannot decrypt private key ${o.keyFile}: set RUNBOOK_SSH_PASSPHRASE`;
    }
    return err.message;
  }

  private lost(extra = ''): ConnectionError {
    return new ConnectionError(`${this.o.name}: connection lost (${this.lostReason ?? 'closed'})${extra}`, { host: this.o.name });
  }

  exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(this.lost());
    const line = quoteCommand(argv, { cwd: opts.cwd, env: opts.env });
    const timeoutMs = opts.timeoutMs ?? this.o.commandTimeoutMs;
    const stdin = opts.stdin === undefined ? undefined : Buffer.isBuffer(opts.stdin) ? opts.stdin : Buffer.from(opts.stdin);
    return this.remoteShell().then((sh) => this.unlessGone(sh.run(line, stdin, timeoutMs, opts.askpass, opts.binaryStdout)));
  }

  /** The connection's persistent shell, started on first use and again after a timeout killed it. */
  private remoteShell(): Promise<RemoteShell> {
    if (!this.shell || this.shellObj?.dead) {
      this.shellObj = undefined;
      this.shell = this.unlessGone(RemoteShell.start((cmd, cb) => this.client.exec(cmd, cb), () => this.lost())).then((sh) => {
        this.shellObj = sh;
        return sh;
      }, (err: Error) => {
        this.shell = undefined;
        throw this.closed ? this.lost() : new ConnectionError(`${this.o.name}: cannot start a remote shell: ${err.message}`, { host: this.o.name, cause: err });
      });
    }
    return this.shell;
  }

  private sftp(): Promise<SFTPWrapper> {
    if (this.closed) return Promise.reject(this.lost());
    this.sftpPromise ??= this.unlessGone(new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => (err ? reject(new ConnectionError(`${this.o.name}: SFTP unavailable: ${err.message}`, { host: this.o.name, cause: err })) : resolve(sftp)));
    }));
    return this.sftpPromise;
  }

  private sftpCall<T>(fn: (sftp: SFTPWrapper, cb: (err: (Error & { code?: number }) | null | undefined, v?: T) => void) => void): Promise<T> {
    return this.sftp().then((sftp) => this.unlessGone(new Promise<T>((resolve, reject) => {
      fn(sftp, (err, v) => {
        if (err) {
          if (this.closed) return reject(this.lost());
          return reject(err);
        }
        resolve(v as T);
      });
    })));
  }

  async readFile(file: string): Promise<Buffer | null> {
    try {
      return await this.sftpCall<Buffer>((s, cb) => s.readFile(file, (e: Error | null | undefined, b?: Buffer) => cb(e, b)));
    } catch (e) {
      if ((e as { code?: number }).code === SFTP_NO_SUCH_FILE) return null;
      throw e instanceof ConnectionError ? e : new ModuleError(`cannot read ${file} on ${this.o.name}: ${(e as Error).message}`);
    }
  }

  /** uid/gid ↔ names on the remote, read once per connection. */
  private idMaps(): Promise<{ users: Map<number, string>; groups: Map<number, string> }> {
    this.ids ??= this.exec(['sh', '-c', 'getent passwd; echo @@; getent group']).then((r) => {
      const [pw, gr] = r.stdout.split('@@\n');
      const parse = (t: string) => new Map((t ?? '').split('\n').filter(Boolean).map((l) => l.split(':')).map((f) => [Number(f[2]), f[0]] as [number, string]));
      return { users: parse(pw), groups: parse(gr) };
    });
    return this.ids;
  }

  private async idOf(kind: 'users' | 'groups', name: string): Promise<number> {
    if (/^\d+$/.test(name)) return Number(name);
    const maps = await this.idMaps();
    for (const [id, n] of maps[kind]) if (n === name) return id;
    throw new ModuleError(`unknown ${kind === 'users' ? 'user' : 'group'} '${name}' on ${this.o.name}`);
  }

  async writeFile(file: string, data: string | Buffer, opts: WriteFileOptions = {}): Promise<void> {
    const existing = await this.stat(file);
    const mode = opts.mode ?? (existing?.type === 'file' ? existing.mode : 0o644);
    const uid = opts.owner !== undefined ? await this.idOf('users', opts.owner) : existing?.uid;
    const gid = opts.group !== undefined ? await this.idOf('groups', opts.group) : existing?.gid;
    const tmp = path.posix.join(path.posix.dirname(file), `.${path.posix.basename(file)}.runbook-${process.pid}-${Date.now()}.tmp`);
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
    try {
      // Created 0600: never readable by others before the final mode is set.
      const handle = await this.sftpCall<Buffer>((s, cb) => s.open(tmp, 'wx', { mode: 0o600 }, (e: Error | null | undefined, h?: Buffer) => cb(e, h)));
      let offset = 0;
      while (offset < buf.length) {
        const n = Math.min(32 * 1024, buf.length - offset);
        await this.sftpCall<void>((s, cb) => s.write(handle, buf, offset, n, offset, (e: Error | null | undefined) => cb(e)));
        offset += n;
      }
      if (uid !== undefined || gid !== undefined) {
        await this.sftpCall<void>((s, cb) => s.fchown(handle, uid ?? existing?.uid ?? 0, gid ?? existing?.gid ?? 0, (e: Error | null | undefined) => cb(e)));
      }
      await this.sftpCall<void>((s, cb) => s.fchmod(handle, mode, (e: Error | null | undefined) => cb(e)));
      await this.sftpCall<void>((s, cb) => {
        const sync = (s as unknown as { ext_openssh_fsync?: (h: Buffer, cb: (e?: Error) => void) => void }).ext_openssh_fsync;
        if (sync) sync.call(s, handle, (e?: Error) => cb(e));
        else cb(null);
      });
      await this.sftpCall<void>((s, cb) => s.close(handle, (e: Error | null | undefined) => cb(e)));
      await this.sftpCall<void>((s, cb) => s.ext_openssh_rename(tmp, file, (e: Error | null | undefined) => cb(e)));
    } catch (e) {
      await this.exec(['rm', '-f', '--', tmp]).catch(() => {});
      if (e instanceof ConnectionError) throw e;
      // The connection is fine: the file cannot be written (no such directory, permission denied). A task failure,
      // not an unreachable host.
      const code = (e as { code?: number }).code;
      const why = code === SFTP_NO_SUCH_FILE ? `directory ${path.posix.dirname(file)} does not exist`
        : code === SFTP_FAILURE ? await this.explainFailure(file, buf.length, (e as Error).message) : (e as Error).message;
      throw new ModuleError(`cannot write ${file} on ${this.o.name}: ${why}`);
    }
  }

  /** sftp-server reports ENOSPC (and EDQUOT, EROFS) as a bare "Failure": look at the target to say which. */
  private async explainFailure(file: string, size: number, message: string): Promise<string> {
    const df = await this.exec(['df', '-Pk', '--', path.posix.dirname(file)]).catch(() => undefined);
    const cols = df?.stdout.trim().split('\n').pop()?.split(/\s+/) ?? [];
    const availKb = Number(cols[3]);
    if (cols.length >= 6 && Number.isFinite(availKb) && availKb * 1024 < size + 4096) {
      return `no space left on device (${availKb} KB free on ${cols[5]}, ${Math.ceil(size / 1024)} KB to write); the old file is untouched`;
    }
    return message;
  }

  async stat(file: string): Promise<FileStat | null> {
    let st: Stats;
    try {
      st = await this.sftpCall<Stats>((s, cb) => s.lstat(file, (e: Error | null | undefined, v?: Stats) => cb(e, v)));
    } catch (e) {
      if ((e as { code?: number }).code === SFTP_NO_SUCH_FILE) return null;
      throw e;
    }
    const type = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'link' : 'other';
    const maps = await this.idMaps();
    return {
      type,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: st.size,
      owner: maps.users.get(st.uid),
      group: maps.groups.get(st.gid),
      target: type === 'link' ? await this.sftpCall<string>((s, cb) => s.readlink(file, (e: Error | null | undefined, t?: string) => cb(e, t))) : undefined,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.shellObj?.close();
    this.closed = true;
    this.client.end();
    await this.jumpConn?.close();
  }
}

/** For messages and tests: the exact command line a remote shell receives for argv. */
export const remoteCommandLine = (argv: string[]) => argv.map(quoteArg).join(' ');
