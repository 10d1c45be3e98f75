// The local connection: runs commands with child_process (no shell) and touches files with fs.

import { spawn } from 'node:child_process';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { ConnectionError, ModuleError } from '../errors.js';
import type { Connection, ExecOptions, ExecResult, FileStat, WriteFileOptions } from '../types.js';
import { withLocalAskpass } from './askpass.js';
import { lookupGroupId, lookupUserId, lookupGroupName, lookupUserName } from './local-users.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60 * 1000;

export class LocalConnection implements Connection {
  readonly kind = 'local' as const;
  constructor(private readonly commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS) {}

  async connect(): Promise<void> {}

  exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) return Promise.reject(new ConnectionError('empty command'));
    if (opts.askpass !== undefined) {
      const { askpass, ...rest } = opts;
      return withLocalAskpass(askpass, (env) => this.spawnCommand(argv, rest, env));
    }
    return this.spawnCommand(argv, opts, {});
  }

  private spawnCommand(argv: string[], opts: ExecOptions, extraEnv: Record<string, string>): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env, ...extraEnv },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs ?? this.commandTimeoutMs);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // A missing program is a command result (exit 127, like a shell), not a transport failure.
        if (e.code === 'ENOENT') resolve({ code: 127, signal: null, stdout: '', stderr: `${argv[0]}: command not found` });
        else reject(new ConnectionError(`cannot run ${argv[0]}: ${e.message}`, { cause: e }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stderr = Buffer.concat(err).toString('utf8');
        const bytes = Buffer.concat(out);
        resolve({
          code: timedOut ? null : code,
          signal: timedOut ? 'TIMEOUT' : signal,
          stdout: opts.binaryStdout ? '' : bytes.toString('utf8'),
          stderr: timedOut ? `${stderr}command timed out after ${opts.timeoutMs ?? this.commandTimeoutMs} ms` : stderr,
          ...(opts.binaryStdout ? { stdoutBytes: bytes } : {}),
        });
      });
      child.stdin.on('error', () => {}); // the command may exit without reading its stdin
      child.stdin.end(opts.stdin ?? '');
    });
  }

  async readFile(file: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async writeFile(file: string, data: string | Buffer, opts: WriteFileOptions = {}): Promise<void> {
    const existing = await this.stat(file);
    const mode = opts.mode ?? (existing?.type === 'file' ? existing.mode : 0o644);
    const uid = opts.owner !== undefined ? await lookupUserId(opts.owner) : existing?.uid;
    const gid = opts.group !== undefined ? await lookupGroupId(opts.group) : existing?.gid;
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.runbook-${process.pid}-${Date.now()}.tmp`);
    // Created 0600 so the content is never readable by others before the final mode is set.
    const handle = await fs.open(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600).catch((e: NodeJS.ErrnoException) => {
      throw new ModuleError(`cannot write ${file}: ${e.code === 'ENOENT' ? `directory ${path.dirname(file)} does not exist` : e.message}`);
    });
    try {
      await handle.writeFile(data);
      if (uid !== undefined || gid !== undefined) await handle.chown(uid ?? -1, gid ?? -1);
      await handle.chmod(mode);
      await handle.sync();
      await handle.close();
      await fs.rename(tmp, file);
    } catch (e) {
      await handle.close().catch(() => {});
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  async stat(file: string): Promise<FileStat | null> {
    try {
      const st = await fs.lstat(file);
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'link' : 'other';
      return {
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        size: st.size,
        owner: await lookupUserName(st.uid),
        group: await lookupGroupName(st.gid),
        target: type === 'link' ? await fs.readlink(file) : undefined,
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw e;
    }
  }

  async close(): Promise<void> {}
}
