// Module packs: the core pack, every runbook-pack-* package in node_modules, and paths a playbook names.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCorePack } from '../../modules/index.js';
import { PlaybookError, UsageError } from '../errors.js';
import type { ModuleDefinition, ModulePack, ModuleRegistry } from '../types.js';

/** Build a registry; a plain name found in two packs is ambiguous and must be qualified (`pack.module`). */
export function createRegistry(packs: ModulePack[]): ModuleRegistry {
  const entries = packs.flatMap((p) => p.modules.map((m) => ({ qualified: `${p.name}.${m.name}`, pack: p.name, module: m })));
  const byQualified = new Map(entries.map((e) => [e.qualified, e.module]));
  const byName = new Map<string, typeof entries>();
  for (const e of entries) byName.set(e.module.name, [...(byName.get(e.module.name) ?? []), e]);
  return {
    resolve(name: string): ModuleDefinition | undefined {
      const q = byQualified.get(name);
      if (q) return q;
      const hits = byName.get(name) ?? [];
      if (hits.length > 1) {
        throw new UsageError(`module '${name}' is provided by several packs (${hits.map((h) => h.pack).join(', ')}): write ${hits.map((h) => `'${h.qualified}'`).join(' or ')}`);
      }
      return hits[0]?.module;
    },
    list: () => entries,
  };
}

function isPack(x: unknown): x is ModulePack {
  return !!x && typeof x === 'object' && typeof (x as ModulePack).name === 'string' && Array.isArray((x as ModulePack).modules);
}

/** Import one pack from an npm package name or a path (relative to baseDir). */
export async function importPack(spec: string, baseDir: string): Promise<ModulePack> {
  const isPath = spec.startsWith('.') || spec.startsWith('/');
  let url: string;
  if (isPath) {
    const p = path.resolve(baseDir, spec);
    const st = await fs.stat(p).catch(() => null);
    if (!st) throw new PlaybookError(`module pack not found: ${spec} (looked at ${p})`);
    if (st.isDirectory()) {
      const pkg = JSON.parse(await fs.readFile(path.join(p, 'package.json'), 'utf8').catch(() => '{}'));
      url = pathToFileURL(path.join(p, pkg.exports?.['.'] ?? pkg.main ?? 'index.js')).href;
    } else url = pathToFileURL(p).href;
  } else {
    const dir = path.join(baseDir, 'node_modules', spec);
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8').catch(() => 'null'));
    if (!pkg) throw new PlaybookError(`module pack '${spec}' is not installed (npm install ${spec})`);
    url = pathToFileURL(path.join(dir, typeof pkg.exports === 'string' ? pkg.exports : pkg.exports?.['.'] ?? pkg.main ?? 'index.js')).href;
  }
  const mod = await import(url);
  const pack = mod.default ?? mod.pack;
  if (!isPack(pack)) throw new PlaybookError(`module pack '${spec}' does not export a pack ({ name, modules }) as default`);
  return pack;
}

/** Every installed runbook-pack-* package under projectDir/node_modules (scoped ones too). */
async function installedPackNames(projectDir: string): Promise<string[]> {
  const nm = path.join(projectDir, 'node_modules');
  const names: string[] = [];
  for (const entry of await fs.readdir(nm).catch(() => [] as string[])) {
    if (entry.startsWith('runbook-pack-')) names.push(entry);
    else if (entry.startsWith('@')) {
      for (const sub of await fs.readdir(path.join(nm, entry)).catch(() => [] as string[])) {
        if (sub.startsWith('runbook-pack-')) names.push(`${entry}/${sub}`);
      }
    }
  }
  return names.sort();
}

/** The core pack + installed runbook-pack-* packages + the given extra packs (from a playbook's `packs:`). */
export async function loadRegistry(projectDir: string, extra: string[] = [], extraBaseDir = projectDir): Promise<ModuleRegistry> {
  const packs: ModulePack[] = [await loadCorePack()];
  for (const name of await installedPackNames(projectDir)) packs.push(await importPack(name, projectDir));
  for (const spec of extra) {
    const pack = await importPack(spec, spec.startsWith('.') || spec.startsWith('/') ? extraBaseDir : projectDir);
    if (!packs.some((p) => p.name === pack.name)) packs.push(pack);
  }
  return createRegistry(packs);
}
