// apt_repository: Ansible's module of that name — a one-line apt source added to (or removed from) sources.list and
// sources.list.d/*.list exactly as Ansible edits them, then apt's lists refreshed.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { readFileState, restoreFile, parseMode, type FileState } from './lib/file-state.js';
import { applyFileWrites, type FileWrite } from './lib/file-writes.js';
import { MODE_PATTERN } from './lib/symbolic-mode.js';
import { oneLine } from './lib/arg-kinds.js';
import {
  addSource, dumpSources, formatSourcesFile, readSourcesFile, removeSource, repoSource, sameDump, sourceFilePath,
  SOURCES_LIST, SOURCES_PARTS, type SourcesFiles,
} from './lib/apt-sources-list.js';

interface AptRepositoryArgs {
  repo: string;
  state: 'present' | 'absent';
  mode?: string | number;
  update_cache: boolean;
  update_cache_retries: number;
  update_cache_retry_max_delay: number;
  filename?: string;
  validate_certs: boolean;
  install_python_apt: boolean;
  codename?: string;
}

interface AptRepositoryState {
  /** The repository as Ansible compares it (whitespace runs joined). */
  source: string;
  /** sources.list and every sources.list.d/*.list file, as read. */
  loaded: FileState[];
  /** The file a new line goes to (one of `loaded`, or a file still to be made). */
  target: FileState;
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };

function sourcesModel(s: AptRepositoryState): SourcesFiles {
  return new Map(s.loaded.map((f) => [f.path, readSourcesFile(f.content ?? '')]));
}

/** The message for one file's change. */
function describe(file: string, content: string | null, args: AptRepositoryArgs, source: string, touched: boolean, appendedTo?: string): string {
  if (file === appendedTo) return `add "${source}" to ${file}`;
  if (content === null) return `remove ${file} (no lines left in it)`;
  if (touched) return args.state === 'present' ? `enable "${source}" in ${file}` : `remove "${source}" from ${file}`;
  return `rewrite ${file} in the normalised form Ansible's apt_repository writes on a change`;
}

/** apt-get update (failing when any source fails, as python-apt's update does), tried `retries` times with a capped exponential wait. */
async function updateLists(host: Host, retries: number, maxDelay: number): Promise<void> {
  let why = 'unknown reason';
  for (let attempt = 0; attempt < retries; attempt++) {
    const res = await host.run(['apt-get', 'update', '-q', '-o', 'APT::Update::Error-Mode=any'], { env: APT_ENV });
    if (res.code === 0) return;
    why = (res.stderr.trim() || res.stdout.trim()).split('\n').slice(-3).join('\n');
    if (attempt < retries - 1) await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, maxDelay) * 1000));
  }
  throw new ModuleError(`Failed to update apt cache: ${why}`);
}

async function restoreChanged(host: Host, s: AptRepositoryState, changes: Change<FileWrite>[]): Promise<void> {
  for (const c of changes) {
    const before = c.data.path === s.target.path ? s.target : s.loaded.find((f) => f.path === c.data.path);
    if (before) await restoreFile(host, before);
  }
}

export default defineModule<AptRepositoryArgs, AptRepositoryState, FileWrite>({
  name: 'apt_repository',
  doc: "Ansible's apt_repository: add a one-line apt source (state present; a commented-out copy anywhere in sources.list or sources.list.d/*.list is enabled instead) or remove every enabled copy of it from all those files (absent). As Ansible, a change rewrites those files in normalised form (one space between words, \"# \" before disabled lines) and removes a file left without lines; a new line goes to sources.list.d/<filename>.list, by default named after the URL (deb http://host:8080/debian x → host_8080_debian.list). Then apt-get update (update_cache); if it fails the files are put back. ppa: repositories are refused (Launchpad is not reached).",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['repo'],
    properties: {
      repo: { type: 'string', title: 'one-line apt source: deb|deb-src [options] URI SUITE [COMPONENTS] (ppa: repositories are looked up on Launchpad, which runbook does not reach)', pattern: '^[ \\t]*(deb|deb-src)[ \\t]+[^\\n\\r\\0]+$', description: 'The source line, as in sources.list: "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable".' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present adds the line (or enables a commented-out copy); absent removes every enabled copy, from whichever file holds it.' },
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Mode of the file the line is appended to, set when it is appended. New files otherwise get 0644; existing ones keep theirs.' },
      update_cache: { type: 'boolean', default: true, description: 'Run apt-get update after a change (Ansible alias: update-cache). If it fails, the source files are put back and the task fails.' },
      update_cache_retries: { type: 'integer', minimum: 0, default: 5, description: 'How many times apt-get update is tried.' },
      update_cache_retry_max_delay: { type: 'integer', minimum: 0, default: 12, description: 'The longest wait in seconds between tries (1, 2, 4 ... up to this).' },
      filename: { ...oneLine, minLength: 1, description: 'The file name in /etc/apt/sources.list.d, without ".list" (added); a name with a "/" is a path. Default: from the URL, as Ansible derives it.' },
      validate_certs: { type: 'boolean', default: true, description: 'Accepted for Ansible playbooks; apt checks its https sources itself.' },
      install_python_apt: { type: 'boolean', default: true, description: 'Accepted for Ansible playbooks; runbook needs no python3-apt on the host.' },
      codename: { ...oneLine, description: 'Accepted for Ansible playbooks (Ansible uses it only for ppa: repositories, which runbook refuses).' },
    },
  },
  examples: [
    { name: 'Docker CE for Debian, its key in /etc/apt/keyrings', args: { repo: 'deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable', filename: 'docker' } },
    { name: 'Remove an old source', args: { repo: 'deb http://apt.example.org/debian bookworm main', state: 'absent', update_cache: false } },
  ],
  reversible: true,
  async inspect(host, args) {
    const source = repoSource(args.repo);
    if (!(await host.stat('/etc/apt'))) throw new ModuleError('Module apt_repository is not supported on target: it has no /etc/apt (not a Debian-family host)');
    const listing = await host.run(['find', SOURCES_PARTS, '-mindepth', '1', '-maxdepth', '1', '-name', '*.list', '!', '-name', '.*']);
    const paths = [SOURCES_LIST, ...(listing.code === 0 ? listing.stdout.split('\n').filter(Boolean).sort() : [])];
    const loaded = (await Promise.all(paths.map((p) => readFileState(host, p)))).filter((f) => f.exists && f.type === 'file' && !f.binary);
    const targetPath = sourceFilePath(source, args.filename);
    const target = loaded.find((f) => f.path === targetPath) ?? await readFileState(host, targetPath);
    return { source, loaded, target };
  },
  plan(s, args): Change<FileWrite>[] {
    const files = sourcesModel(s);
    const before = dumpSources(files);
    const edit = args.state === 'present' ? addSource(files, s.source, s.target.path) : (removeSource(files, s.source), {});
    const after = dumpSources(files);
    if (sameDump(before, after)) return [];
    const mode = parseMode(args.mode, s.target);
    const changes: Change<FileWrite>[] = [];
    for (const [file, lines] of files) {
      const was = file === s.target.path ? s.target : s.loaded.find((f) => f.path === file)!;
      const content = formatSourcesFile(lines);
      if (content === null ? !was.exists : was.content === content && file !== edit.appendedTo) continue;
      changes.push({
        msg: describe(file, content, args, s.source, before.get(file) !== after.get(file), edit.appendedTo),
        diff: { path: file, before: was.content ?? '', after: content ?? '' },
        data: { path: file, content, ...(file === edit.appendedTo && mode !== undefined ? { mode } : {}) },
      });
    }
    return changes;
  },
  report(_s, args) {
    return { result: { repo: args.repo, state: args.state } };
  },
  async apply(host, args, changes, current) {
    await applyFileWrites(host, changes.map((c) => c.data));
    if (!args.update_cache) return;
    try {
      await updateLists(host, args.update_cache_retries, args.update_cache_retry_max_delay);
    } catch (e) {
      await restoreChanged(host, current, changes); // as Ansible: the sources go back when apt cannot use them
      throw e;
    }
  },
  async revert(host, { before, changes }) {
    await restoreChanged(host, before, changes);
  },
});
