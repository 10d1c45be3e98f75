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

/** The entry file named by a package.json `exports` (string, subpath map or nested conditions) or `main`. */
export function packageEntry(pkg: { exports?: unknown; main?: string }): string {
  const pick = (target: unknown): string | undefined => {
    if (typeof target === 'string') return target;
    if (Array.isArray(target)) return target.map(pick).find(Boolean);
    if (target && typeof target === 'object') {
      const map = target as Record<string, unknown>;
      if (Object.keys(map).some((k) => k.startsWith('.'))) return pick(map['.']);
      for (const condition of ['import', 'node', 'default', 'require']) if (condition in map) return pick(map[condition]);
    }
    return undefined;
  };
  return pick(pkg.exports) ?? pkg.main ?? 'index.js';
}

/** node_modules/<name> in `fromDir` or the nearest folder above it, as Node looks packages up. */
async function findPackageDir(name: string, fromDir: string): Promise<string | undefined> {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (await fs.stat(path.join(candidate, 'package.json')).catch(() => null)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Import one pack from an npm package name (looked up from baseDir upward) or a path (relative to baseDir). */
export async function importPack(spec: string, baseDir: string): Promise<ModulePack> {
  const isPath = spec.startsWith('.') || spec.startsWith('/');
  let url: string;
  if (isPath) {
    const p = path.resolve(baseDir, spec);
    const st = await fs.stat(p).catch(() => null);
    if (!st) throw new PlaybookError(`module pack not found: ${spec} (looked at ${p})`);
    if (st.isDirectory()) {
      const pkg = JSON.parse(await fs.readFile(path.join(p, 'package.json'), 'utf8').catch(() => '{}'));
      url = pathToFileURL(path.join(p, packageEntry(pkg))).href;
    } else url = pathToFileURL(p).href;
  } else {
    const dir = await findPackageDir(spec, baseDir);
    if (!dir) throw new PlaybookError(`module pack '${spec}' is not installed (npm install ${spec}, looked from ${baseDir} upward)`);
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
    url = pathToFileURL(path.join(dir, packageEntry(pkg))).href;
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    throw new PlaybookError(`module pack '${spec}' cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
  const pack = mod.default ?? mod.pack;
  if (!isPack(pack)) throw new PlaybookError(`module pack '${spec}' does not export a pack ({ name, modules }) as default`);
  for (const [i, m] of pack.modules.entries()) {
    const problem = moduleProblem(m);
    if (problem) throw new PlaybookError(`module pack '${spec}': module ${typeof m?.name === 'string' ? `'${m.name}'` : `#${i + 1}`} ${problem}`);
  }
  return pack;
}

/** What is missing from a module definition, or undefined when it has what the engine needs. */
function moduleProblem(m: Partial<ModuleDefinition> | undefined): string | undefined {
  if (!m || typeof m !== 'object') return 'is not an object';
  if (typeof m.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(m.name)) return 'has no valid name (lower_snake_case)';
  if (!m.schema || typeof m.schema !== 'object') return 'has no schema (a JSON Schema object for its arguments)';
  for (const fn of ['inspect', 'plan', 'apply'] as const) if (typeof m[fn] !== 'function') return `has no ${fn}() function`;
  if (typeof m.doc !== 'string') return 'has no doc';
  if (!Array.isArray(m.examples)) return 'has no examples list';
  if (typeof m.reversible !== 'boolean') return 'does not say whether it is reversible';
  return undefined;
}

/** Every installed runbook-pack-* package in node_modules of projectDir or a folder above it (scoped ones too). */
async function installedPackNames(projectDir: string): Promise<string[]> {
  const names = new Set<string>();
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    const nm = path.join(dir, 'node_modules');
    for (const entry of await fs.readdir(nm).catch(() => [] as string[])) {
      if (entry.startsWith('runbook-pack-')) names.add(entry);
      else if (entry.startsWith('@')) {
        for (const sub of await fs.readdir(path.join(nm, entry)).catch(() => [] as string[])) {
          if (sub.startsWith('runbook-pack-')) names.add(`${entry}/${sub}`);
        }
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  return [...names].sort();
}

/** The core pack + installed runbook-pack-* packages + the given extra packs (from a playbook's `packs:`). */
export async function loadRegistry(projectDir: string, extra: string[] = [], extraBaseDir = projectDir): Promise<ModuleRegistry> {
  const packs: ModulePack[] = [await loadCorePack()];
  for (const name of await installedPackNames(projectDir)) packs.push(await importPack(name, projectDir));
  for (const spec of extra) {
    // Paths are relative to the playbook; npm names are looked up from the playbook's folder upward, as Node does.
    const pack = await importPack(spec, extraBaseDir);
    if (!packs.some((p) => p.name === pack.name)) packs.push(pack);
  }
  return createRegistry(packs);
}
