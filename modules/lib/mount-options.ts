// Live mount options against wanted fstab options: which wanted options a mounted filesystem does not have now
// (mountinfo's per-mount and superblock options, values normalised: sizes, octal modes, hidepid names).

/** fstab options that say nothing about a mounted filesystem's live state. */
const NOT_LIVE = new Set(['defaults', 'auto', 'noauto', 'user', 'nouser', 'users', 'owner', 'group', 'nofail', '_netdev', 'async', 'bind', 'rbind', 'loop', 'sw']);
/** Flags the kernel shows only in their negative form (`noexec` shown, `exec` implied by its absence). */
const SHOWN_NEGATED = new Set(['exec', 'suid', 'dev', 'atime', 'diratime']);
/** tmpfs root attributes: set when mounting, ignored by a remount, so comparing them would never converge. */
const MOUNT_TIME_ONLY = new Set(['mode', 'uid', 'gid']);
const HIDEPID: Record<string, string> = { 0: 'off', 1: 'noaccess', 2: 'invisible', 4: 'ptraceable' };

function normalise(key: string, value: string): string {
  if (key === 'hidepid') return HIDEPID[value] ?? value;
  if (key === 'mode') return String(parseInt(value, 8));
  if (key === 'size' || key === 'nr_blocks' || key === 'nr_inodes') {
    const m = /^(\d+)([kmgt]?)$/i.exec(value);
    if (!m) return value;
    return String(Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase()));
  }
  return value;
}

/** Wanted options (as in fstab) the live option string (mountinfo, comma separated) does not satisfy. */
export function missingOptions(wanted: string, live: string): string[] {
  const liveFlags = new Set<string>();
  const liveValues = new Map<string, string>();
  for (const o of live.split(',').filter(Boolean)) {
    const eq = o.indexOf('=');
    if (eq < 0) liveFlags.add(o);
    else liveValues.set(o.slice(0, eq), normalise(o.slice(0, eq), o.slice(eq + 1)));
  }
  return wanted.split(',').filter(Boolean).filter((o) => {
    if (NOT_LIVE.has(o) || o.startsWith('x-') || o.startsWith('comment=')) return false;
    const eq = o.indexOf('=');
    if (eq >= 0) {
      const key = o.slice(0, eq);
      if (MOUNT_TIME_ONLY.has(key)) return false;
      return liveValues.get(key) !== normalise(key, o.slice(eq + 1));
    }
    if (SHOWN_NEGATED.has(o)) return liveFlags.has(`no${o}`);
    return !liveFlags.has(o);
  });
}

/** Options for `mount -o remount,...` that bring the live options back to `before`: a remount keeps flags it is not
 * told about, so flags added since (nosuid, ro, ...) are cleared by their opposites. */
export function restoringOptions(before: string, now: string): string {
  const had = new Set(before.split(',').filter(Boolean));
  const cleared = now.split(',').filter((o) => o && !o.includes('=') && !had.has(o)).flatMap((o) => {
    if (o === 'ro') return ['rw'];
    if (o === 'rw') return ['ro'];
    if (o.startsWith('no') && SHOWN_NEGATED.has(o.slice(2))) return [o.slice(2)];
    return [];
  });
  return [...had].filter((o) => !MOUNT_TIME_ONLY.has(o.split('=')[0])).concat(cleared).join(',');
}
