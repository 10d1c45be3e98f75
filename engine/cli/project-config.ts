// The project config, runbook.yml: defaults for the flags of play/exec/ping/audit/validate, found from the
// playbook's folder upward (RUNBOOK_CONFIG names one explicitly). Precedence: flag > RUNBOOK_* environment variable >
// runbook.yml > built-in default. Paths in the file are relative to the file. `runbook config` shows the result.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { RunbookError, ValidationError } from '../errors.js';
import { readYaml } from '../load/yaml-source.js';
import { compileSchema, describeAjvErrors } from '../load/validate-args.js';

/** Config key → the option it sets (commander's camelCase name), the env var, and its kind. */
export const CONFIG_KEYS = {
  inventory: { option: 'inventory', env: 'RUNBOOK_INVENTORY', kind: 'paths', description: 'inventory files or folders' },
  forks: { option: 'forks', env: 'RUNBOOK_FORKS', kind: 'integer', description: 'hosts worked on at once' },
  format: { option: 'format', env: 'RUNBOOK_FORMAT', kind: 'format', description: 'output format: human, json or junit' },
  accept_new_host_keys: { option: 'acceptNewHostKeys', env: 'RUNBOOK_ACCEPT_NEW_HOST_KEYS', kind: 'boolean', description: 'trust SSH host keys seen for the first time (never a changed one)' },
  timeout: { option: 'timeout', env: 'RUNBOOK_TIMEOUT', kind: 'number', description: 'SSH connect timeout, seconds' },
  command_timeout: { option: 'commandTimeout', env: 'RUNBOOK_COMMAND_TIMEOUT', kind: 'number', description: 'timeout of each remote command, seconds' },
  user: { option: 'user', env: 'RUNBOOK_USER', kind: 'string', description: 'login user where the inventory names none' },
  private_key: { option: 'privateKey', env: 'RUNBOOK_PRIVATE_KEY', kind: 'path', description: 'SSH key where the inventory names none' },
  ssh_config: { option: 'sshConfig', env: 'RUNBOOK_SSH_CONFIG', kind: 'path', description: 'OpenSSH client config read for Host patterns (default ~/.ssh/config; none: read none)' },
  become: { option: 'become', env: 'RUNBOOK_BECOME', kind: 'boolean', description: 'become where plays and tasks do not say' },
  become_user: { option: 'becomeUser', env: 'RUNBOOK_BECOME_USER', kind: 'string', description: 'the user to become' },
  vault_password_file: { option: 'vaultPasswordFile', env: 'RUNBOOK_VAULT_PASSWORD_FILE', kind: 'paths', description: 'vault password files' },
  roles_path: { option: 'rolesPath', env: 'RUNBOOK_ROLES_PATH', kind: 'paths', description: 'folders searched for roles after roles/ beside the playbook' },
  packs: { option: 'packs', env: 'RUNBOOK_PACKS', kind: 'list', description: 'module packs loaded for every playbook (npm names or paths)' },
} as const;
export type ConfigKey = keyof typeof CONFIG_KEYS;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries(CONFIG_KEYS).map(([key, k]) => [key, {
    description: k.description,
    ...(k.kind === 'integer' ? { type: 'integer', minimum: 1 }
      : k.kind === 'number' ? { type: 'number', exclusiveMinimum: 0 }
        : k.kind === 'boolean' ? { type: 'boolean' }
          : k.kind === 'format' ? { enum: ['human', 'json', 'junit'] }
            : k.kind === 'paths' || k.kind === 'list' ? { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }
              : { type: 'string' }),
  }])),
};

export interface ProjectConfig {
  file?: string;
  values: Partial<Record<ConfigKey, unknown>>;
}

/** RUNBOOK_CONFIG, else runbook.yml (or .yaml) in `startDir` or the nearest folder above it. */
export function findConfigFile(startDir: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.RUNBOOK_CONFIG) return path.resolve(env.RUNBOOK_CONFIG);
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    for (const name of ['runbook.yml', 'runbook.yaml']) if (existsSync(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

export async function loadProjectConfig(startDir: string, env: NodeJS.ProcessEnv): Promise<ProjectConfig> {
  const file = findConfigFile(startDir, env);
  if (!file) return { values: {} };
  const src = await readYaml(file, 'project config');
  const raw = src.value ?? {};
  const validate = compileSchema(SCHEMA);
  if (!validate(raw)) {
    throw new ValidationError(describeAjvErrors(validate.errors ?? [], {
      subject: `project config ${path.basename(file)}`, noun: 'setting', schema: SCHEMA, data: raw,
      locate: (instancePath: string) => src.loc(instancePath.split('/').filter(Boolean), false), lenientTemplates: false,
    }) as RunbookError[]);
  }
  const values: Partial<Record<ConfigKey, unknown>> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const kind = CONFIG_KEYS[key as ConfigKey].kind;
    const list = Array.isArray(value) ? value.map(String) : [String(value)];
    values[key as ConfigKey] = kind === 'paths' ? list.map((p) => path.resolve(path.dirname(file), p.replace(/^~(?=\/)/, env.HOME ?? '~')))
      : kind === 'path' ? path.resolve(path.dirname(file), String(value))
        : kind === 'list' ? list : value;
  }
  return { file, values };
}

/** Where each option's value came from, for `runbook config`. */
export type Provenance = Record<string, { value: unknown; source: string }>;

/** A RUNBOOK_* environment value read as its setting's kind. */
function fromEnv(kind: string, text: string, cwd: string): unknown {
  if (kind === 'boolean') return /^(1|true|yes|on)$/i.test(text.trim());
  if (kind === 'paths') return text.split(':').filter(Boolean).map((p) => path.resolve(cwd, p));
  if (kind === 'path') return path.resolve(cwd, text);
  if (kind === 'list') return text.split(',').map((x) => x.trim()).filter(Boolean);
  return text;
}

/**
 * Fill what a command was not told on its command line: from RUNBOOK_* variables, else runbook.yml, else the
 * built-in default. Returns where each setting came from.
 */
export function applyProjectConfig(cmd: Command, opts: Record<string, unknown>, config: ProjectConfig, env: NodeJS.ProcessEnv, cwd: string): Provenance {
  const provenance: Provenance = {};
  for (const [key, k] of Object.entries(CONFIG_KEYS)) {
    const given = opts[k.option];
    const onCommandLine = cmd.getOptionValueSource(k.option) === 'cli' && !(Array.isArray(given) && given.length === 0);
    const textual = (v: unknown) => (k.kind === 'integer' || k.kind === 'number' ? String(v) : v);
    if (onCommandLine) provenance[key] = { value: given, source: 'command line' };
    else if (env[k.env] !== undefined && env[k.env] !== '') {
      opts[k.option] = textual(fromEnv(k.kind, env[k.env]!, cwd));
      provenance[key] = { value: opts[k.option], source: `environment ${k.env}` };
    } else if (config.values[key as ConfigKey] !== undefined) {
      opts[k.option] = textual(config.values[key as ConfigKey]);
      provenance[key] = { value: config.values[key as ConfigKey], source: config.file! };
    } else if (given !== undefined && !(Array.isArray(given) && given.length === 0)) provenance[key] = { value: given, source: 'default' };
  }
  return provenance;
}
