// The layout rules of docs/architecture.md hold: no import cycle, no function over 80 lines (npm run check:layout).

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../helpers/paths.js';

describe('code layout', () => {
  it('has no import cycle in engine/ or modules/ and no function over 80 lines', function () {
    this.timeout(60_000);
    const r = spawnSync(process.execPath, ['scripts/check-layout.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout + r.stderr).to.contain('layout: no import cycle, no function over 80 lines');
    expect(r.status).to.equal(0);
  });
});
