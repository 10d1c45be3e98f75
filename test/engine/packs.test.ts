// Module packs: installed runbook-pack-* packages, `packs:` paths, name clashes needing `pack.module`.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRegistry, loadRegistry } from '../../engine/load/packs.js';
import type { ModuleDefinition } from '../../engine/types.js';

const fake = (name: string): ModuleDefinition => ({
  name, doc: name, schema: { type: 'object', properties: {}, additionalProperties: false }, examples: [], reversible: true,
  inspect: async () => ({}), plan: () => [], apply: async () => undefined,
});

describe('packs', () => {
  it('a plain name in two packs is ambiguous; the qualified names resolve', () => {
    const reg = createRegistry([{ name: 'core', modules: [fake('copy'), fake('file')] }, { name: 'extra', modules: [fake('copy')] }]);
    expect(() => reg.resolve('copy')).to.throw(/several packs.*'core\.copy' or 'extra\.copy'/);
    expect(reg.resolve('extra.copy')).to.exist;
    expect(reg.resolve('file')?.name).to.equal('file');
    expect(reg.resolve('nope')).to.equal(undefined);
  });

  it('loads runbook-pack-* from node_modules and packs by path', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-packs-'));
    try {
      const body = (pack: string, mod: string) => `export default { name: '${pack}', modules: [{ name: '${mod}', doc: 'd', schema: { type: 'object', properties: {}, additionalProperties: false }, examples: [], reversible: false, inspect: async () => ({}), plan: () => [], apply: async () => {} }] };\n`;
      await fs.mkdir(path.join(dir, 'node_modules/runbook-pack-demo'), { recursive: true });
      await fs.writeFile(path.join(dir, 'node_modules/runbook-pack-demo/package.json'), JSON.stringify({ name: 'runbook-pack-demo', type: 'module', main: 'index.js' }));
      await fs.writeFile(path.join(dir, 'node_modules/runbook-pack-demo/index.js'), body('demo', 'demo_thing'));
      await fs.writeFile(path.join(dir, 'local-pack.mjs'), body('local', 'local_thing'));
      const reg = await loadRegistry(dir, ['./local-pack.mjs'], dir);
      expect(reg.resolve('demo_thing')?.name).to.equal('demo_thing');
      expect(reg.resolve('local.local_thing')?.name).to.equal('local_thing');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
