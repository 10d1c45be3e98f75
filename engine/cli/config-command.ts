// `runbook config [PLAYBOOK]`: every setting runbook.yml can hold, its effective value and where it came from.

import path from 'node:path';
import { Command } from 'commander';
import type { CliIO } from './io.js';
import { addPlayOptions } from './options.js';
import { applyProjectConfig, CONFIG_KEYS, findConfigFile, loadProjectConfig } from './project-config.js';

export async function configCommand(playbook: string | undefined, io: CliIO): Promise<void> {
  const startDir = playbook ? path.dirname(path.resolve(io.cwd, playbook)) : io.cwd;
  const config = await loadProjectConfig(startDir, io.env);
  // The defaults are those of `play`, parsed from an empty command line.
  const cmd = addPlayOptions(new Command('play')).exitOverride();
  cmd.parse([], { from: 'user' });
  const opts = cmd.opts();
  const provenance = applyProjectConfig(cmd, opts, config, io.env, io.cwd);
  io.out(`config file: ${findConfigFile(startDir, io.env) ?? '(none: no runbook.yml here or above; RUNBOOK_CONFIG unset)'}\n`);
  for (const key of Object.keys(CONFIG_KEYS)) {
    const p = provenance[key];
    const shown = p === undefined ? '(unset)' : JSON.stringify(p.value);
    io.out(`${key.padEnd(22)} ${shown}${p ? `  (${p.source})` : ''}\n`);
  }
}
