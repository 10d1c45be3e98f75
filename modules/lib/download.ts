// Downloads for get_url (and unarchive's URLs): on the target with curl or wget into a temp file beside the
// destination, or on the controller with Node's fetch into a private temp file; http and https only, every value one argv element; digests
// with coreutils' <algorithm>sum on the target or node:crypto on the controller.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModuleError } from '../../engine/errors.js';
import type { Host } from '../../engine/types.js';
import { mustRun } from './must-run.js';

export const DIGESTS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type DigestName = (typeof DIGESTS)[number];

/** A checksum argument: "sha256:<hex>" with the digest's own length; an http(s) URL without credentials. */
export const CHECKSUM_PATTERN = '^(md5:[0-9a-fA-F]{32}|sha1:[0-9a-fA-F]{40}|sha224:[0-9a-fA-F]{56}|sha256:[0-9a-fA-F]{64}|sha384:[0-9a-fA-F]{96}|sha512:[0-9a-fA-F]{128})$';
export const URL_PATTERN = '^https?://[^/\\s@?#]+([/?#][^\\s]*)?$';

export interface DownloadOptions { url: string; timeout: number; validateCerts: boolean }

export function parseChecksum(checksum: string): { algorithm: DigestName; digest: string } {
  const [algorithm, digest] = checksum.split(':');
  return { algorithm: algorithm as DigestName, digest: digest.toLowerCase() };
}

/** The hex digest of a file on the target. */
export async function digestOnHost(host: Host, path: string, algorithm: DigestName): Promise<string> {
  return (await mustRun(host, [`${algorithm}sum`, '--', path])).stdout.split(' ')[0].replace(/^\\/, '');
}

/** The program the target downloads with: curl, else wget; a clear error when it has neither. */
async function downloader(host: Host): Promise<'curl' | 'wget'> {
  const res = await host.run(['sh', '-c', 'command -v curl || command -v wget']);
  const found = res.stdout.trim().split('\n')[0] ?? '';
  if (found.endsWith('/curl')) return 'curl';
  if (found.endsWith('/wget')) return 'wget';
  throw new ModuleError('get_url needs curl or wget on the target to download there: install one (package curl), or set remote_src: false to download on the controller and upload');
}

/** Downloads the URL into an existing file on the target (its content replaced). */
export async function downloadOnHost(host: Host, into: string, o: DownloadOptions): Promise<void> {
  const tool = await downloader(host);
  const argv = tool === 'curl'
    ? ['curl', '--fail', '--silent', '--show-error', '--location', '--proto', '=http,https', '--proto-redir', '=http,https', '--max-time', String(o.timeout), ...(o.validateCerts ? [] : ['--insecure']), '--output', into, o.url]
    : ['wget', '--quiet', '--tries=1', `--timeout=${o.timeout}`, ...(o.validateCerts ? [] : ['--no-check-certificate']), '--output-document', into, o.url];
  await mustRun(host, argv, `downloading ${o.url} (${tool})`, { timeoutMs: (o.timeout + 30) * 1000 });
}

/** A controller download: the file (in a private temp folder) and its digests. */
export interface ControllerDownload { file: string; sha256: string; digest: string; remove(): Promise<void> }

/**
 * Downloads the URL on the controller (redirects followed, http and https only) into a private temp file, streamed,
 * hashing as it goes (sha256, and `algorithm` for the checksum); memory stays at one chunk whatever the size.
 */
export async function downloadOnController(o: DownloadOptions, algorithm: DigestName): Promise<ControllerDownload> {
  let res: Response;
  try {
    res = await fetch(o.url, { redirect: 'follow', signal: AbortSignal.timeout(o.timeout * 1000) });
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    throw new ModuleError(`downloading ${o.url} on the controller failed: ${cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) throw new ModuleError(`downloading ${o.url} on the controller failed: HTTP ${res.status} ${res.statusText}`);
  if (!/^https?:$/.test(new URL(res.url).protocol)) throw new ModuleError(`downloading ${o.url}: redirected to ${res.url}, which is not http or https`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-get_url-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'download');
    const sha256 = createHash('sha256');
    const digest = createHash(algorithm);
    const out = await fs.open(file, 'wx', 0o600);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        sha256.update(chunk);
        digest.update(chunk);
        await out.write(chunk);
      }
    } finally {
      await out.close();
    }
    return { file, sha256: sha256.digest('hex'), digest: digest.digest('hex'), remove };
  } catch (e) {
    await remove();
    throw e instanceof ModuleError ? e : new ModuleError(`downloading ${o.url} on the controller failed: ${(e as Error).message}`);
  }
}

/** The error for a download whose digest is not the one asked for. */
export function checksumMismatch(url: string, dest: string, algorithm: DigestName, want: string, got: string): ModuleError {
  return new ModuleError(`checksum mismatch for ${url}: expected ${algorithm}:${want}, got ${algorithm}:${got}; ${dest} was left as it was`);
}
