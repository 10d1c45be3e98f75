// OpenSSH client config (~/.ssh/config, or the `ssh_config` var): Host patterns give a host's HostName, User, Port,
// IdentityFile, ProxyJump and UserKnownHostsFile where the inventory is silent; StrictHostKeyChecking can only make
// host key checking stricter. Parsed by the `ssh-config` package; `Match exec` is never run.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import { InventoryError } from '../errors.js';
import { mergedMap } from '../plain-map.js';
import { parseJumpHost } from './jump-host.js';

type Computed = Record<string, string | string[] | undefined>;

const parsed = new Map<string, { mtimeMs: number; config: SSHConfig }>();

/** The parsed config file (cached while its mtime stays), or undefined when there is none. */
function configAt(file: string): SSHConfig | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return undefined;
  const hit = parsed.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.config;
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(withIncludes(file, 0));
  } catch (e) {
    throw new InventoryError(`ssh config ${file} cannot be read: ${(e as Error).message}`, { location: { file, line: 1, col: 1 } });
  }
  parsed.set(file, { mtimeMs: st.mtimeMs, config });
  return config;
}

/** Most levels of `Include` followed (ssh itself stops at 16). */
const MAX_INCLUDE_DEPTH = 8;

/** Files an `Include` word names: `~` expanded, relative to ~/.ssh, `*` and `?` in the last part matched. */
function includedFiles(word: string): string[] {
  const full = path.resolve(path.join(os.homedir(), '.ssh'), expandHome(word));
  const base = path.basename(full);
  if (!/[*?]/.test(base)) return [full];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const dir = path.dirname(full);
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
}

/** The config text with each `Include` line replaced by the files it names (the parser does not follow them). */
function withIncludes(file: string, depth: number): string {
  const text = readFileSync(file, 'utf8');
  if (depth >= MAX_INCLUDE_DEPTH) throw new Error(`Include nested more than ${MAX_INCLUDE_DEPTH} deep`);
  return text.split('\n').map((line) => {
    const include = /^\s*include\s+(.+?)\s*$/i.exec(line);
    if (!include) return line;
    return include[1].split(/\s+/).flatMap(includedFiles).filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile()).map((f) => withIncludes(f, depth + 1)).join('\n');
  }).join('\n');
}

/** The file to read: the `ssh_config` var (`~` expanded, `none` for no file), else ~/.ssh/config. */
function configFileOf(vars: Record<string, unknown>): string | undefined {
  const named = vars.ssh_config;
  if (named === 'none' || named === '') return undefined;
  return typeof named === 'string' ? expandHome(named) : path.join(os.homedir(), '.ssh', 'config');
}

function expandHome(p: string): string {
  return p === '~' ? os.homedir() : p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

/** ssh's %-tokens that make sense here: %h (host), %r (user), %p (port), %d (home), %u (local user), %%. */
function expandTokens(text: string, host: string, user: string, port: number): string {
  return text.replace(/%([hrpdu%])/g, (_, t: string) => ({ h: host, r: user, p: String(port), d: os.homedir(), u: os.userInfo().username, '%': '%' }[t] ?? ''));
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** What the config says for one name (options lowercased), without running `Match exec`. */
function lookup(config: SSHConfig, name: string): Computed {
  return config.compute(name, { ignoreCase: true, matchExec: false } as never) as unknown as Computed;
}

/** `[user@]alias[:port]` of a ProxyJump resolved through the config: the real address, port, user and key. */
function resolveJump(config: SSHConfig, spec: string, owner: string): { jump: string; key?: string } {
  if (spec.includes(',')) throw new InventoryError(`${owner}: ProxyJump '${spec}' is a chain of jump hosts; runbook takes one jump host`);
  const parsedSpec = parseJumpHost(spec);
  if (!parsedSpec) throw new InventoryError(`${owner}: ProxyJump '${spec}' is not [user@]host[:port]`);
  const c = lookup(config, parsedSpec.address);
  const address = expandTokens(first(c.hostname) ?? parsedSpec.address, parsedSpec.address, '', 22);
  const port = spec.match(/:(\d+)$/) ? parsedSpec.port : Number(first(c.port) ?? 22);
  const user = parsedSpec.user ?? first(c.user);
  const key = first(c.identityfile);
  return { jump: `${user ? `${user}@` : ''}${address.includes(':') ? `[${address}]` : address}${port === 22 ? '' : `:${port}`}`, key: key ? expandHome(key) : undefined };
}

/**
 * A host's vars with what its ssh config says filled in where the vars are silent (the inventory always wins).
 * Hosts reached locally, and addresses still holding a template, are left as they are.
 */
export function withSshConfig(name: string, vars: Record<string, unknown>): Record<string, unknown> {
  const file = configFileOf(vars);
  const target = String(vars.address ?? name);
  if (!file || target.includes('{{')) return vars;
  const config = configAt(file);
  if (!config) return vars;
  const c = lookup(config, target);
  const out = mergedMap(vars);
  const user = String(vars.user ?? first(c.user) ?? 'root');
  const port = Number(vars.port ?? first(c.port) ?? 22);
  if (vars.address === undefined && first(c.hostname)) out.address = expandTokens(first(c.hostname)!, target, user, port);
  if (vars.user === undefined && first(c.user)) out.user = first(c.user);
  if (vars.port === undefined && first(c.port)) out.port = Number(first(c.port));
  if (vars.key === undefined && first(c.identityfile)) out.key = expandHome(expandTokens(first(c.identityfile)!, target, user, port));
  if (vars.known_hosts === undefined && first(c.userknownhostsfile)) out.known_hosts = expandHome(first(c.userknownhostsfile)!.split(/\s+/)[0]);
  const proxy = first(c.proxyjump);
  if (vars.jump_host === undefined && proxy && proxy.toLowerCase() !== 'none') {
    const { jump, key } = resolveJump(config, proxy, `host '${name}' (ssh config ${file})`);
    out.jump_host = jump;
    if (vars.jump_key === undefined && key) out.jump_key = key;
  }
  // Only ever stricter: `yes`/`ask` refuse unknown keys even with --accept-new-host-keys; `no`/`accept-new` are ignored.
  if (/^(yes|ask)$/i.test(first(c.stricthostkeychecking) ?? '')) out.strict_host_key_checking = true;
  return out;
}
