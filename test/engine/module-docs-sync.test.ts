// docs/modules.md is generated from the modules' schemas (scripts/gen-module-docs.mjs): it must match them, so the
// reference cannot silently fall behind a module's arguments.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { moduleReferenceMarkdown } from '../../engine/cli/module-docs.js';
import { loadCorePack } from '../../modules/index.js';
import { repoRoot } from '../helpers/paths.js';

describe('docs/modules.md', () => {
  it('is what the module schemas generate (run `npm run build && node scripts/gen-module-docs.mjs` after a change)', async () => {
    const pack = await loadCorePack();
    const committed = await fs.readFile(path.join(repoRoot, 'docs/modules.md'), 'utf8');
    expect(committed === moduleReferenceMarkdown(pack.modules), 'docs/modules.md is out of date').to.equal(true);
    for (const m of pack.modules) expect(committed).to.contain(`## ${m.name}`);
  });
});
