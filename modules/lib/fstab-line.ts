// /etc/fstab lines and /proc/self/mountinfo: parsed, compared (options as sets), written back as the user wrote them.

export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

/** fstab escapes spaces and tabs as \040 and \011. */
const unescape = (s: string) => s.replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
const escape = (s: string) => s.replace(/[ \t\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

export function parseFstabLine(line: string): FstabEntry | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#')) return undefined;
  const f = t.split(/\s+/);
  if (f.length < 2) return undefined;
  return { src: unescape(f[0]), path: unescape(f[1]), fstype: f[2] ?? 'auto', opts: f[3] ?? 'defaults', dump: f[4] ?? '0', passno: f[5] ?? '0' };
}

export function formatFstabLine(e: FstabEntry): string {
  return [escape(e.src), escape(e.path), e.fstype, e.opts, e.dump, e.passno].join(' ');
}

/** Options as a set: "defaults,rw" equals "rw,defaults". */
export function sameOptions(a: string, b: string): boolean {
  const sa = new Set(a.split(',').map((x) => x.trim()).filter(Boolean));
  const sb = new Set(b.split(',').map((x) => x.trim()).filter(Boolean));
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

export function sameEntry(a: FstabEntry, b: FstabEntry): boolean {
  return a.src === b.src && a.path === b.path && a.fstype === b.fstype && sameOptions(a.opts, b.opts) && a.dump === b.dump && a.passno === b.passno;
}

/** The fstab text with the entry for `path` replaced (or removed when entry is undefined); other lines kept. */
export function setFstabEntry(text: string, path: string, entry: FstabEntry | undefined): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let done = false;
  for (const l of lines) {
    const e = parseFstabLine(l);
    if (e && e.path === path) {
      if (entry && !done) out.push(formatFstabLine(entry));
      done = true;
      continue;
    }
    out.push(l);
  }
  if (!done && entry) out.push(formatFstabLine(entry));
  return out.length ? `${out.join('\n')}\n` : '';
}

export interface MountInfo {
  /** major:minor of the filesystem: the same for a filesystem and its bind mounts, different for two tmpfs. */
  device: string;
  /** The path inside the source filesystem that is mounted (a bind mount's source directory, relative to its fs). */
  root: string;
  mountPoint: string;
  fstype: string;
  source: string;
  options: string;
  /** The superblock options (after the source): tmpfs size and mode, proc hidepid, ... */
  superOptions: string;
}

/** /proc/self/mountinfo lines (fields: id parent major:minor root mountpoint options ... - fstype source superopts). */
export function parseMountinfo(text: string): MountInfo[] {
  return text.split('\n').filter(Boolean).map((l) => {
    const [pre, post] = l.split(' - ');
    const f = pre.split(' ');
    const g = (post ?? '').split(' ');
    return { device: f[2], root: unescape(f[3]), mountPoint: unescape(f[4]), options: f[5], fstype: g[0], source: unescape(g[1] ?? ''), superOptions: g[2] ?? '' };
  });
}
