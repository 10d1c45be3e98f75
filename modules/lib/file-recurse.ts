// file `recurse: true`: mode, owner and group set on everything under a directory, as Ansible's recurse does.
// A symlink gets owner and group on the link itself (chmod cannot set a link's mode on Linux); with follow (Ansible's
// default) what it points to gets all three too, and a linked directory's contents, as Ansible walks them.

import type { Host } from '../../engine/types.js';
import { formatMode, parseMode } from './file-state.js';
import { mustRun } from './must-run.js';

/** One path under the directory whose attributes the task changes, with what it had (rollback puts these back). */
export interface TreeEntry {
  path: string; type: 'file' | 'directory' | 'link' | 'other'; mode: number; owner: string; group: string;
  /** Reached through a symlink: chown follows it (no -h), so the target changes, not the link. */
  followed?: boolean;
}

/** More entries than this to change: their old attributes are not journaled, and the change says it cannot be undone. */
export const MAX_TREE_KEPT = 20_000;

const TYPES: Record<string, TreeEntry['type']> = { f: 'file', d: 'directory', l: 'link' };
/** Paths per command (argv stays far below the kernel's limit). */
const CHUNK = 400;

function parseTree(out: string): TreeEntry[] {
  return out.split('\0').filter(Boolean).map((record) => {
    const [y, mode, owner, group, ...rest] = record.split(' ');
    return { path: rest.join(' '), type: TYPES[y] ?? 'other', mode: parseInt(mode, 8), owner, group };
  });
}

/** Everything under root; with follow, also what its symlinks lead to (find -L: loops are reported, not walked). */
async function readTree(host: Host, root: string, follow: boolean): Promise<TreeEntry[]> {
  const own = parseTree((await mustRun(host, ['find', root, '-mindepth', '1', '-printf', '%y %m %u %g %p\\0'], `list ${root}`)).stdout);
  if (!follow || !own.some((e) => e.type === 'link')) return own;
  const res = await host.run(['find', '-L', root, '-mindepth', '1', '-printf', '%y %m %u %g %p\\0']);
  const problems = res.stderr.split('\n').filter((l) => l.trim() && !/File system loop detected|No such file or directory/.test(l));
  if (res.code !== 0 && problems.length) throw new Error(`find -L ${root} failed (exit ${res.code}): ${problems.join('; ')}`);
  const links = new Set(own.filter((e) => e.type === 'link').map((e) => e.path));
  const plain = new Set(own.filter((e) => e.type !== 'link').map((e) => e.path));
  // Paths that are links themselves or lie under a linked directory: their targets, reached through the link.
  const through = parseTree(res.stdout).filter((e) => e.type !== 'link' && !plain.has(e.path) && (links.has(e.path) || [...links].some((l) => e.path.startsWith(`${l}/`))));
  return [...own, ...through.map((e) => ({ ...e, followed: true }))];
}

/** The mode this entry should get (a symbolic mode applies to its own mode, X to its type), if it is set at all. */
export function wantedMode(entry: TreeEntry, mode: string | number | undefined): number | undefined {
  if (entry.type === 'link' || mode === undefined) return undefined;
  return parseMode(mode, { exists: true, mode: entry.mode, type: entry.type === 'directory' ? 'directory' : 'file' });
}

/** The entries under root whose mode, owner or group differ from what the task wants. */
export async function treeToChange(host: Host, root: string, want: { mode?: string | number; owner?: string; group?: string; follow?: boolean }): Promise<TreeEntry[]> {
  return (await readTree(host, root, want.follow !== false)).filter((e) => {
    const mode = wantedMode(e, want.mode);
    return (mode !== undefined && mode !== e.mode) || (want.owner !== undefined && want.owner !== e.owner) || (want.group !== undefined && want.group !== e.group);
  });
}

async function inChunks(host: Host, argv: string[], paths: string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += CHUNK) await mustRun(host, [...argv, '--', ...paths.slice(i, i + CHUNK)], `${argv.join(' ')} (${paths.length} paths)`);
}

/** Sets each entry's owner/group (one chown per chunk) and mode (one chmod per mode and chunk). */
export async function setTree(host: Host, entries: Array<{ path: string; mode?: number; owner?: string; group?: string; followed?: boolean }>): Promise<void> {
  const byOwner = new Map<string, string[]>();
  const byMode = new Map<number, string[]>();
  for (const e of entries) {
    if (e.owner !== undefined || e.group !== undefined) {
      // "-h " chowns a link itself; a path reached through a link is chowned where it leads.
      const spec = `${e.followed ? '' : '-h '}${e.owner ?? ''}${e.group !== undefined ? `:${e.group}` : ''}`;
      byOwner.set(spec, [...(byOwner.get(spec) ?? []), e.path]);
    }
    if (e.mode !== undefined) byMode.set(e.mode, [...(byMode.get(e.mode) ?? []), e.path]);
  }
  // chown first: it clears setuid/setgid bits, which the chmod after it then sets as wanted.
  for (const [spec, paths] of byOwner) await inChunks(host, ['chown', ...spec.split(' ')], paths);
  for (const [mode, paths] of byMode) await inChunks(host, ['chmod', formatMode(mode)], paths);
}

/** Rollback: the entries that still exist get their old attributes back. */
export async function restoreTree(host: Host, root: string, before: TreeEntry[]): Promise<void> {
  if ((await host.stat(root))?.type !== 'directory') return;
  const now = new Set((await readTree(host, root, before.some((e) => e.followed))).map((e) => e.path));
  await setTree(host, before.filter((e) => now.has(e.path)).map((e) => ({ ...e, mode: e.type === 'link' ? undefined : e.mode })));
}
