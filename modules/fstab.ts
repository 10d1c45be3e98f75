// fstab: a filesystem line in /etc/fstab and, optionally, the mount itself; the twin of Ansible's mount module
// (ansible.posix.mount: its states, boot and backup). Bind mounts are recognised from /proc/self/mountinfo so they
// are not remounted on every run; UUID=/LABEL= sources resolved through blkid.

import path from 'node:path';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { restoreFile, setAttributes } from './lib/file-state.js';
import { missingOptions, restoringOptions } from './lib/mount-options.js';
import { formatFstabLine, parseFstabLine, sameEntry, setFstabEntry, type FstabEntry } from './lib/fstab-line.js';
import { absolutePath, filePath, fstabField } from './lib/arg-kinds.js';
import { mustRun } from './lib/must-run.js';
import { inspectMount, isBind, mountState, type FstabArgs, type FstabState } from './lib/mount-state.js';
import { backupCopy, removeBackup } from './lib/backup-file.js';

/** What apply does: write the file (after), mount, remount or unmount, remove the mount point. */
interface FstabData {
  after?: string; mount?: boolean; remount?: boolean; unmount?: boolean; remountOptions?: boolean; ephemeral?: boolean; rmdir?: boolean;
}

/** Ansible's mount adds noauto to the options for boot: false, unless they say defaults or noauto already. */
export function effectiveOptions(args: Pick<FstabArgs, 'opts' | 'boot'>): string {
  const opts = args.opts.split(',');
  return args.boot === false && !opts.includes('noauto') && !opts.includes('defaults') ? [...opts, 'noauto'].join(',') : args.opts;
}

/** The schema requires src for the states that write the line. */
function entryOf(args: FstabArgs): FstabEntry {
  return { src: args.src!, path: args.path, fstype: args.fstype, opts: effectiveOptions(args), dump: String(args.dump), passno: String(args.passno) };
}

/** state: remounted: only the live mount, never the file. */
function planRemount(s: FstabState, args: FstabArgs): Change<FstabData>[] {
  if (!s.mounted) throw new ModuleError(`${args.path} is not mounted: nothing to remount (state: mounted mounts it)`);
  if (args.opts === 'defaults') return [{ msg: `remount ${args.path}`, data: { remountOptions: true } }];
  const missing = missingOptions(args.opts, s.liveOptions ?? '');
  return missing.length > 0 ? [{ msg: `remount ${args.path} with ${args.opts} (live options lack ${missing.join(',')})`, data: { remountOptions: true } }] : [];
}

/** The fstab line: added, updated or removed (entry undefined). */
function planLine(s: FstabState, args: FstabArgs, entry: FstabEntry | undefined): Change<FstabData>[] {
  const before = s.file.content ?? '';
  const current = before.split('\n').map(parseFstabLine).find((e) => e?.path === args.path);
  if (entry ? current && sameEntry(current, entry) : !current) return [];
  const after = setFstabEntry(before, args.path, entry);
  const msg = entry ? `${current ? 'update' : 'add'} ${args.fstab} line: ${formatFstabLine(entry)}` : `remove ${args.path} from ${args.fstab}`;
  return [{ msg, diff: { path: args.fstab, before, after }, data: { after } }];
}

/** Mounted already: the right source (else remount), and the wanted options live (else remount in place). */
function planMountedAlready(s: FstabState, args: FstabArgs, opts: string): Change<FstabData>[] {
  if (isBind(opts) && s.boundFrom !== undefined && s.boundFrom !== args.src) {
    return [{ msg: `${args.path} is bound from ${s.boundFrom}, wanted ${args.src}: remount`, data: { remount: true } }];
  }
  if (!isBind(opts) && s.mountedSource && !args.src!.includes('=') && s.mountedSource !== args.src && s.mountedSource !== s.resolved) {
    return [{ msg: `${args.path} has ${s.mountedSource} mounted, wanted ${args.src}: remount`, data: { remount: true } }];
  }
  // Same filesystem: options are changed in place (mount -o remount), never by unmounting a busy filesystem.
  const missing = missingOptions(opts, s.liveOptions ?? '');
  return missing.length > 0 ? [{ msg: `remount ${args.path} with ${opts} (live options lack ${missing.join(',')})`, data: { remountOptions: true } }] : [];
}

/** state: mounted (line + mount) and ephemeral (mount only, from the arguments, fstab untouched). */
function planMounted(s: FstabState, args: FstabArgs): Change<FstabData>[] {
  const ephemeral = args.state === 'ephemeral';
  const changes = ephemeral ? [] : planLine(s, args, entryOf(args));
  if (/^(UUID|LABEL|PARTUUID)=/.test(args.src!) && !s.resolved && !s.mounted) {
    throw new ModuleError(`${args.src} does not match any block device on this host (blkid found nothing): cannot mount ${args.path}`);
  }
  if (!s.mounted) return [...changes, { msg: `mount ${args.path}${ephemeral ? ` (${args.src}, ${args.fstype}, not in ${args.fstab})` : ''}`, data: { mount: true, ephemeral } }];
  if (ephemeral && s.mountedSource !== args.src && s.boundFrom !== args.src && s.mountedSource !== s.resolved) {
    // Ansible's words.
    throw new ModuleError('Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to prevent an unwanted unmount or override operation. Try replacing this command with a "state: unmounted" followed by a "state: ephemeral", or use a different destination path.');
  }
  return [...changes, ...planMountedAlready(s, args, effectiveOptions(args))];
}

/** absent (line removed, unmounted, the mount point directory removed) and absent_from_fstab (the line only). */
function planAbsent(s: FstabState, args: FstabArgs): Change<FstabData>[] {
  const changes = planLine(s, args, undefined);
  if (args.state === 'absent_from_fstab') return changes;
  if (s.mounted) changes.push({ msg: `unmount ${args.path}`, data: { unmount: true } });
  // As Ansible: the mount point goes with the line (rmdir: only an empty directory).
  if (changes.length > 0 && s.mountPoint?.type === 'directory') changes.push({ msg: `remove the mount point ${args.path} (rmdir)`, data: { rmdir: true } });
  return changes;
}

/** mount(8) for the path: from the fstab line, or (ephemeral) from the arguments. */
function mountCommand(args: FstabArgs, ephemeral: boolean): string[] {
  if (ephemeral) {
    const opts = effectiveOptions(args);
    return ['mount', '-t', args.fstype, ...(opts !== 'defaults' ? ['-o', opts] : []), '--', args.src!, args.path];
  }
  return ['mount', ...(args.fstab !== '/etc/fstab' ? ['-T', args.fstab] : []), '--', args.path];
}

/** Ansible's registered fields (its args dict): the options after boot, boot as yes/no. */
function registeredFields(args: FstabArgs): Record<string, unknown> {
  const result: Record<string, unknown> = { name: args.path, opts: effectiveOptions(args), dump: String(args.dump), passno: String(args.passno), fstab: args.fstab, boot: args.boot === false ? 'no' : 'yes', backup_file: '' };
  if (args.src !== undefined) Object.assign(result, { src: args.src, fstype: args.fstype });
  return result;
}

const number = { anyOf: [{ type: 'string', title: 'number', pattern: '^[0-9]+$' }, { type: 'integer' }] };

export default defineModule<FstabArgs, FstabState, FstabData>({
  name: 'fstab',
  doc: 'Manage a line of /etc/fstab (options compared as sets; your line is written exactly as given) and optionally the mount: Ansible\'s mount module (`mount`, `ansible.posix.mount`) runs as this one. present (line only), mounted (line + mounted, mount point created), unmounted (unmount only), absent (no line, not mounted, the empty mount point removed), absent_from_fstab (no line), ephemeral (mounted from the arguments, fstab untouched), remounted. Bind mounts are recognised and not remounted on every run. A mounted filesystem whose live options (/proc/self/mountinfo) lack wanted ones is remounted in place (`mount -o remount,OPTS`, never unmounted), and check mode reports that drift.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    allOf: [
      { if: { properties: { state: { enum: ['present', 'mounted', 'ephemeral'] } } }, then: { required: ['src'] } },
    ],
    properties: {
      path: { ...absolutePath, description: 'The mount point (Ansible\'s alias: name).' },
      src: { ...filePath, description: 'Device, UUID=..., LABEL=..., or a directory for bind mounts (required by present, mounted and ephemeral; unused by the other states).' },
      fstype: { ...fstabField, default: 'auto', description: 'Filesystem type (none for bind mounts).' },
      opts: { ...fstabField, default: 'defaults', description: 'Mount options, comma separated (compared as a set).' },
      dump: { ...number, default: '0', description: 'dump field.' },
      passno: { ...number, default: '0', description: 'fsck pass number.' },
      state: { enum: ['present', 'mounted', 'unmounted', 'absent', 'absent_from_fstab', 'remounted', 'ephemeral'], default: 'mounted', description: 'present: the line only; mounted: line and mount (a changed line on a mounted filesystem is applied in place); unmounted: not mounted (the file untouched); absent: no line, not mounted, and the mount point directory removed when the line was there (rmdir: only when empty, as Ansible); absent_from_fstab: no line (the mount untouched); ephemeral: mounted from src, fstype and opts without touching the file (an existing mount of another source is an error, as in Ansible); remounted: the mounted filesystem is remounted in place with opts (the fstab file is left as it is) when its live options lack one of them, and on every run when opts is defaults (a refresh, as Ansible\'s remounted).' },
      fstab: { ...absolutePath, default: '/etc/fstab', description: 'The fstab file (created, with its folder, when missing).' },
      boot: { type: 'boolean', default: true, description: 'false: noauto is added to the options (not when they hold defaults or noauto already, as Ansible), so the filesystem is not mounted at boot.' },
      backup: { type: 'boolean', default: false, description: 'Before rewriting the fstab file, copy it beside itself as FILE.PID.DATE@TIME~ (registered as backup_file; rollback removes it).' },
    },
  },
  examples: [
    { name: 'Data disk by UUID', args: { path: '/mnt/root', src: 'UUID=655a39e8-9a5d-45f3-ae14-73b4c5ed50c3', fstype: 'ext4', opts: 'defaults,rw,user,auto,exec' } },
    { name: 'etcd data on the RAID', args: { path: '/var/lib/etcd', src: '/mnt/root/var/lib/etcd', fstype: 'none', opts: 'defaults,bind' } },
    { name: 'A scratch tmpfs for this boot only', args: { path: '/mnt/scratch', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=64m', state: 'ephemeral' } },
  ],
  reversible: true,
  inspect: inspectMount,
  plan(s, args): Change<FstabData>[] {
    switch (args.state) {
      case 'remounted': return planRemount(s, args);
      case 'present': return planLine(s, args, entryOf(args));
      case 'mounted': case 'ephemeral': return planMounted(s, args);
      case 'unmounted': return s.mounted ? [{ msg: `unmount ${args.path}`, data: { unmount: true } }] : [];
      default: return planAbsent(s, args);
    }
  },
  report(_s, args) {
    return { result: registeredFields(args) };
  },
  async apply(host, args, changes, current) {
    const must = (cmd: string[]) => mustRun(host, cmd);
    const d: FstabData = Object.assign({}, ...changes.map((c) => c.data));
    if (d.unmount || d.remount) await must(['umount', '--', args.path]);
    let backup: string | undefined;
    if (d.after !== undefined) {
      if (args.backup && current.file.exists) backup = await backupCopy(host, args.fstab);
      // As Ansible, a missing fstab file is created, with its folder.
      if (!current.file.exists) await must(['mkdir', '-p', '--', path.posix.dirname(args.fstab)]);
      await host.writeFile(args.fstab, d.after);
    }
    if (d.remountOptions) {
      const opts = args.state === 'remounted' ? args.opts : effectiveOptions(args);
      await must(['mount', '-o', opts === 'defaults' ? 'remount' : `remount,${opts}`, '--', args.path]);
    }
    if (d.mount || d.remount) {
      await must(['mkdir', '-p', '--', args.path]);
      if (isBind(args.opts)) await must(['mkdir', '-p', '--', args.src!]);
      await must(mountCommand(args, d.ephemeral === true));
    }
    if (d.rmdir) await mustRun(host, ['rmdir', '--', args.path], `Error rmdir ${args.path}`);
    return { undo: backup ? { backup_file: backup } : undefined, result: { ...registeredFields(args), backup_file: backup ?? '' } };
  },
  async revert(host, { before, args, undo }) {
    const point = before.mountPoint;
    if (point?.type === 'directory' && !(await host.stat(args.path))) {
      await mustRun(host, ['mkdir', '--', args.path], `mkdir ${args.path}`);
      // A mounted path showed the mounted filesystem's root, not the directory under it: its attributes are unknown.
      if (!before.mounted) await setAttributes(host, args.path, point);
    }
    const now = await mountState(host, args);
    if (now.mounted && before.mounted && before.liveOptions && before.liveOptions !== now.liveOptions) {
      await mustRun(host, ['mount', '-o', `remount,${restoringOptions(before.liveOptions, now.liveOptions ?? '')}`, '--', args.path], `mount -o remount ${args.path} (options back to ${before.liveOptions})`);
    }
    if (now.mounted && !before.mounted) await mustRun(host, ['umount', '--', args.path], `umount ${args.path}`);
    if (args.state !== 'remounted' && args.state !== 'ephemeral' && args.state !== 'unmounted') await restoreFile(host, before.file);
    await removeBackup(host, undo);
    if (!now.mounted && before.mounted) await remountBefore(host, args, before);
  },
});

/** Rollback of an unmount: mount it again as it was (from the restored fstab line, or the source it had). */
async function remountBefore(host: Host, args: FstabArgs, before: FstabState): Promise<void> {
  const line = (before.file.content ?? '').split('\n').map(parseFstabLine).find((e) => e?.path === args.path);
  const argv = line || !before.mountedSource
    ? mountCommand(args, false)
    : before.boundFrom ? ['mount', '--bind', '--', before.boundFrom, args.path]
      : ['mount', '-t', before.mountedType ?? 'auto', '-o', before.liveOptions ?? 'defaults', '--', before.mountedSource, args.path];
  await mustRun(host, argv, `mount ${args.path}`);
}
