// A persistent remote shell per ssh connection: commands are written to one long-lived `sh` and their results read
// back in frames, so a command costs one round trip instead of a new SSH session (OpenSSH's sshd adds ~80 ms to
// every session it sets up and tears down, measured on the lab; see docs/performance.md).
//
// Frame, per command: the shell runs `( CMD ) <stdin >o 2>e`, then prints "MARK rc out_bytes err_bytes\n" followed
// by the two files' bytes. Output never mixes with the protocol because commands write to files.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { ClientChannel } from 'ssh2';
import type { ExecResult } from '../types.js';
import { REMOTE_ASKPASS_SETUP } from './askpass.js';

const SIGNALS = Object.fromEntries(Object.entries(constants.signals).map(([name, n]) => [n, name.replace(/^SIG/, '')]));

interface Pending {
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
  binaryStdout?: boolean;
}

export class RemoteShell {
  private readonly mark = `__runbook_${randomBytes(8).toString('hex')}__`;
  private buf: Buffer = Buffer.alloc(0);
  // Data not yet joined to buf: a large frame arrives in many packets, joined once when all of it is there (joining
  // on every packet copied the whole frame each time).
  private arrived: Buffer[] = [];
  private arrivedBytes = 0;
  private frameBytesMissing = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private current?: Pending;
  dead = false;

  private constructor(private readonly stream: ClientChannel, private readonly onLost: () => Error) {
    stream.on('data', (d: Buffer) => {
      this.arrived.push(d);
      this.arrivedBytes += d.length;
      if (this.arrivedBytes < this.frameBytesMissing) return;
      this.buf = this.buf.length || this.arrived.length > 1 ? Buffer.concat([this.buf, ...this.arrived]) : d;
      this.arrived = [];
      this.arrivedBytes = 0;
      this.frameBytesMissing = 0;
      this.parse();
    });
    stream.stderr.on('data', () => {});
    stream.on('close', () => {
      this.dead = true;
      this.current?.reject(this.onLost());
      this.current = undefined;
    });
  }

  /** Start `sh` on the connection with a private temp dir for the frames' files. */
  static start(open: (cmd: string, cb: (err: Error | undefined, stream: ClientChannel) => void) => void, onLost: () => Error): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      open('exec sh', (err, stream) => {
        if (err) return reject(err);
        const shell = new RemoteShell(stream, onLost);
        // The frame files are private (umask 077); each command gets the login umask back, as a local command would.
        stream.write(`U=$(umask); T=$(mktemp -d /tmp/.runbook-XXXXXXXX) || exit 1; trap 'rm -rf "$T"' EXIT; umask 077; ${REMOTE_ASKPASS_SETUP}\n`);
        resolve(shell);
      });
    });
  }

  /** Run one shell command line; commands are serialised on this shell. */
  run(line: string, stdin: Buffer | undefined, timeoutMs: number, askpass?: string, binaryStdout?: boolean): Promise<ExecResult> {
    const job = this.queue.then(() => this.runNow(line, stdin, timeoutMs, askpass, binaryStdout));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private runNow(line: string, stdin: Buffer | undefined, timeoutMs: number, askpass?: string, binaryStdout?: boolean): Promise<ExecResult> {
    if (this.dead) return Promise.reject(this.onLost());
    return new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The shell is stuck behind the command: kill it and let the connection open a fresh one.
        this.current = undefined;
        this.kill();
        resolve({ code: null, signal: 'TIMEOUT', stdout: '', stderr: `command timed out after ${timeoutMs / 1000} s` });
      }, timeoutMs);
      this.current = {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
        binaryStdout,
      };
      const input = stdin && stdin.length > 0
        ? `printf '%s' '${stdin.toString('base64')}' | base64 -d > "$T/i"`
        : ': > "$T/i"';
      // The sudo password (if any) sits in "$T/password" (0600, in the login user's 0700 dir) for this command only.
      const password = askpass !== undefined ? `printf '%s' '${Buffer.from(`${askpass}\n`).toString('base64')}' | base64 -d > "$T/password"` : ': > "$T/password"';
      this.stream.write(`${input}; ${password}\n( umask "$U"; ${line}\n) < "$T/i" > "$T/o" 2> "$T/e"; rc=$?; rm -f "$T/password"; printf '%s %s %s %s\\n' '${this.mark}' "$rc" "$(wc -c < "$T/o")" "$(wc -c < "$T/e")"; cat "$T/o" "$T/e"\n`);
    });
  }

  private parse(): void {
    while (this.current) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) return;
      const header = this.buf.subarray(0, nl).toString('utf8').trim().split(' ');
      if (header[0] !== this.mark) {
        this.buf = this.buf.subarray(nl + 1); // noise before our frame (none expected)
        continue;
      }
      const [rc, olen, elen] = header.slice(1).map(Number);
      if (this.buf.length < nl + 1 + olen + elen) {
        this.frameBytesMissing = nl + 1 + olen + elen - this.buf.length;
        return;
      }
      const body = this.buf.subarray(nl + 1, nl + 1 + olen);
      const stderr = this.buf.subarray(nl + 1 + olen, nl + 1 + olen + elen).toString('utf8');
      this.buf = this.buf.subarray(nl + 1 + olen + elen);
      const done = this.current;
      this.current = undefined;
      // A shell reports death by signal n as 128+n.
      const signal = rc > 128 && rc < 160 && SIGNALS[rc - 128] ? SIGNALS[rc - 128] : null;
      // Bytes are copied out, so a slice does not keep the whole received buffer alive.
      const stdout = done.binaryStdout ? { stdout: '', stdoutBytes: Buffer.from(body) } : { stdout: body.toString('utf8') };
      done.resolve({ code: signal ? null : rc, signal, ...stdout, stderr });
    }
  }

  close(): void {
    this.dead = true;
    this.stream.end('exit\n');
  }

  /** Kill the shell (and with it the command it waits for, where sshd delivers the signal). */
  kill(): void {
    this.dead = true;
    try {
      this.stream.signal('KILL');
    } catch { /* older servers */ }
    this.stream.close();
  }
}
