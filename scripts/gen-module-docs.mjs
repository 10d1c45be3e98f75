// Writes docs/modules.md from the compiled core pack's schemas: `npm run build && node scripts/gen-module-docs.mjs`.
import { writeFileSync } from 'node:fs';
import { loadCorePack } from "../dist/modules/index.js";
import { moduleReferenceMarkdown } from '../dist/engine/cli/module-docs.js';

const pack = await loadCorePack();
writeFileSync(new URL('../docs/modules.md', import.meta.url), moduleReferenceMarkdown(pack.modules));
console.log(`docs/modules.md: ${pack.modules.length} modules`);
