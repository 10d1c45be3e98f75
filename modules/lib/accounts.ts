// Local accounts as user and group read them: passwd/shadow/group entries in one round trip, name rules, and
// running the shadow tools (useradd, usermod, groupadd...) with `--` before the name.

import { ModuleError } from '../../engine/errors.js';
import type { Host } from '../../engine/types.js';

/** A user or group name as the shadow tools take it: never an option. */
export const ACCOUNT_NAME = {
  type: 'string',
  maxLength: 32,
  pattern: '^[A-Za-z_][A-Za-z0-9_.-]*\\$?$',
  patternHint: 'an account name (letters, digits, _.-, at most 32; not starting with - or a digit)',
};

/** The shadow fields besides the hash, kept so revert can put an entry back exactly (chage). */
export interface ShadowAging { lastChange: string; min: string; max: string; warn: string; inactive: string; expire: string }

export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
  /** Primary group's name (the gid when it has none). */
  group: string;
  comment: string;
  home: string;
  shell: string;
  /** Supplementary groups, sorted. */
  groups: string[];
  /** The crypt hash from /etc/shadow ('!...' when locked); undefined when shadow could not be read. */
  hash?: string;
  aging?: ShadowAging;
}

export interface GroupEntry { name: string; gid: number; members: string[] }

export interface Accounts {
  user: UserEntry | null;
  /** Every group on the host. */
  groups: GroupEntry[];
  /** Whether the home the user has (or would get) exists as a directory. */
  homeExists: boolean;
}

// One round trip: the passwd and shadow lines of the user, every group, and whether the home is a directory.
const READ_SCRIPT = 'getent passwd -- "$1"; echo "#shadow"; getent shadow -- "$1"; echo "#groups"; getent group; echo "#home"; home=$(getent passwd -- "$1" | cut -d: -f6); [ -d "${home:-$2}" ] && echo yes';

export async function readAccounts(host: Host, name: string, defaultHome: string): Promise<Accounts> {
  const res = await host.run(['sh', '-c', READ_SCRIPT, 'sh', name, defaultHome]);
  const [passwd, shadow, group, home] = res.stdout.split(/^#(?:shadow|groups|home)\n?/m);
  const groups = (group ?? '').split('\n').filter(Boolean).map((line) => {
    const [gname, , gid, members] = line.split(':');
    return { name: gname, gid: Number(gid), members: members ? members.split(',').filter(Boolean) : [] };
  });
  const fields = (passwd ?? '').trim().split(':');
  let user: UserEntry | null = null;
  if (fields.length >= 7 && fields[0] === name) {
    const gid = Number(fields[3]);
    const s = (shadow ?? '').trim().split(':');
    user = {
      name, uid: Number(fields[2]), gid, group: groups.find((g) => g.gid === gid)?.name ?? String(gid), comment: fields[4], home: fields[5], shell: fields[6],
      groups: groups.filter((g) => g.members.includes(name)).map((g) => g.name).sort(),
      ...(s.length >= 8 && s[0] === name ? { hash: s[1], aging: { lastChange: s[2], min: s[3], max: s[4], warn: s[5], inactive: s[6], expire: s[7] } } : {}),
    };
  }
  return { user, groups, homeExists: (home ?? '').trim() === 'yes' };
}

/** Runs a shadow tool (useradd, usermod, chpasswd...) and throws with its words when it fails. */
export async function runTool(host: Host, argv: string[], stdin?: string): Promise<void> {
  const res = await host.run(argv, stdin !== undefined ? { stdin } : {});
  if (res.code !== 0) throw new ModuleError(`${argv[0]} failed (exit ${res.code}): ${`${res.stderr}${res.stdout}`.trim()}`);
}

/** Sets a crypt hash through chpasswd's stdin, so it never shows on a command line. */
export function setHash(host: Host, name: string, hash: string): Promise<void> {
  return runTool(host, ['chpasswd', '-e'], `${name}:${hash}\n`);
}

/** Puts back the shadow aging fields exactly as they were (an empty field is -1 to chage). */
export function setAging(host: Host, name: string, a: ShadowAging): Promise<void> {
  const v = (x: string) => (x === '' ? '-1' : x);
  return runTool(host, ['chage', '-d', v(a.lastChange), '-m', v(a.min), '-M', v(a.max), '-W', v(a.warn), '-I', v(a.inactive), '-E', v(a.expire), '--', name]);
}
