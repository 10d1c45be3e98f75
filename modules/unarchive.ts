// unarchive: a tar (gz, xz, bz2, zst) or zip archive from the controller (uploaded) or the target (remote_src)
// extracted into an existing folder; skipped when `creates` exists or every member is already there (type, size,
// mtime); the members are the diff; rollback removes what it created and restores the files it replaced.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ModuleError } from '../engine/errors.js';
import { uploadToTemp } from '../engine/connection/chunked-transfer.js';
import { defineModule, type Change, type Host, type ModuleContext, type RunOptions } from '../engine/types.js';
import { extractCommand, formatOf, listCommand, memberUpToDate, parseListing, parsePresent, PRESENT_SCRIPT, type ArchiveFormat, type Member, type Present } from './lib/archive-members.js';
import { absolutePath, filePath } from './lib/arg-kinds.js';
import { keepLarge, readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { mustRun } from './lib/must-run.js';

interface UnarchiveArgs { src: string; dest: string; remote_src: boolean; creates?: string; extra_opts: string[] }

interface UnarchiveState {
  format: ArchiveFormat;
  /** `creates` exists: nothing is looked at or done. */
  created?: boolean;
  members: Member[];
  /** What dest has at each member's path (only paths where something is). */
  present: Record<string, Present>;
  /** Regular files extraction would replace, as they are now (for rollback). */
  replaced: FileState[];
}

interface UnarchiveData { extract?: boolean }

const ARGV_CHUNK = 200;
// Options that make tar or unzip run another program, refused whatever their spelling's position in a cluster.
const NO_PROGRAM_OPTION = '^(?!(--to-command|--use-compress-program|--checkpoint-action|--rsh-command|--rmt-command|--info-script|--new-volume-script|--index-file|-[A-Za-z]*[IF]))[^\\n\\r\\0]*$';
const UTC = { env: { TZ: 'UTC' } };
const memberPath = (dest: string, name: string) => `${dest.replace(/\/+$/, '')}/${name}`;

async function listArchive(host: Host, args: UnarchiveArgs, format: ArchiveFormat, ctx: ModuleContext): Promise<Member[]> {
  if (args.remote_src) {
    const res = await mustRun(host, listCommand(format, args.src, args.extra_opts), `listing ${args.src} on the target`, UTC);
    return parseListing(format, res.stdout);
  }
  const local = await ctx.controllerPath('src', args.src);
  const [program, ...rest] = listCommand(format, local, args.extra_opts);
  try {
    const { stdout } = await promisify(execFile)(program, rest, { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, maxBuffer: 256 * 1024 * 1024 });
    return parseListing(format, stdout);
  } catch (e) {
    const err = e as { code?: string | number; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new ModuleError(`listing ${args.src} needs ${program} on the controller`);
    throw new ModuleError(`listing ${args.src} (${local}) failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-3).join('\n')}`);
  }
}

async function inspectUnarchive(host: Host, args: UnarchiveArgs, ctx: ModuleContext): Promise<UnarchiveState> {
  const format = formatOf(args.src);
  const empty: UnarchiveState = { format, members: [], present: {}, replaced: [] };
  if (args.creates !== undefined && (await host.stat(args.creates))) return { ...empty, created: true };
  if ((await host.stat(args.dest))?.type !== 'directory') throw new ModuleError(`${args.dest} is not a folder: unarchive extracts into an existing folder (create it first, e.g. with file: state=directory)`);
  const members = await listArchive(host, args, format, ctx);
  const names = members.map((m) => m.name);
  const res = await mustRun(host, ['sh', '-c', PRESENT_SCRIPT, 'sh', args.dest], `looking at ${args.dest}`, { stdin: `${names.join('\n')}\n` });
  const lines = res.stdout.split('\n');
  const present: Record<string, Present> = {};
  const replaced: FileState[] = [];
  for (const [i, m] of members.entries()) {
    const there = parsePresent(lines[i] ?? '-');
    if (!there) continue;
    present[m.name] = there;
    if (m.type === 'file' && there.type === 'file' && !memberUpToDate(m, there)) replaced.push(await readFileState(host, memberPath(args.dest, m.name), 'bounded'));
  }
  return { format, members, present, replaced };
}

export function planUnarchive(s: UnarchiveState, args: UnarchiveArgs): Change<UnarchiveData>[] {
  if (s.created) return [];
  const stale = s.members.filter((m) => !memberUpToDate(m, s.present[m.name]));
  if (stale.length === 0) return [];
  const line = (m: Member) => `${m.name}${m.type === 'directory' ? '/' : ''}\n`;
  const changes: Change<UnarchiveData>[] = [{
    msg: `extract ${args.src} into ${args.dest} (${stale.length} of ${s.members.length} members new or different)`,
    diff: { path: args.dest, before: s.members.filter((m) => !stale.includes(m)).map(line).join(''), after: s.members.map(line).join('') },
    data: { extract: true },
  }];
  for (const f of s.replaced) changes.push({ msg: `replace ${f.path}`, data: {}, ...keepLarge(f) });
  return changes;
}

/** Runs argv with the paths appended, a bounded number per command. */
async function inChunks(host: Host, argv: string[], paths: string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += ARGV_CHUNK) await mustRun(host, [...argv, ...paths.slice(i, i + ARGV_CHUNK)], `${argv[0]} of ${paths.length} extracted paths`);
}

export default defineModule<UnarchiveArgs, UnarchiveState, UnarchiveData>({
  name: 'unarchive',
  doc: 'Extract a tar (.tar, .tar.gz, .tgz, .tar.xz, .tar.bz2, .tar.zst) or .zip archive into an existing folder: from the controller (uploaded to a temp file) or from the target (remote_src: true). Skipped when `creates` exists, or when every member is already in dest with the same type, size and mtime. The diff lists the members; the registered `files` too. Rollback removes what extraction created and restores the files it replaced. Needs tar (and xz, bzip2 or zstd for those) or unzip where the archive is listed and extracted.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { ...filePath, description: 'The archive: a controller file relative to the playbook\'s folder, or with remote_src an absolute path on the target.' },
      dest: { ...absolutePath, description: 'The folder to extract into (must exist).' },
      remote_src: { type: 'boolean', default: false, description: 'The archive is already on the target.' },
      creates: { ...absolutePath, description: 'Skip when this path exists on the target.' },
      extra_opts: { type: 'array', default: [], items: { type: 'string', title: 'archive option that runs no program', pattern: NO_PROGRAM_OPTION }, description: 'More options for tar or unzip, one argument each (--strip-components=1, --exclude=*.md). Options that run programs (--to-command, --use-compress-program/-I, --checkpoint-action, -F...) are refused.' },
    },
    allOf: [{ if: { properties: { remote_src: { const: true } }, required: ['remote_src'] }, then: { properties: { src: { pattern: '^/', patternHint: 'an absolute path on the target' } } } }],
  },
  examples: [
    { name: 'A release tarball from the playbook\'s files', args: { src: 'files/heketi-v9.0.0.linux.amd64.tar.gz', dest: '/opt', creates: '/opt/heketi/heketi' } },
    { name: 'An archive get_url fetched, without its top folder', args: { src: '/tmp/app-1.2.tar.xz', dest: '/opt/app', remote_src: true, extra_opts: ['--strip-components=1'] } },
  ],
  reversible: true,
  inspect: (host, args, ctx) => inspectUnarchive(host, args, ctx),
  plan: (s, args) => planUnarchive(s, args),
  report(s, args) {
    const msg = s.created ? `${args.creates} exists` : `${args.dest} already has the ${s.members.length} members of ${args.src}`;
    return { msg, result: { dest: args.dest, src: args.src, files: s.members.map((m) => m.name) } };
  },
  async apply(host, args, changes, s, ctx) {
    if (!changes.some((c) => c.data.extract)) return;
    const run = (argv: string[], opts?: RunOptions) => host.run(argv, opts);
    const archive = args.remote_src ? args.src : await uploadToTemp(run, await ctx.controllerPath('src', args.src), '/tmp', 'unarchive');
    try {
      await mustRun(host, extractCommand(s.format, archive, args.dest, args.extra_opts), `extracting ${args.src} into ${args.dest}`, UTC);
    } finally {
      if (!args.remote_src) await host.run(['rm', '-f', '--', archive]);
    }
    return { result: { dest: args.dest, src: args.src, files: s.members.map((m) => m.name) } };
  },
  async revert(host, { before, args, kept }) {
    for (const f of before.replaced) await restoreFile(host, f, kept);
    const created = before.members.filter((m) => !before.present[m.name]);
    await inChunks(host, ['rm', '-f', '--'], created.filter((m) => m.type !== 'directory').map((m) => memberPath(args.dest, m.name)));
    // Deepest first; a folder someone put files in since is left.
    const folders = created.filter((m) => m.type === 'directory').map((m) => memberPath(args.dest, m.name)).sort((a, b) => b.split('/').length - a.split('/').length);
    await inChunks(host, ['rmdir', '--ignore-fail-on-non-empty', '--'], folders);
  },
});
