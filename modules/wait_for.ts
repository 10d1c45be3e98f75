// wait_for: wait, on the target, until a TCP port is open or closed, a path exists or is gone, or a file holds a
// regular expression (Ansible's wait_for); read-only, so it waits in check mode too, as Ansible's does.

import { setTimeout as sleep } from 'node:timers/promises';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Host } from '../engine/types.js';
import { absolutePath, hostOrAddress } from './lib/arg-kinds.js';
import { compileSearch, probe, timeoutMessage, wantsPresent, waitHost, type Probe, type WaitArgs } from './lib/wait-probes.js';

/** What the wait ended with: seconds waited and the regex's groups (Ansible's registered names). */
export interface WaitState { elapsed: number; match_groups: string[]; match_groupdict: Record<string, string>; slept?: boolean }

// However fast a probe returns, never more than this many per second (sleep: 0 still leaves room to breathe).
const MIN_PAUSE_MS = 200;

const seconds = (since: number) => Math.floor((Date.now() - since) / 1000);

/** Probes until the condition holds or the timeout passes (Ansible's loop: look, then sleep, while time is left). */
async function waitUntil(host: Host, args: WaitArgs, start: number): Promise<WaitState> {
  const regex = args.search_regex !== undefined && wantsPresent(args) ? compileSearch(args.search_regex) : undefined;
  const end = start + args.timeout * 1000;
  const pause = Math.max(MIN_PAUSE_MS, args.sleep * 1000);
  const maxProbes = Math.ceil((args.timeout * 1000) / pause) + 1;
  let last: Probe = { holds: false, seen: 'not checked: the delay used up the timeout' };
  for (let i = 0; i < maxProbes && Date.now() < end; i++) {
    last = await probe(host, args, regex, (end - Date.now()) / 1000);
    if (last.holds) return { elapsed: seconds(start), match_groups: last.groups ?? [], match_groupdict: last.groupdict ?? {} };
    await sleep(Math.min(pause, Math.max(0, end - Date.now())));
  }
  throw new ModuleError(timeoutMessage(args, last, seconds(start)));
}

function describe(args: WaitArgs): string {
  if (args.port !== undefined) return `port ${args.port} on ${waitHost(args)} is ${wantsPresent(args) ? 'open' : 'closed'}${args.search_regex !== undefined && wantsPresent(args) ? ` and sends /${args.search_regex}/` : ''}`;
  if (args.path !== undefined) return `${args.path} ${wantsPresent(args) ? (args.search_regex !== undefined ? `matches /${args.search_regex}/` : 'exists') : 'is gone'}`;
  return 'nothing to wait for';
}

export default defineModule<WaitArgs, WaitState>({
  name: 'wait_for',
  doc: 'Wait until a TCP port is open (started) or closed (stopped), as seen from the target (host defaults to 127.0.0.1), a path exists (present) or is gone (absent), or a file or what a port sends matches search_regex (RE2, multiline); with neither port nor path, just wait `timeout` seconds. Polls every `sleep` seconds after `delay`, up to `timeout`; the failure says what was still not true. Registers elapsed, match_groups and match_groupdict. Read-only: never changes anything and, like Ansible\'s, also waits in check mode. Port checks use bash and timeout on the target.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { ...hostOrAddress, description: 'The host whose port to check, as the target resolves it (default 127.0.0.1: the target itself).' },
      port: { type: 'integer', minimum: 1, maximum: 65535, description: 'The TCP port to check. Not with path.' },
      path: { ...absolutePath, description: 'A path on the target that must exist (symlinks followed) or be gone. Not with port.' },
      search_regex: { type: 'string', minLength: 1, description: 'A regular expression (RE2, multiline; named groups as (?P<name>...)) the file, or what the port sends once connected, must match.' },
      state: { enum: ['started', 'present', 'stopped', 'absent'], default: 'started', description: 'started/present: open or existing (and matching); stopped: the port is closed; absent: the path is gone (or the port closed).' },
      timeout: { type: 'integer', minimum: 0, default: 300, description: 'Seconds to wait at most (counted from the start, delay included); the task fails after it.' },
      delay: { type: 'integer', minimum: 0, default: 0, description: 'Seconds to wait before the first check.' },
      sleep: { type: 'integer', minimum: 0, default: 1, description: 'Seconds between checks.' },
      connect_timeout: { type: 'integer', minimum: 1, default: 5, description: 'Seconds one connection attempt (and, with search_regex, the reading) may take.' },
      msg: { type: 'string', description: 'The failure message instead of the default one.' },
    },
    allOf: [
      { not: { required: ['port', 'path'] } },
      { if: { not: { required: ['port'] } }, then: { properties: { host: false } } },
      { if: { required: ['path'] }, then: { properties: { state: { enum: ['started', 'present', 'absent'] } } } },
      { if: { required: ['search_regex'] }, then: { anyOf: [{ required: ['port'] }, { required: ['path'] }] } },
      { if: { required: ['search_regex'] }, then: { properties: { state: { enum: ['started', 'present'] } } } },
    ],
  },
  examples: [
    { name: 'The API answers on its port', args: { port: 8080, timeout: 60 } },
    { name: 'sshd on a rebooted peer sends its banner', args: { host: '10.0.0.12', port: 22, search_regex: 'OpenSSH', delay: 5 } },
    { name: 'The service wrote its ready line', args: { path: '/var/log/app/boot.log', search_regex: 'ready on port (?P<port>\\d+)' } },
    { name: 'The lock file is gone', args: { path: '/var/lib/dpkg/lock-frontend', state: 'absent', timeout: 120 } },
  ],
  reversible: true,
  async inspect(host, args) {
    const start = Date.now();
    if (args.delay > 0) await sleep(args.delay * 1000);
    if (args.port === undefined && args.path === undefined) {
      await sleep(Math.max(0, start + args.timeout * 1000 - Date.now()));
      return { elapsed: seconds(start), match_groups: [], match_groupdict: {}, slept: true };
    }
    return waitUntil(host, args, start);
  },
  plan: () => [],
  report(s, args) {
    const msg = s.slept ? `waited ${s.elapsed} s` : `${describe(args)} (after ${s.elapsed} s)`;
    return {
      msg,
      result: {
        state: args.state, port: args.port ?? null, path: args.path ?? null, search_regex: args.search_regex ?? null,
        elapsed: s.elapsed, match_groups: s.match_groups, match_groupdict: s.match_groupdict,
      },
    };
  },
  async apply() {
    return { changed: false };
  },
});
