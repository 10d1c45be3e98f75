// One-line apt sources (sources.list and sources.list.d/*.list) read, edited and written back the way Ansible's
// apt_repository does (its SourcesList class): lines normalised, a repository matched on its whitespace-joined text,
// every file rewritten in normalised form on a change, a file left without lines removed, file names derived from the URL.

import path from 'node:path';
import { ModuleError } from '../../engine/errors.js';

export const SOURCES_LIST = '/etc/apt/sources.list';
export const SOURCES_PARTS = '/etc/apt/sources.list.d';
const SOURCE_TYPES = ['deb', 'deb-src'];

/** One line of a sources file, as Ansible reads it: `n` is its line number when read (Ansible's list index). */
export interface SourceLine { n: number; valid: boolean; enabled: boolean; source: string; comment: string }

/** File path → its lines, in the order apt_repository read them (sources.list first). */
export type SourcesFiles = Map<string, SourceLine[]>;

/** Ansible's _parse: a leading "#" disables, a later "#" starts a comment, whitespace runs in a source become one space. */
export function parseSourceLine(raw: string, n = 0): SourceLine {
  let line = raw.trim();
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) {
    enabled = false;
    line = line.slice(1);
  }
  const hash = line.indexOf('#');
  if (hash > 0) {
    comment = line.slice(hash + 1).trim();
    line = line.slice(0, hash);
  }
  let source = line.trim();
  let valid = false;
  if (source) {
    const chunks = source.split(/\s+/);
    if (SOURCE_TYPES.includes(chunks[0])) {
      valid = true;
      source = chunks.join(' ');
    }
  }
  return { n, valid, enabled, source, comment };
}

/** The repository text of a `repo` argument: an enabled, valid one-line source, else Ansible's "Invalid repository string". */
export function repoSource(repo: string): string {
  if (repo.trim().startsWith('ppa:')) throw new ModuleError(`${repo}: ppa: repositories are looked up on Launchpad, which runbook does not reach; write the deb line of the PPA (and its key with apt_key or a keyring file) instead`);
  const parsed = parseSourceLine(repo);
  if (!parsed.valid || !parsed.enabled) throw new ModuleError(`Invalid repository string: ${parsed.enabled ? repo.trim() : repo.trim().slice(1)}`);
  return parsed.source;
}

export function readSourcesFile(content: string): SourceLine[] {
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, n) => parseSourceLine(l, n));
}

/** A file's text as Ansible's save() writes it; null when it has no lines (the file is then removed). */
export function formatSourcesFile(lines: SourceLine[]): string | null {
  if (lines.length === 0) return null;
  return lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('');
}

/** Ansible's _suggest_filename + _expand_path: "deb [o] http://user@host:8080/debian x main" → .../host_8080_debian.list. */
export function sourceFilePath(source: string, filename?: string): string {
  let name = filename;
  if (name === undefined) {
    const line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
    const parts = line.split(/\s+/).filter((p) => p && !SOURCE_TYPES.includes(p));
    const first = (parts[0] ?? '').includes('@') ? parts[0].split('@').slice(1).join('@') : (parts[0] ?? '');
    name = first.replace(/[^a-zA-Z0-9]/g, ' ').split(/\s+/).filter(Boolean).join('_');
  }
  const file = `${name}.list`;
  return file.includes('/') ? file : path.posix.resolve(SOURCES_PARTS, file);
}

/** Ansible's _add_valid_source: re-enable every line with this source anywhere, else append it to `file`. */
export function addSource(files: SourcesFiles, source: string, file: string): { appendedTo?: string } {
  let found = false;
  for (const lines of files.values()) {
    for (const l of lines) if (l.valid && l.source === source) { l.enabled = true; found = true; }
  }
  if (found) return {};
  const lines = files.get(file) ?? [];
  files.set(file, lines);
  lines.push({ n: lines.length, valid: true, enabled: true, source, comment: '' });
  return { appendedTo: file };
}

/**
 * Ansible's _remove_valid_source, to the letter: while walking a file's lines it pops the line at the matching line's
 * read-time number, so after one removal the walk skips the next line (two adjacent copies: one stays), and a number
 * past the end is the IndexError Ansible fails with.
 */
export function removeSource(files: SourcesFiles, source: string): void {
  for (const [file, lines] of files) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (!(l.valid && l.enabled && l.source === source)) continue;
      if (l.n >= lines.length) throw new ModuleError(`${file}: the same repository appears more than once; Ansible's apt_repository fails here too (IndexError): remove the duplicates first`);
      lines.splice(l.n, 1);
    }
  }
}

/** Ansible's dump(): the text of every file that has lines. */
export function dumpSources(files: SourcesFiles): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, lines] of files) {
    const text = formatSourcesFile(lines);
    if (text !== null) out.set(file, text);
  }
  return out;
}

export function sameDump(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([file, text]) => b.get(file) === text);
}
