// Registers `runbook audit` (flags only); the audit itself (cli-audit.ts) is imported when the command runs.

import type { Command } from 'commander';
import path from 'node:path';
import type { CliIO } from '../cli/io.js';
import { addPlayOptions, type PlayCliOptions } from '../cli/options.js';

export function registerAuditCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addPlayOptions(program.command('audit <playbook>').description('report drift across the fleet without changing anything (exit 0 none, 4 drift, 1 errors)'))
    .option('--report <file>', 'write a self-contained HTML report')
    .option('--save <file>', 'save this audit as JSON (for a later --baseline)')
    .option('--baseline <file>', 'compare with a saved audit: what drifted since')
    .action(async (playbook: string, o: PlayCliOptions & { report?: string; save?: string; baseline?: string }, cmd: Command) => {
      const { applyProjectConfig, loadProjectConfig } = await import('../cli/project-config.js');
      applyProjectConfig(cmd, o as unknown as Record<string, unknown>, await loadProjectConfig(path.dirname(path.resolve(io.cwd, playbook)), io.env), io.env, io.cwd);
      const { auditCommand } = await import('./cli-audit.js');
      const { withVault } = await import('../cli/with-vault.js');
      setExit(await withVault(o, io, () => auditCommand(playbook, o, io)));
    });
}
