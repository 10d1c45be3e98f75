// A playbook loaded with the module registry its `packs:` ask for (loaded twice only when it names packs).

import path from 'node:path';
import { loadPlaybook } from './load-playbook.js';
import { loadRegistry } from './packs.js';
import type { Playbook } from './playbook-types.js';
import type { ModuleRegistry } from '../types.js';

export async function loadPlaybookWithPacks(file: string, projectDir: string, text?: string, configPacks: string[] = [], rolesPath: string[] = []): Promise<{ playbook: Playbook; registry: ModuleRegistry }> {
  // Packs are found from the playbook's folder upward (its project), not from wherever the command was started.
  const playbookDir = path.dirname(path.resolve(file));
  let registry = await loadRegistry(playbookDir, configPacks);
  let playbook = await loadPlaybook(file, { registry, text, rolesPath });
  if (playbook.packs.length > 0) {
    registry = await loadRegistry(playbookDir, [...configPacks, ...playbook.packs], playbook.dir);
    playbook = await loadPlaybook(file, { registry, text, rolesPath });
  }
  return { playbook, registry };
}
