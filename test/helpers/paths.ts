// Paths tests need, computed from this compiled file's place so any outDir (dist/, dist-x/) works.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled tree this test runs from (dist/ or another outDir). */
export const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository root (fixtures, playbooks, package.json). */
export const repoRoot = path.resolve(distRoot, '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
/** The CLI entry inside the same compiled tree. */
export const cliEntry = path.join(distRoot, 'engine', 'main.js');
