// Large files between the controller and a host in bounded chunks over the host's command runner (so become and
// every transport work unchanged): memory stays at one chunk whatever the file size (#13 item 9).

import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { ModuleError } from '../errors.js';
import { atomicWriteArgv } from './atomic-write.js';
import type { ExecResult, RunOptions, WriteFileOptions } from '../types.js';

type Run = (argv: string[], opts?: RunOptions) => Promise<ExecResult>;

/** Bytes per round trip (uploads go as base64 on the wire: one chunk is ~5.4 MB of text at a time). */
export const CHUNK_BYTES = 4 * 1024 * 1024;
const CHUNK_MIB = CHUNK_BYTES / 1024 / 1024;

/** The command's result; a non-zero exit is a ModuleError saying `what` failed. */
async function mustRun(run: Run, argv: string[], what: string, opts?: RunOptions): Promise<ExecResult> {
  const res = await run(argv, opts);
  if (res.code !== 0) throw new ModuleError(`${what}: ${res.stderr.trim() || `exit ${res.code ?? res.signal}`}`);
  return res;
}

async function must(run: Run, argv: string[], what: string, opts?: RunOptions): Promise<string> {
  return (await mustRun(run, argv, what, opts)).stdout;
}

/** sha256 of a controller file, streamed. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 of a file on the host (GNU coreutils sha256sum). */
export async function sha256OnHost(run: Run, file: string): Promise<string> {
  return (await must(run, ['sha256sum', '--', file], `cannot checksum ${file}`)).split(/\s/)[0];
}

/** Copy a regular file of the host into a controller file (0600); returns its size. */
export async function downloadFile(run: Run, remote: string, local: string): Promise<number> {
  const size = Number((await must(run, ['stat', '-L', '-c', '%s', '--', remote], `cannot read ${remote}`)).trim());
  const out = await fs.open(local, 'wx', 0o600);
  try {
    let written = 0;
    // Bounded: one more round than the size asks for, in case the file grew while it was read (then refused).
    for (let block = 0; block * CHUNK_MIB * 1024 * 1024 <= size; block++) {
      // Raw bytes (binaryStdout): no base64 text and no large string on the heap, so memory stays at one chunk.
      const buf = (await mustRun(run, ['dd', `if=${remote}`, 'bs=1048576', `skip=${block * CHUNK_MIB}`, `count=${CHUNK_MIB}`, 'status=none'], `cannot read ${remote}`, { binaryStdout: true })).stdoutBytes;
      if (!buf) throw new ModuleError(`cannot read ${remote}: the connection returned no bytes`);
      await out.write(buf, 0, buf.length, written);
      written += buf.length;
      if (buf.length < CHUNK_BYTES) break;
    }
    if (written !== size) throw new ModuleError(`${remote} changed size while it was copied (${size} bytes, then ${written})`);
    await out.sync();
    return size;
  } finally {
    await out.close();
  }
}

/** A private (0600) temp file on the host in `nearDir`, holding the controller file `local`; returns its path. */
export async function uploadToTemp(run: Run, local: string, nearDir: string, label: string): Promise<string> {
  const temp = (await must(run, ['mktemp', '--', `${nearDir.replace(/\/+$/, '') || ''}/.${label}.runbook-XXXXXXXX`], `cannot create a temp file in ${nearDir}`)).trim();
  try {
    const input = await fs.open(local, 'r');
    try {
      const buf = Buffer.alloc(CHUNK_BYTES);
      const { size } = await input.stat();
      for (let offset = 0; offset < size;) {
        const { bytesRead } = await input.read(buf, 0, CHUNK_BYTES, offset);
        if (bytesRead === 0) break;
        await must(run, ['sh', '-c', 'cat >> "$1"', 'sh', temp], `cannot write ${temp}`, { stdin: buf.subarray(0, bytesRead) });
        offset += bytesRead;
      }
    } finally {
      await input.close();
    }
    return temp;
  } catch (e) {
    await run(['rm', '-f', '--', temp]);
    throw e;
  }
}

/**
 * Write the controller file `local` to `dest` on the host atomically, in chunks; when `sha256` is given, the copy on
 * the host is checked against it before the rename (a file that changed on the way never replaces dest).
 */
export async function uploadFile(run: Run, local: string, dest: string, attrs: WriteFileOptions = {}, sha256?: string): Promise<void> {
  const slash = dest.lastIndexOf('/');
  const temp = await uploadToTemp(run, local, dest.slice(0, slash) || '/', dest.slice(slash + 1));
  if (sha256 !== undefined) {
    const got = await sha256OnHost(run, temp).catch(async (e) => { await run(['rm', '-f', '--', temp]); throw e; });
    if (got !== sha256) {
      await run(['rm', '-f', '--', temp]);
      throw new ModuleError(`${dest}: the copy on the host has sha256 ${got}, expected ${sha256} (the source changed since it was inspected?): not replaced`);
    }
  }
  // Like the transports' atomic write: mode/owner as asked or kept from the file it replaces, fsync, rename.
  await must(run, atomicWriteArgv(dest, temp, attrs), `cannot write ${dest}`);
}

/** Keep a directory of the host as a tar.gz controller file (0600); returns its size. */
export async function downloadDirectory(run: Run, dir: string, local: string): Promise<number> {
  const temp = (await must(run, ['mktemp', '--', '/var/tmp/.runbook-keep-XXXXXXXX'], 'cannot create a temp file in /var/tmp')).trim();
  try {
    await must(run, ['tar', '-C', dir, '-czf', temp, '.'], `cannot archive ${dir}`);
    return await downloadFile(run, temp, local);
  } finally {
    await run(['rm', '-f', '--', temp]);
  }
}

/** Put a directory kept by downloadDirectory back (created when missing; files in it overwritten from the copy). */
export async function restoreDirectory(run: Run, local: string, dir: string): Promise<void> {
  const temp = await uploadToTemp(run, local, '/var/tmp', 'keep');
  try {
    await must(run, ['mkdir', '-p', '--', dir], `cannot create ${dir}`);
    await must(run, ['tar', '-C', dir, '-xzf', temp], `cannot restore ${dir}`);
  } finally {
    await run(['rm', '-f', '--', temp]);
  }
}
