// Options shared by several commands: play's flags (also audit's), -e parsing, connection settings.

import { Option, type Command } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defaultConnectionSettings, type ConnectionSettings } from '../connection/settings.js';
import { UsageError } from '../errors.js';
import { mergedMap, plainMap } from '../plain-map.js';
import type { Format } from './io.js';

export const collect = (v: string, prev: string[]) => [...prev, v];
export const splitList = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** -e k=v, -e '{"json": 1}', -e @vars.yml — later ones win. */
export async function parseExtraVars(specs: string[], cwd: string): Promise<Record<string, unknown>> {
  // No prototype: `-e __proto__=x` is a variable like any other.
  let vars = plainMap<unknown>();
  for (const spec of specs) {
    if (spec.startsWith('@')) {
      const { loadVarsFile } = await import('../load/load-playbook.js');
      vars = mergedMap(vars, await loadVarsFile(path.resolve(cwd, spec.slice(1))));
    } else if (spec.trim().startsWith('{')) {
      try {
        vars = mergedMap(vars, JSON.parse(spec));
      } catch (e) {
        throw new UsageError(`-e ${spec}: invalid JSON (${(e as Error).message})`);
      }
    } else {
      for (const pair of spec.split(/\s+(?=[A-Za-z_][\w]*=)/)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`-e ${spec}: expected key=value, @file or JSON`);
        vars[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  }
  return vars;
}

/** A CLI number that must be a positive decimal (seconds) or, with `integer`, a positive whole number. */
export function positiveOption(name: string, value: string, integer = false): number {
  const n = Number(value);
  const ok = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value.trim()) && Number.isFinite(n) && n > 0;
  if (!ok) throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number of seconds'}, got '${value}'`);
  return n;
}

export function connectionSettings(o: { acceptNewHostKeys?: boolean; timeout?: string; commandTimeout?: string }): ConnectionSettings {
  return {
    acceptNewHostKeys: Boolean(o.acceptNewHostKeys),
    connectTimeoutMs: o.timeout !== undefined ? positiveOption('--timeout', o.timeout) * 1000 : defaultConnectionSettings.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeout !== undefined ? positiveOption('--command-timeout', o.commandTimeout) * 1000 : defaultConnectionSettings.commandTimeoutMs,
  };
}

export interface PlayCliOptions {
  inventory: string[]; limit?: string; tags: string[]; skipTags: string[]; extraVars: string[];
  check?: boolean; diff?: boolean; forks: string; format: Format; rollback: boolean; detectDrift?: boolean;
  acceptNewHostKeys?: boolean; timeout?: string; commandTimeout?: string; verbose?: number;
  vaultPasswordFile?: string[]; vaultId?: string[]; askVaultPass?: boolean;
  user?: string; privateKey?: string; askPass?: boolean; become?: boolean; becomeUser?: string; askBecomePass?: boolean;
  /** play only: --start-at-task, --step. */
  startAtTask?: string; step?: boolean;
  /** play --slice I/N. */
  slice?: string;
  sshConfig?: string;
  /** From runbook.yml or RUNBOOK_* only (no flag). */
  packs?: string[]; rolesPath?: string[];
}

export function addPlayOptions(cmd: Command): Command {
  return addVaultOptions(cmd)
    .option('-i, --inventory <path>', 'inventory file or folder (repeatable); default: localhost', collect, [])
    .option('-l, --limit <pattern>', 'only hosts matching this pattern')
    .option('-t, --tags <tags>', 'only tasks with these tags (comma list, repeatable)', splitList, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', splitList, [])
    .option('-e, --extra-vars <vars>', 'k=v, JSON, or @vars.yml (repeatable; highest precedence)', collect, [])
    .option('-f, --forks <n>', 'hosts worked on at once', '50')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'junit']).default('human'))
    .option('--accept-new-host-keys', 'trust and record SSH host keys seen for the first time')
    .option('--timeout <seconds>', 'SSH connect timeout', '10')
    .option('--command-timeout <seconds>', 'timeout of each remote command', '600')
    .option('-v, --verbose', '-v: messages of ok tasks and what each command printed (stdout, stderr; never for no_log tasks); -vv: the command lines run; -vvv: how each host was reached', (_: string, n: number) => n + 1, 0)
    .option('-u, --user <user>', 'log in as this user where the inventory names none')
    .option('--private-key <file>', 'SSH private key where the inventory names none')
    .option('--ssh-config <file>', 'OpenSSH client config to read instead of ~/.ssh/config (none: read none)')
    .option('-k, --ask-pass', 'ask for the SSH password')
    .option('-b, --become', 'become (sudo) where the play or task does not say')
    .option('--become-user <user>', 'the user to become (default root)')
    .option('-K, --ask-become-pass', 'ask for the sudo password');
}

/**
 * -u, --private-key, -k, -b, --become-user, -K: connection defaults below everything the inventory and playbook say
 * (as Ansible's command-line connection options are below inventory variables).
 */
export async function commandLineHostDefaults(o: PlayCliOptions, ask: (question: string) => Promise<string>): Promise<Record<string, unknown>> {
  const defaults: Record<string, unknown> = {};
  if (o.user !== undefined) defaults.user = o.user;
  if (o.privateKey !== undefined) defaults.key = path.resolve(o.privateKey);
  if (o.sshConfig !== undefined) defaults.ssh_config = o.sshConfig === 'none' ? 'none' : path.resolve(o.sshConfig);
  if (o.askPass) defaults.password = await ask('SSH password: ');
  if (o.become) defaults.become = true;
  if (o.becomeUser !== undefined) defaults.become_user = o.becomeUser;
  if (o.askBecomePass) defaults.become_password = await ask('BECOME password: ');
  return defaults;
}

/** Where vault passwords come from (docs/vault.md); every command that reads vars files takes them. */
export function addVaultOptions(cmd: Command): Command {
  return cmd
    .option('--vault-password-file <file>', 'vault password from this file (or executable); repeatable', collect, [])
    .option('--vault-id <label@source>', 'a vault identity: label@file or label@prompt; repeatable', collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password');
}

/** -l @file: host names or patterns, one per line (the failed.txt a run writes), joined into one pattern. */
export async function readLimit(limit: string | undefined, cwd: string): Promise<string | undefined> {
  if (!limit?.startsWith('@')) return limit;
  const file = path.resolve(cwd, limit.slice(1));
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`-l ${limit}: ${e.code === 'ENOENT' ? 'file not found' : e.message}`);
  });
  const names = text.split(/[\n,]/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`-l ${limit}: the file lists no host`);
  return names.join(',');
}
