// What an archive holds and whether dest already has it (unarchive): GNU tar's and unzip's verbose listings parsed
// (pure), member names kept inside dest, and the comparison of each member with what dest has (type, size, mtime).

export type ArchiveFormat = 'tar' | 'zip';

export interface Member {
  name: string;
  type: 'file' | 'directory' | 'link';
  size: number;
  /** Seconds since the epoch (the listing is taken with TZ=UTC). */
  mtime: number;
}

/** What dest has at a member's path (lstat), or undefined when nothing is there. */
export interface Present { type: 'file' | 'directory' | 'link' | 'other'; size: number; mtime: number }

export const formatOf = (src: string): ArchiveFormat => (/\.zip$/i.test(src) ? 'zip' : 'tar');

/** The listing command (argv) for an archive; extra_opts reach tar so the names are those extraction writes. */
export function listCommand(format: ArchiveFormat, archive: string, extraOpts: string[]): string[] {
  if (format === 'zip') return ['unzip', '-Z', '-l', '-T', archive];
  return ['tar', '--list', '--verbose', '--full-time', '--quoting-style=literal', '--show-transformed-names', ...extraOpts, '--file', archive];
}

/** The extraction command (argv) into dest. */
export function extractCommand(format: ArchiveFormat, archive: string, dest: string, extraOpts: string[]): string[] {
  if (format === 'zip') return ['unzip', '-o', '-q', ...extraOpts, archive, '-d', dest];
  return ['tar', '--extract', ...extraOpts, '--file', archive, '--directory', dest];
}

/** A member name as a path inside dest: leading "/" and "./" dropped (as tar does); "..", empty, NUL refused. */
export function safeMemberName(raw: string): string | undefined {
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || raw.includes('\0')) return undefined;
  return parts.join('/');
}

const utc = (date: string, time: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), Number(time.slice(0, 2)), Number(time.slice(2, 4)), Number(time.slice(4, 6))) / 1000;

function tarMember(line: string): Member | undefined {
  const m = /^(\S)\S*\s+\S+\s+(\d+|\d+,\s*\d+)\s+(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (.*)$/.exec(line);
  if (!m) return undefined;
  const kind = m[1];
  let raw = m[9];
  if (kind === 'l') raw = raw.split(' -> ')[0];
  if (kind === 'h') raw = raw.split(' link to ')[0];
  const name = safeMemberName(raw);
  if (name === undefined) return undefined;
  const type = kind === 'd' ? 'directory' : kind === 'l' || kind === 'h' ? 'link' : 'file';
  return { name, type, size: kind === '-' ? Number(m[2]) : 0, mtime: utc(`${m[3]}${m[4]}${m[5]}`, `${m[6]}${m[7]}${m[8]}`) };
}

function zipMember(line: string): Member | undefined {
  const m = /^(\S+)\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\d+\s+\S+\s+(\d{8})\.(\d{6}) (.*)$/.exec(line);
  if (!m) return undefined;
  const name = safeMemberName(m[5]);
  if (name === undefined) return undefined;
  const type = m[5].endsWith('/') || m[1].startsWith('d') ? 'directory' : m[1].startsWith('l') ? 'link' : 'file';
  return { name, type, size: type === 'file' ? Number(m[2]) : 0, mtime: utc(m[3], m[4]) };
}

/** The members of a verbose listing, in archive order, each name once; folders the archive only implies come first. */
export function parseListing(format: ArchiveFormat, stdout: string): Member[] {
  const parse = format === 'zip' ? zipMember : tarMember;
  const seen = new Set<string>();
  const out: Member[] = [];
  const add = (member: Member) => {
    if (seen.has(member.name)) return;
    seen.add(member.name);
    out.push(member);
  };
  for (const line of stdout.split('\n')) {
    const member = parse(line);
    if (!member) continue;
    const parts = member.name.split('/');
    for (let i = 1; i < parts.length; i++) add({ name: parts.slice(0, i).join('/'), type: 'directory', size: 0, mtime: 0 });
    add(member);
  }
  return out;
}

/** dest already holds the member as extraction would leave it (zip times have 2 s resolution). */
export function memberUpToDate(member: Member, present: Present | undefined): boolean {
  if (!present || present.type !== member.type) return false;
  if (member.type !== 'file') return true;
  return present.size === member.size && Math.abs(present.mtime - member.mtime) <= 2;
}

/** What to ask of each member's path in dest: one line per name read from stdin, "type|size|mtime" or "-". */
export const PRESENT_SCRIPT = 'while IFS= read -r p; do stat -c "%F|%s|%Y" -- "$1/$p" 2>/dev/null || echo -; done';

export function parsePresent(line: string): Present | undefined {
  if (line === '-' || line === '') return undefined;
  const [kind, size, mtime] = line.split('|');
  const type = kind === 'directory' ? 'directory' : kind === 'symbolic link' ? 'link' : kind.startsWith('regular') ? 'file' : 'other';
  return { type, size: Number(size), mtime: Number(mtime) };
}
