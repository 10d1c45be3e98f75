// bin/help.txt is what `runbook --help` prints before the build; it must be what the built CLI prints.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

describe('runbook --help snapshot (bin/help.txt)', () => {
  it('is exactly what the built CLI prints (regenerate: node dist/engine/main.js --help > bin/help.txt)', () => {
    const built = execFileSync(process.execPath, [path.join(repoRoot, 'dist/engine/main.js'), '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
    expect(readFileSync(path.join(repoRoot, 'bin/help.txt'), 'utf8')).to.equal(built);
  });
});
