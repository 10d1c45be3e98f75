// What fstab (Ansible's mount) reads before planning: the fstab file, what is mounted at the path (mountinfo: source,
// bind source, live options), the mount point itself, and a UUID=/LABEL= source resolved through blkid.

import type { Host } from '../../engine/types.js';
import { readFileState, type FileState } from './file-state.js';
import { parseMountinfo } from './fstab-line.js';

export type MountStateName = 'present' | 'mounted' | 'unmounted' | 'absent' | 'absent_from_fstab' | 'remounted' | 'ephemeral';

export interface FstabArgs {
  path: string;
  src?: string;
  fstype: string;
  opts: string;
  dump: string | number;
  passno: string | number;
  state: MountStateName;
  fstab: string;
  boot: boolean;
  backup: boolean;
}

export interface FstabState {
  file: FileState;
  mounted: boolean;
  /** What is mounted at path now (for messages and drift), and its filesystem type. */
  mountedSource?: string;
  mountedType?: string;
  /** The device a UUID=/LABEL= source resolves to (blkid), when it does. */
  resolved?: string;
  /** For a bind mount: the directory currently bound at path, when it is one. */
  boundFrom?: string;
  /** The live options of what is mounted at path (per-mount and superblock, comma separated). */
  liveOptions?: string;
  /** The mount point (state absent removes it, rollback makes it again): its type and attributes, when it exists. */
  mountPoint?: { type: string; mode?: number; owner?: string; group?: string };
}

export const isBind = (opts: string) => opts.split(',').includes('bind') || opts.split(',').includes('rbind');

export async function mountState(host: Host, args: Pick<FstabArgs, 'path'>): Promise<Pick<FstabState, 'mounted' | 'mountedSource' | 'mountedType' | 'boundFrom' | 'liveOptions'>> {
  const info = parseMountinfo((await host.readFile('/proc/self/mountinfo'))?.toString('utf8') ?? '');
  const at = info.filter((m) => m.mountPoint === args.path.replace(/\/+$/, '') || (args.path === '/' && m.mountPoint === '/')).pop();
  if (!at) return { mounted: false };
  // A bind mount shows its source directory as `root` relative to the filesystem mounted at some other point.
  let boundFrom: string | undefined;
  if (at.root !== '/') {
    // The same filesystem (device, not source name: every tmpfs is called tmpfs) mounted whole somewhere else.
    const base = info.filter((m) => m.device === at.device && m.root === '/' && m.mountPoint !== at.mountPoint).pop();
    boundFrom = base ? `${base.mountPoint === '/' ? '' : base.mountPoint}${at.root}` : at.root;
  }
  return { mounted: true, mountedSource: at.source, mountedType: at.fstype, boundFrom, liveOptions: [at.options, at.superOptions].filter(Boolean).join(',') };
}

async function resolveSource(host: Host, src: string): Promise<string | undefined> {
  const [kind, value] = [src.slice(0, src.indexOf('=')), src.slice(src.indexOf('=') + 1)];
  const res = await host.run(['blkid', kind === 'UUID' ? '-U' : kind === 'LABEL' ? '-L' : '-t', kind === 'PARTUUID' ? `PARTUUID=${value}` : value]);
  return res.code === 0 ? res.stdout.trim() || undefined : undefined;
}

export async function inspectMount(host: Host, args: FstabArgs): Promise<FstabState> {
  const file = await readFileState(host, args.fstab);
  const mounting = args.state === 'mounted' || args.state === 'ephemeral';
  const resolved = args.src && /^(UUID|LABEL|PARTUUID)=/.test(args.src) && mounting ? await resolveSource(host, args.src) : undefined;
  const point = args.state === 'absent' ? await host.stat(args.path) : null;
  const mountPoint = point ? { type: point.type, mode: point.mode & 0o7777, owner: point.owner, group: point.group } : undefined;
  return { file, resolved, mountPoint, ...(await mountState(host, args)) };
}
