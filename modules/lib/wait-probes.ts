// One look at what wait_for waits for, taken on the target: a TCP port (bash's /dev/tcp under coreutils' timeout, the
// values as positional arguments), a path (stat -L) and a regular expression in a file (RE2, multiline, Python's re
// named groups); and the sentence that says what was still not true.

import { RE2JS } from 're2js';
import { ConnectionError, ModuleError } from '../../engine/errors.js';
import type { Host } from '../../engine/types.js';

export interface WaitArgs {
  host?: string;
  port?: number;
  path?: string;
  search_regex?: string;
  state: 'started' | 'present' | 'stopped' | 'absent';
  timeout: number;
  delay: number;
  sleep: number;
  connect_timeout: number;
  msg?: string;
}

/** One look: whether the condition holds, what was seen (for the failure message) and the regex's groups. */
export interface Probe {
  holds: boolean;
  seen: string;
  groups?: string[];
  groupdict?: Record<string, string>;
}

// Connects, prints "+" once connected, then (with "read") what the service sends until it is quiet for a second.
const CONNECT = 'exec 3<>"/dev/tcp/$1/$2" || exit 3; printf "+\\n"; [ "$3" = read ] || exit 0;'
  + ' while IFS= read -r -t 1 -u 3 line; do printf "%s\\n" "$line"; done; printf "%s" "$line"';

export const waitHost = (args: WaitArgs): string => args.host ?? '127.0.0.1';

/** Whether the wanted state is "there" (started/present) rather than "gone" (stopped/absent). */
export const wantsPresent = (args: WaitArgs): boolean => args.state === 'started' || args.state === 'present';

export function compileSearch(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern, RE2JS.MULTILINE);
  } catch (e) {
    throw new ModuleError(`invalid search_regex /${pattern}/: ${(e as Error).message} (RE2 syntax: no backreferences or lookaround)`);
  }
}

/** The groups of the first match of the regex in text (Ansible's match_groups and match_groupdict), or undefined. */
export function searchText(regex: RE2JS, text: string): { groups: string[]; groupdict: Record<string, string> } | undefined {
  const m = regex.matcher(text);
  if (!m.find()) return undefined;
  const groups = Array.from({ length: m.groupCount() }, (_, i) => m.group(i + 1) ?? '');
  const groupdict: Record<string, string> = {};
  for (const [name, index] of Object.entries(regex.namedGroups())) groupdict[name] = m.group(index) ?? '';
  return { groups, groupdict };
}

async function probePort(host: Host, args: WaitArgs, regex: RE2JS | undefined, secondsLeft: number): Promise<Probe> {
  const limit = Math.max(1, Math.min(args.connect_timeout, Math.ceil(secondsLeft)));
  const argv = ['timeout', '-k', '1', String(limit), 'bash', '-c', CONNECT, 'bash', waitHost(args), String(args.port), regex ? 'read' : 'connect'];
  const res = await host.run(argv, { timeoutMs: (limit + 5) * 1000 });
  if (res.code === 127 || res.code === 126) throw new ModuleError(`wait_for needs bash and timeout on the target for port checks: ${res.stderr.trim()}`);
  const connected = res.stdout.startsWith('+\n');
  const want = wantsPresent(args);
  if (!connected) {
    const why = res.code === 124 ? `connect timed out after ${limit} s` : (res.stderr.trim().split('\n')[0] ?? '').replace(/^bash: (line \d+: )?/, '') || `exit ${res.code}`;
    return { holds: !want, seen: why };
  }
  if (!want) return { holds: false, seen: 'it accepted a connection' };
  if (!regex) return { holds: true, seen: 'open' };
  const found = searchText(regex, res.stdout.slice(2));
  return found ? { holds: true, seen: 'matched', ...found } : { holds: false, seen: `it sent no match (${res.stdout.length - 2} bytes)` };
}

async function probePath(host: Host, args: WaitArgs, regex: RE2JS | undefined): Promise<Probe> {
  const path = args.path!;
  const res = await host.run(['stat', '-L', '-c', '%F', '--', path]);
  const exists = res.code === 0;
  if (!exists && !/No such file or directory|Not a directory/.test(res.stderr)) {
    if (wantsPresent(args)) throw new ModuleError(`cannot stat ${path}: ${res.stderr.trim()}`);
  }
  if (!wantsPresent(args)) return { holds: !exists, seen: exists ? 'it exists' : 'gone' };
  if (!exists) return { holds: false, seen: 'it does not exist' };
  if (!regex) return { holds: true, seen: 'exists' };
  let text: string;
  try {
    text = ((await host.readFile(path)) ?? Buffer.alloc(0)).toString('utf8');
  } catch (e) {
    if (e instanceof ConnectionError) throw e;
    return { holds: false, seen: `it cannot be read (${(e as Error).message})` };
  }
  const found = searchText(regex, text);
  return found ? { holds: true, seen: 'matched', ...found } : { holds: false, seen: 'it exists but has no match' };
}

/** One look at the condition; secondsLeft bounds a port check's connect. */
export function probe(host: Host, args: WaitArgs, regex: RE2JS | undefined, secondsLeft: number): Promise<Probe> {
  return args.port !== undefined ? probePort(host, args, regex, secondsLeft) : probePath(host, args, regex);
}

/** What was still not true after the timeout, in words (the task's `msg` replaces it). */
export function timeoutMessage(args: WaitArgs, last: Probe, elapsed: number): string {
  if (args.msg !== undefined) return args.msg;
  const after = `after ${elapsed} s (timeout ${args.timeout} s)`;
  if (args.port !== undefined) {
    const where = `port ${args.port} on ${waitHost(args)}`;
    if (!wantsPresent(args)) return `${where} was still open ${after}: ${last.seen}`;
    if (args.search_regex !== undefined && last.seen.startsWith('it sent')) return `${where} still sent nothing matching /${args.search_regex}/ ${after}: ${last.seen}`;
    return `${where} was still not open ${after}: ${last.seen}`;
  }
  if (!wantsPresent(args)) return `${args.path} still existed ${after}`;
  if (args.search_regex !== undefined && last.seen !== 'it does not exist') return `${args.path} still had no match for /${args.search_regex}/ ${after}: ${last.seen}`;
  return `${args.path} still did not exist ${after}`;
}
