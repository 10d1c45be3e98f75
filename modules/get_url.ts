// get_url: a file downloaded over http(s) to dest, on the target (curl or wget) or on the controller and uploaded
// (remote_src: false); the checksum verified before the atomic rename, mode and owner set; Ansible's force semantics.

import path from 'node:path';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { absolutePath, userName } from './lib/arg-kinds.js';
import { uploadFile } from '../engine/connection/chunked-transfer.js';
import { CHECKSUM_PATTERN, URL_PATTERN, checksumMismatch, digestOnHost, downloadOnController, downloadOnHost, parseChecksum } from './lib/download.js';
import { MAX_KEPT_BYTES, attributeChanges, formatMode, keepLarge, parseMode, readFileState, restoreFile, setAttributes, type FileState } from './lib/file-state.js';
import { mustRun } from './lib/must-run.js';

interface GetUrlArgs {
  url: string;
  dest: string;
  checksum?: string;
  force: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  timeout: number;
  validate_certs: boolean;
  remote_src: boolean;
}

/**
 * The destination (a folder's resolved to the URL's file name) and its digest; when a download may replace it, its
 * content (a large file: its sha256 and size, and the engine keeps a copy beside the journal).
 */
interface GetUrlState {
  dest: string;
  file: FileState;
  /** Hex digest of dest: the checksum's algorithm, or sha256 when force may replace it. */
  digest?: string;
}

interface GetUrlData { download?: boolean; whenDifferent?: boolean; attrs?: boolean }

/** dest, or dest/<file name of the URL> when dest is a folder. */
async function resolveDest(host: Host, args: GetUrlArgs): Promise<string> {
  if (!args.dest.endsWith('/') && (await host.stat(args.dest))?.type !== 'directory') return args.dest;
  const name = decodeURIComponent(new URL(args.url).pathname.split('/').pop() ?? '');
  if (!/^[^/\0\n]+$/.test(name) || name === '.' || name === '..') throw new ModuleError(`${args.dest} is a folder and ${args.url} names no file: give dest a file name`);
  return path.posix.join(args.dest, name);
}

function wantAttrs(args: GetUrlArgs) {
  return { mode: parseMode(args.mode), owner: args.owner, group: args.group };
}

/** The download change (certain, or uncertain when force may find the same content), irreversible when too big to keep. */
function downloadChange(s: GetUrlState, args: GetUrlArgs, why: string, whenDifferent: boolean): Change<GetUrlData> {
  const where = args.remote_src ? '' : ' (downloaded on the controller)';
  const large = s.file.exists ? keepLarge(s.file) : {};
  const note = large.irreversible ? ` (the current file is ${((s.file.size ?? 0) / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_KEPT_BYTES / 1024 / 1024} MB rollback keeps: this replacement cannot be undone)` : '';
  return {
    msg: `${whenDifferent ? `download ${args.url} and replace ${s.dest} if it differs` : `download ${args.url} to ${s.dest}${why}`}${where}${note}`,
    data: { download: true, whenDifferent },
    ...(whenDifferent ? { uncertain: true } : {}),
    ...large,
  };
}

export function planGetUrl(s: GetUrlState, args: GetUrlArgs): Change<GetUrlData>[] {
  if (s.file.exists && s.file.type !== 'file') throw new ModuleError(`${s.dest} exists and is a ${s.file.type}, not a regular file`);
  const want = wantAttrs(args);
  if (!s.file.exists) return [downloadChange(s, args, want.mode !== undefined ? ` (mode ${formatMode(want.mode)})` : '', false)];
  const attrDiffs = attributeChanges(s.file, want);
  const attrs: Change<GetUrlData>[] = attrDiffs.length ? [{ msg: `${s.dest}: ${attrDiffs.join(', ')}`, data: { attrs: true } }] : [];
  if (args.checksum !== undefined) {
    const { algorithm, digest } = parseChecksum(args.checksum);
    if (s.digest === digest) return attrs;
    return [downloadChange(s, args, ` (its ${algorithm} is ${s.digest}, not ${digest})`, false)];
  }
  if (!args.force) return attrs;
  return [downloadChange(s, args, '', true), ...attrs];
}

async function inspectGetUrl(host: Host, args: GetUrlArgs): Promise<GetUrlState> {
  const dest = await resolveDest(host, args);
  const file = await readFileState(host, dest, false);
  const state: GetUrlState = { dest, file };
  if (!file.exists || file.type !== 'file' || (args.checksum === undefined && !args.force)) return state;
  const algorithm = args.checksum !== undefined ? parseChecksum(args.checksum).algorithm : 'sha256';
  state.digest = await digestOnHost(host, dest, algorithm);
  if (args.checksum !== undefined && state.digest === parseChecksum(args.checksum).digest) return state;
  // A download may replace it: what rollback needs to put it back.
  state.file = await readFileState(host, dest, 'bounded');
  return state;
}

/** Controller download: a private temp file, verified, compared, then uploaded in chunks and renamed into place. */
async function applyFromController(host: Host, s: GetUrlState, args: GetUrlArgs, whenDifferent: boolean): Promise<boolean> {
  const wanted = args.checksum !== undefined ? parseChecksum(args.checksum) : undefined;
  const got = await downloadOnController({ url: args.url, timeout: args.timeout, validateCerts: args.validate_certs }, wanted?.algorithm ?? 'sha256');
  try {
    if (wanted && got.digest !== wanted.digest) throw checksumMismatch(args.url, s.dest, wanted.algorithm, wanted.digest, got.digest);
    if (whenDifferent && got.sha256 === s.digest) return false;
    const want = wantAttrs(args);
    const attrs = { mode: want.mode ?? s.file.mode ?? 0o644, owner: want.owner ?? s.file.owner, group: want.group ?? s.file.group };
    await uploadFile((argv, opts) => host.run(argv, opts), got.file, s.dest, attrs, got.sha256);
    return true;
  } finally {
    await got.remove();
  }
}

/** Target download: a temp file beside dest, verified, attributes set, then renamed over dest; removed on failure. */
async function applyOnTarget(host: Host, s: GetUrlState, args: GetUrlArgs, whenDifferent: boolean): Promise<boolean> {
  const temp = (await mustRun(host, ['mktemp', '-p', path.posix.dirname(s.dest), '.runbook-get_url.XXXXXXXX'])).stdout.trim();
  let moved = false;
  try {
    await downloadOnHost(host, temp, { url: args.url, timeout: args.timeout, validateCerts: args.validate_certs });
    if (args.checksum !== undefined) {
      const { algorithm, digest } = parseChecksum(args.checksum);
      const got = await digestOnHost(host, temp, algorithm);
      if (got !== digest) throw checksumMismatch(args.url, s.dest, algorithm, digest, got);
    }
    if (whenDifferent && (await digestOnHost(host, temp, 'sha256')) === s.digest) return false;
    const want = wantAttrs(args);
    await setAttributes(host, temp, { mode: want.mode ?? s.file.mode ?? 0o644, owner: want.owner ?? s.file.owner, group: want.group ?? s.file.group });
    await mustRun(host, ['mv', '-fT', '--', temp, s.dest]);
    moved = true;
    return true;
  } finally {
    if (!moved) await host.run(['rm', '-f', '--', temp]);
  }
}

export default defineModule<GetUrlArgs, GetUrlState, GetUrlData>({
  name: 'get_url',
  doc: 'Download a file over http or https to dest (a folder: the URL\'s file name inside it), on the target with curl or wget (remote_src: true, Ansible\'s way) or on the controller and uploaded (remote_src: false). A checksum is verified before the file is renamed into place: on a mismatch dest is left as it was. Without force, an existing dest is kept (replaced only when it does not have the given checksum); with force, downloaded every time and replaced only when the content differs. mode/owner/group set; rollback restores the previous file (a large one from the copy kept beside the journal) or removes a new one.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'dest'],
    properties: {
      url: { type: 'string', pattern: URL_PATTERN, patternHint: 'an http:// or https:// URL without credentials', description: 'What to download (http or https; user:password@ in the URL is refused: it would show in command lines).' },
      dest: { ...absolutePath, description: 'The file to write; an existing folder (or a path ending in /) gets the URL\'s file name inside it.' },
      checksum: { type: 'string', pattern: CHECKSUM_PATTERN, patternHint: 'algorithm:hex digest, e.g. sha256:<64 hex digits> (md5, sha1, sha224, sha256, sha384, sha512)', description: 'The digest the file must have: checked before dest is replaced, and an existing dest with it is not downloaded again.' },
      force: { type: 'boolean', default: false, description: 'Download every time and replace dest when the content differs (false: an existing dest is kept unless its checksum is not the given one).' },
      mode: { type: ['string', 'integer'], description: 'Permissions as an octal string ("0644"). A new file gets 0644 when omitted; a replaced one keeps its mode.' },
      owner: { ...userName, description: 'Owner user name. Kept (or the connecting user) when omitted.' },
      group: { ...userName, description: 'Group name. Kept (or the connecting user\'s) when omitted.' },
      timeout: { type: 'integer', minimum: 1, default: 10, description: 'Seconds the download may take.' },
      validate_certs: { type: 'boolean', default: true, description: 'Verify the server\'s TLS certificate (https).' },
      remote_src: { type: 'boolean', default: true, description: 'true: the target downloads (needs curl or wget there); false: the controller downloads and uploads the file (runbook\'s addition).' },
    },
    allOf: [
      // The controller's fetch always verifies certificates.
      { if: { properties: { remote_src: { const: false } }, required: ['remote_src'] }, then: { properties: { validate_certs: { const: true } } } },
    ],
  },
  examples: [
    { name: 'A pinned release binary', args: { url: 'https://downloads.example.org/tool-1.2.linux-amd64.tar.gz', dest: '/opt/', checksum: 'sha256:0f7d4b4e0a7a1a7a5d8e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60', mode: '0644' } },
    { name: 'Through the controller (targets without Internet access)', args: { url: 'https://repo.internal/app.conf', dest: '/etc/app/app.conf', remote_src: false, force: true } },
  ],
  reversible: true,
  inspect: (host, args) => inspectGetUrl(host, args),
  async readTarget(host, args) {
    const dest = await resolveDest(host, args);
    const file = await readFileState(host, dest, false);
    return { ...file, sha256: file.exists && file.type === 'file' ? await digestOnHost(host, dest, 'sha256') : undefined };
  },
  plan: (s, args) => planGetUrl(s, args),
  report(s, args) {
    const msg = args.checksum !== undefined ? `${s.dest} already has ${args.checksum.split(':')[0]} ${s.digest}` : `${s.dest} already exists`;
    return { msg, result: { dest: s.dest, url: args.url } };
  },
  async apply(host, args, changes, s) {
    const data: GetUrlData = Object.assign({}, ...changes.map((c) => c.data));
    const want = wantAttrs(args);
    if (data.download) {
      const fetch = args.remote_src ? applyOnTarget : applyFromController;
      const replaced = await fetch(host, s, args, data.whenDifferent === true);
      if (replaced) return { result: { dest: s.dest, url: args.url } };
    }
    if (data.attrs) await setAttributes(host, s.dest, want);
    return { changed: data.attrs === true, result: { dest: s.dest, url: args.url } };
  },
  async revert(host, { before, changes, kept }) {
    if (!before.file.exists || changes.some((c) => c.data.download)) {
      await restoreFile(host, before.file, kept);
      return;
    }
    await setAttributes(host, before.dest, { mode: before.file.mode, owner: before.file.owner, group: before.file.group });
  },
});
