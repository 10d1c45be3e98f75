// fstab: a filesystem line in /etc/fstab and, optionally, the mount itself. Bind mounts are recognised from
// /proc/self/mountinfo so they are not remounted on every run; UUID=/LABEL= sources resolved through blkid.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { missingOptions, restoringOptions } from './lib/mount-options.js';
import { formatFstabLine, parseFstabLine, parseMountinfo, sameEntry, setFstabEntry, type FstabEntry } from './lib/fstab-line.js';
import { absolutePath, filePath, fstabField } from './lib/arg-kinds.js';
import { mustRun } from './lib/must-run.js';

interface FstabArgs {
  path: string;
  src?: string;
  fstype: string;
  opts: string;
  dump: string | number;
  passno: string | number;
  state: 'present' | 'mounted' | 'unmounted' | 'absent' | 'remounted';
  fstab: string;
}

interface FstabState {
  file: FileState;
  mounted: boolean;
  /** What is mounted at path now (for messages and drift). */
  mountedSource?: string;
  /** The device a UUID=/LABEL= source resolves to (blkid), when it does. */
  resolved?: string;
  /** For a bind mount: the directory currently bound at path, when it is one. */
  boundFrom?: string;
  /** The live options of what is mounted at path (per-mount and superblock, comma separated). */
  liveOptions?: string;
}

/** What apply does: write the file (after), mount, remount or unmount. */
interface FstabData { after?: string; mount?: boolean; remount?: boolean; unmount?: boolean; remountOptions?: boolean }

/** state: remounted: only the live mount, never the file. */
function planRemount(s: FstabState, args: FstabArgs): Change<FstabData>[] {
  if (!s.mounted) throw new ModuleError(`${args.path} is not mounted: nothing to remount (state: mounted mounts it)`);
  if (args.opts === 'defaults') return [{ msg: `remount ${args.path}`, data: { remountOptions: true } }];
  const missing = missingOptions(args.opts, s.liveOptions ?? '');
  return missing.length > 0 ? [{ msg: `remount ${args.path} with ${args.opts} (live options lack ${missing.join(',')})`, data: { remountOptions: true } }] : [];
}

const isBind = (opts: string) => opts.split(',').includes('bind') || opts.split(',').includes('rbind');

/** The schema requires src unless state: absent. */
function entryOf(args: FstabArgs): FstabEntry {
  return { src: args.src!, path: args.path, fstype: args.fstype, opts: args.opts, dump: String(args.dump), passno: String(args.passno) };
}

async function mountState(host: Host, args: FstabArgs): Promise<Pick<FstabState, 'mounted' | 'mountedSource' | 'boundFrom' | 'liveOptions'>> {
  const info = parseMountinfo((await host.readFile('/proc/self/mountinfo'))?.toString('utf8') ?? '');
  const at = info.filter((m) => m.mountPoint === args.path.replace(/\/+$/, '') || (args.path === '/' && m.mountPoint === '/')).pop();
  if (!at) return { mounted: false };
  // A bind mount shows its source directory as `root` relative to the filesystem mounted at some other point.
  let boundFrom: string | undefined;
  if (at.root !== '/') {
    const base = info.filter((m) => m.source === at.source && m.root === '/' && m.mountPoint !== at.mountPoint).pop();
    boundFrom = base ? `${base.mountPoint === '/' ? '' : base.mountPoint}${at.root}` : at.root;
  }
  return { mounted: true, mountedSource: at.source, boundFrom, liveOptions: [at.options, at.superOptions].filter(Boolean).join(',') };
}

export default defineModule<FstabArgs, FstabState, FstabData>({
  name: 'fstab',
  doc: 'Manage a line of /etc/fstab (options compared as sets; your line is written exactly as given) and optionally the mount: present (line only), mounted (line + mounted, mount point created), unmounted, absent. Bind mounts are recognised and not remounted on every run. A mounted filesystem whose live options (/proc/self/mountinfo) lack wanted ones is remounted in place (`mount -o remount,OPTS`, never unmounted), and check mode reports that drift.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    allOf: [
      { if: { properties: { state: { enum: ['present', 'mounted', 'unmounted'] } } }, then: { required: ['src'] } },
      { if: { properties: { state: { const: 'remounted' } }, required: ['state'] }, then: { properties: { src: false } } },
    ],
    properties: {
      path: { ...absolutePath, description: 'The mount point.' },
      src: { ...filePath, description: 'Device, UUID=..., LABEL=..., or a directory for bind mounts.' },
      fstype: { ...fstabField, default: 'auto', description: 'Filesystem type (none for bind mounts).' },
      opts: { ...fstabField, default: 'defaults', description: 'Mount options, comma separated (compared as a set).' },
      dump: { anyOf: [{ type: 'string', title: 'number', pattern: '^[0-9]+$' }, { type: 'integer' }], default: '0', description: 'dump field.' },
      passno: { anyOf: [{ type: 'string', title: 'number', pattern: '^[0-9]+$' }, { type: 'integer' }], default: '0', description: 'fsck pass number.' },
      state: { enum: ['present', 'mounted', 'unmounted', 'absent', 'remounted'], default: 'mounted', description: 'present: the line only; mounted: line and mount; unmounted: line, not mounted; absent: no line, not mounted; remounted: the mounted filesystem is remounted in place with opts (the fstab file is left as it is) when its live options lack one of them, and on every run when opts is defaults (a refresh, as Ansible\'s remounted).' },
      fstab: { ...absolutePath, default: '/etc/fstab', description: 'The fstab file.' },
    },
  },
  examples: [
    { name: 'Data disk by UUID', args: { path: '/mnt/root', src: 'UUID=655a39e8-9a5d-45f3-ae14-73b4c5ed50c3', fstype: 'ext4', opts: 'defaults,rw,user,auto,exec' } },
    { name: 'etcd data on the RAID', args: { path: '/var/lib/etcd', src: '/mnt/root/var/lib/etcd', fstype: 'none', opts: 'defaults,bind' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const file = await readFileState(host, args.fstab);
    let resolved: string | undefined;
    if (args.src && /^(UUID|LABEL|PARTUUID)=/.test(args.src) && args.state === 'mounted') {
      const [kind, value] = [args.src.slice(0, args.src.indexOf('=')), args.src.slice(args.src.indexOf('=') + 1)];
      const res = await host.run(['blkid', kind === 'UUID' ? '-U' : kind === 'LABEL' ? '-L' : '-t', kind === 'PARTUUID' ? `PARTUUID=${value}` : value]);
      resolved = res.code === 0 ? res.stdout.trim() || undefined : undefined;
    }
    return { file, resolved, ...(await mountState(host, args)) };
  },
  plan(s, args): Change<FstabData>[] {
    if (args.state === 'remounted') return planRemount(s, args);
    const before = s.file.content ?? '';
    const current = before.split('\n').map(parseFstabLine).find((e) => e?.path === args.path);
    const changes: Change<FstabData>[] = [];
    const wantLine = args.state !== 'absent';
    const entry = wantLine ? entryOf(args) : undefined;
    if (entry ? !current || !sameEntry(current, entry) : current) {
      const after = setFstabEntry(before, args.path, entry);
      changes.push({
        msg: entry ? `${current ? 'update' : 'add'} ${args.fstab} line: ${formatFstabLine(entry)}` : `remove ${args.path} from ${args.fstab}`,
        diff: { path: args.fstab, before, after },
        data: { after },
      });
    }
    if (args.state === 'mounted') {
      if (/^(UUID|LABEL|PARTUUID)=/.test(args.src!) && !s.resolved && !s.mounted) {
        throw new ModuleError(`${args.src} does not match any block device on this host (blkid found nothing): cannot mount ${args.path}`);
      }
      if (!s.mounted) changes.push({ msg: `mount ${args.path}`, data: { mount: true } });
      else if (isBind(args.opts) && s.boundFrom !== undefined && s.boundFrom !== args.src) {
        changes.push({ msg: `${args.path} is bound from ${s.boundFrom}, wanted ${args.src}: remount`, data: { remount: true } });
      } else if (!isBind(args.opts) && s.mountedSource && !args.src!.includes('=') && s.mountedSource !== args.src && s.mountedSource !== s.resolved) {
        changes.push({ msg: `${args.path} has ${s.mountedSource} mounted, wanted ${args.src}: remount`, data: { remount: true } });
      } else {
        // Same filesystem: options are changed in place (mount -o remount), never by unmounting a busy filesystem.
        const missing = missingOptions(args.opts, s.liveOptions ?? '');
        if (missing.length > 0) changes.push({ msg: `remount ${args.path} with ${args.opts} (live options lack ${missing.join(',')})`, data: { remountOptions: true } });
      }
    }
    if ((args.state === 'unmounted' || args.state === 'absent') && s.mounted) changes.push({ msg: `unmount ${args.path}`, data: { unmount: true } });
    return changes;
  },
  async apply(host, args, changes) {
    const must = (cmd: string[]) => mustRun(host, cmd);
    const d: FstabData = Object.assign({}, ...changes.map((c) => c.data));
    if (d.unmount || d.remount) await must(['umount', '--', args.path]);
    if (d.after !== undefined) await host.writeFile(args.fstab, d.after);
    if (d.remountOptions) await must(['mount', '-o', args.opts === 'defaults' ? 'remount' : `remount,${args.opts}`, '--', args.path]);
    if (d.mount || d.remount) {
      await must(['mkdir', '-p', '--', args.path]);
      if (isBind(args.opts)) await must(['mkdir', '-p', '--', args.src!]);
      await must(['mount', ...(args.fstab !== '/etc/fstab' ? ['-T', args.fstab] : []), '--', args.path]);
    }
  },
  async revert(host, { before, args }) {
    const now = await mountState(host, args);
    if (now.mounted && before.mounted && before.liveOptions && before.liveOptions !== now.liveOptions) {
      await mustRun(host, ['mount', '-o', `remount,${restoringOptions(before.liveOptions, now.liveOptions ?? '')}`, '--', args.path], `mount -o remount ${args.path} (options back to ${before.liveOptions})`);
    }
    if (now.mounted && !before.mounted) {
      await mustRun(host, ['umount', '--', args.path], `umount ${args.path}`);
    }
    if (args.state !== 'remounted') await restoreFile(host, before.file);
    if (!now.mounted && before.mounted) {
      await mustRun(host, ['mount', ...(args.fstab !== '/etc/fstab' ? ['-T', args.fstab] : []), '--', args.path], `mount ${args.path}`);
    }
  },
});
