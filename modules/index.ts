// The core pack: every module file in this folder (not lib/), discovered at load time so adding a
// module is adding a file.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModuleDefinition, ModulePack } from '../engine/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function loadCorePack(): Promise<ModulePack> {
  const files = (await fs.readdir(here)).filter((f) => f.endsWith('.js') && f !== 'index.js').sort();
  const modules: ModuleDefinition[] = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(here, f)).href);
    if (mod.default && typeof mod.default.plan === 'function') modules.push(mod.default as ModuleDefinition);
  }
  return { name: 'core', modules };
}
