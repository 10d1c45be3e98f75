// `runbook modules [name]` and `runbook schema`: what the loaded packs offer, from their schemas.

import { UsageError } from '../errors.js';
import { loadRegistry } from '../load/packs.js';
import { playbookSchema } from '../load/playbook-schema.js';
import type { CliIO } from './io.js';
import { describeModuleText } from './module-docs.js';

export async function modulesCommand(name: string | undefined, io: CliIO): Promise<void> {
  const registry = await loadRegistry(io.cwd);
  if (!name) {
    for (const e of registry.list()) io.out(`${e.module.name.padEnd(20)} ${e.pack === 'core' ? '' : `[${e.pack}] `}${e.module.doc.split('\n')[0]}\n`);
    return;
  }
  const mod = registry.resolve(name);
  if (!mod) throw new UsageError(`unknown module '${name}' (see \`runbook modules\`)`);
  io.out(describeModuleText(mod));
}

export async function schemaCommand(io: CliIO): Promise<void> {
  io.out(`${JSON.stringify(playbookSchema(await loadRegistry(io.cwd)), null, 2)}\n`);
}
