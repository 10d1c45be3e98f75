// Ansible's connection variable names (ansible_host, ansible_user, ...) read as runbook's own (address, user, ...),
// level by level, and the type check every connection variable gets when an inventory is read.

import { parseJumpHost } from '../connection/jump-host.js';
import { mergedMap } from '../plain-map.js';

/** Ansible's name → runbook's. Old spellings (ansible_ssh_host, ansible_sudo_pass) are read too. */
export const ANSIBLE_CONNECTION_VARIABLES: Record<string, string> = {
  ansible_host: 'address',
  ansible_ssh_host: 'address',
  ansible_port: 'port',
  ansible_ssh_port: 'port',
  ansible_user: 'user',
  ansible_ssh_user: 'user',
  ansible_ssh_private_key_file: 'key',
  ansible_private_key_file: 'key',
  ansible_password: 'password',
  ansible_ssh_pass: 'password',
  ansible_ssh_password: 'password',
  ansible_connection: 'connection',
  ansible_become: 'become',
  ansible_become_user: 'become_user',
  ansible_become_password: 'become_password',
  ansible_become_pass: 'become_password',
  ansible_sudo_pass: 'become_password',
  ansible_ssh_timeout: 'connect_timeout',
  ansible_timeout: 'connect_timeout',
};

/** Variables Ansible uses to find a Python (or other interpreter) on the target: runbook needs none. */
export function isInterpreterVariable(name: string): boolean {
  return /^ansible_(\w+_)?interpreter$/.test(name);
}

/** Ansible's connection plugins that are ssh for runbook (`smart` and `paramiko` reach the host over ssh too). */
const SSH_LIKE = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

/** Ansible's boolean words (module_utils boolean()): yes/no, true/false, on/off, 1/0, y/n, any case. */
export function ansibleBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (['yes', 'true', 'on', '1', 'y', 't'].includes(word)) return true;
  if (['no', 'false', 'off', '0', 'n', 'f'].includes(word)) return false;
  return undefined;
}

/**
 * One level of vars (a group's, a host's, a group_vars file) with Ansible's connection names also under runbook's,
 * unless that level sets runbook's name itself. Values keep their place in the precedence of levels.
 */
export function withRunbookNames(vars: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const special = (k: string) => k in ANSIBLE_CONNECTION_VARIABLES || k === 'ansible_ssh_common_args' || k === 'ansible_ssh_extra_args' || (k === 'become' && typeof vars?.[k] === 'string');
  if (!vars || !Object.keys(vars).some(special)) return vars;
  const out = mergedMap(vars);
  if (typeof out.become === 'string') out.become = ansibleBoolean(out.become) ?? out.become;
  for (const [ansible, own] of Object.entries(ANSIBLE_CONNECTION_VARIABLES)) {
    if (!(ansible in vars) || own in vars) continue;
    let value = vars[ansible];
    if (own === 'become') value = ansibleBoolean(value) ?? value;
    if (own === 'connection' && typeof value === 'string' && SSH_LIKE.has(value)) value = 'ssh';
    if (own === 'connect_timeout' && typeof value === 'string' && /^\d+$/.test(value)) value = Number(value);
    out[own] = value;
  }
  const jump = jumpHostInSshArgs(vars.ansible_ssh_common_args) ?? jumpHostInSshArgs(vars.ansible_ssh_extra_args);
  if (jump && !('jump_host' in vars)) out.jump_host = jump;
  return out;
}

/**
 * The jump host Ansible users put in `ansible_ssh_common_args` / `ansible_ssh_extra_args`: `-J HOST`,
 * `-o ProxyJump=HOST`, or `-o ProxyCommand="ssh -W %h:%p [-q] HOST"`. Other ssh options there are not read.
 */
export function jumpHostInSshArgs(args: unknown): string | undefined {
  if (typeof args !== 'string') return undefined;
  const jump = /(?:^|\s)(?:-J\s*|-o\s*['"]?ProxyJump[=\s]\s*)([^\s'"]+)/i.exec(args);
  if (jump) return jump[1];
  const command = /ProxyCommand[=\s]\s*['"]?ssh\s+(?:-\S+\s+)*?-W\s+\S+\s+(?:-\S+\s+)*([^\s'"-][^\s'"]*)/i.exec(args);
  return command?.[1];
}

const isTemplate = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');

/** Connection vars are read by the engine itself: a wrong type is an input error at load, not a failed connect. */
const CONNECTION_VARS: Record<string, (v: unknown) => string | undefined> = {
  address: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a host name or IP address (a string)'),
  port: (v) => ((typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) || (typeof v === 'string' && (/^\d+$/.test(v) ? Number(v) >= 1 && Number(v) <= 65535 : isTemplate(v))) ? undefined : 'must be a TCP port, 1-65535'),
  user: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a user name (a string)'),
  key: (v) => (typeof v === 'string' ? undefined : 'must be the path of a private key file (a string)'),
  known_hosts: (v) => (typeof v === 'string' ? undefined : 'must be the path of a known_hosts file (a string)'),
  ssh_config: (v) => (typeof v === 'string' ? undefined : 'must be the path of an OpenSSH client config file (a string)'),
  connection: (v) => (v === 'ssh' || v === 'local' ? undefined : "must be 'ssh' or 'local' (runbook has no other connection)"),
  become: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false (or yes/no)'),
  jump_host: (v) => (typeof v === 'string' && parseJumpHost(v) ? undefined : 'must be [user@]address[:port], as ssh -J takes it'),
};

/** The first connection var of one level with a wrong type, named as the user wrote it (Ansible's or runbook's). */
export function connectionVarProblem(vars: Record<string, unknown>): { key: string; problem: string } | undefined {
  const view = withRunbookNames(vars) ?? vars;
  for (const [k, check] of Object.entries(CONNECTION_VARS)) {
    if (!(k in view)) continue;
    const problem = check(view[k]);
    if (!problem) continue;
    const written = k in vars ? k : Object.keys(vars).find((a) => ANSIBLE_CONNECTION_VARIABLES[a] === k) ?? k;
    return { key: written, problem };
  }
  return undefined;
}
