// find: read-only; the paths under given folders that match patterns, age, size, type and content, registered as
// `files` (Ansible's find). Listed on the target by GNU find in one call; filtered by the pure lib/find-filters.ts.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Host } from '../engine/types.js';
import { filterEntries, type FindFilters, type FoundEntry } from './lib/find-filters.js';

interface FindArgs extends FindFilters {
  paths: string[];
  recurse: boolean;
  depth?: number;
  follow: boolean;
}

interface FindState { entries: FoundEntry[]; now: number; skipped: Record<string, string> }

const TYPES: Record<string, FoundEntry['type']> = { f: 'file', d: 'directory', l: 'link' };
// type, size, mode, mtime, atime, ctime, uid, gid, owner, group, path; NUL-terminated (names may hold newlines).
const FORMAT = '%y\\t%s\\t%m\\t%T@\\t%A@\\t%C@\\t%U\\t%G\\t%u\\t%g\\t%p\\0';
const MAX_CONTENT = 1024 * 1024;

function parseListing(stdout: string): FoundEntry[] {
  return stdout.split('\0').filter(Boolean).map((record) => {
    const f = record.split('\t');
    return {
      type: TYPES[f[0]] ?? 'other', size: Number(f[1]), mode: parseInt(f[2], 8), mtime: Number(f[3]), atime: Number(f[4]), ctime: Number(f[5]),
      uid: Number(f[6]), gid: Number(f[7]), owner: f[8], group: f[9], path: f.slice(10).join('\t'),
    };
  });
}

async function listPath(host: Host, root: string, args: FindArgs): Promise<{ entries: FoundEntry[]; error?: string }> {
  const depth = args.recurse ? args.depth : 1;
  const res = await host.run(['find', args.follow ? '-L' : '-P', root, '-mindepth', '1', ...(depth !== undefined ? ['-maxdepth', String(depth)] : []), '-printf', FORMAT]);
  const entries = parseListing(res.stdout);
  if (res.code !== 0 && entries.length === 0) return { entries, error: res.stderr.trim().split('\n')[0] || `find exited ${res.code}` };
  return { entries };
}

export default defineModule<FindArgs, FindState>({
  name: 'find',
  doc: 'Read-only: list the paths under folders that match name patterns (globs or regexps), age, size, type and content, and register them as `files` (path, size, mode, owner, times...), with `matched` and `examined`. Never changes anything; runs in check mode too. A folder that does not exist is skipped with its reason in `skipped_paths`.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      paths: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^/', patternHint: 'an absolute path' }, description: 'The folders to search.' },
      patterns: { type: 'array', items: { type: 'string' }, description: 'Base names to match: shell globs (*.log), or regular expressions with use_regex. Any one matching is enough; none given matches all.' },
      excludes: { type: 'array', items: { type: 'string' }, description: 'Base names to leave out (globs, or regexps with use_regex).' },
      use_regex: { type: 'boolean', default: false, description: 'patterns and excludes are regular expressions matched from the start of the name (RE2).' },
      file_type: { enum: ['file', 'directory', 'link', 'any'], default: 'file', description: 'The kind of path to return.' },
      recurse: { type: 'boolean', default: false, description: 'Descend into subfolders (otherwise only the folders\' own entries).' },
      depth: { type: 'integer', minimum: 1, description: 'With recurse, how many levels down at most.' },
      follow: { type: 'boolean', default: false, description: 'Follow symbolic links.' },
      hidden: { type: 'boolean', default: false, description: 'Include names starting with a dot.' },
      age: { type: 'string', pattern: '^-?\\d+[smhdwSMHDW]?$', patternHint: 'a number with s, m, h, d or w (2d, -1w)', description: 'Older than this (2d), or with a minus, younger than this (-1h), by age_stamp.' },
      age_stamp: { enum: ['mtime', 'atime', 'ctime'], default: 'mtime', description: 'The time age is measured on.' },
      size: { type: 'string', pattern: '^-?\\d+[bkmgtBKMGT]?$', patternHint: 'a number with b, k, m, g or t (10m, -1k)', description: 'Files at least this big (10m), or with a minus, at most this big (-1k).' },
      contains: { type: 'string', description: 'Files with a line that matches this regular expression from its start (RE2; files up to 1 MiB).' },
    },
    allOf: [
      { if: { properties: { recurse: { const: false } } }, then: { properties: { depth: false } } },
    ],
  },
  examples: [
    { name: 'Old logs', args: { paths: ['/var/log/app'], patterns: ['*.log', '*.gz'], age: '30d', recurse: true } },
    { name: 'Config files that still name the old server', args: { paths: ['/etc/app'], contains: '.*db-old\\.internal' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const entries: FoundEntry[] = [];
    const skipped: Record<string, string> = {};
    for (const root of args.paths) {
      const listed = await listPath(host, root, args);
      if (listed.error) skipped[root] = listed.error;
      entries.push(...listed.entries);
    }
    if (args.contains !== undefined) {
      for (const e of entries) if (e.type === 'file' && e.size <= MAX_CONTENT) e.content = (await host.readFile(e.path))?.toString('utf8') ?? '';
    }
    const clock = await host.run(['date', '+%s']);
    if (clock.code !== 0) throw new ModuleError(`cannot read the host's clock: ${clock.stderr.trim()}`);
    return { entries, now: Number(clock.stdout.trim()), skipped };
  },
  plan: () => [],
  report(s, args) {
    const files = filterEntries(s.entries, args, s.now).map(({ content: _content, ...e }) => ({
      path: e.path, size: e.size, mode: `0${(e.mode & 0o7777).toString(8).padStart(3, '0')}`, isdir: e.type === 'directory', isreg: e.type === 'file', islnk: e.type === 'link',
      uid: e.uid, gid: e.gid, pw_name: e.owner, gr_name: e.group, mtime: e.mtime, atime: e.atime, ctime: e.ctime,
    }));
    const msg = `${files.length} of ${s.entries.length} paths matched`;
    return { msg, result: { files, matched: files.length, examined: s.entries.length, skipped_paths: s.skipped, msg } };
  },
  async apply() {
    return { changed: false };
  },
});
