// The bad-input corpus (test/reliability/bad-input-corpus.ts), each case through the real CLI: exit 2, a message
// that says what and where, and nothing run — the marker task that would have written a file never ran.

import { expect } from 'chai';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { BAD_INPUT } from './bad-input-corpus.js';

describe(`bad input: ${BAD_INPUT.length} malformed or hostile inputs, each exit 2 with file:line:col and nothing run`, function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-bad-input-'));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('has at least 40 cases', () => {
    expect(BAD_INPUT.length).to.be.at.least(40);
  });

  BAD_INPUT.forEach((c, i) => {
    it(c.name, async () => {
      const dir = path.join(root, String(i));
      await fs.mkdir(dir);
      const marker = path.join(dir, 'MARKER.out');
      for (const [f, text] of Object.entries(c.files)) {
        // The marker path goes into text and raw bytes alike (the invalid UTF-8 case is a Buffer).
        const withMarker = typeof text === 'string'
          ? text.split('"MARKER"').join(JSON.stringify(marker))
          : Buffer.from(text.toString('latin1').split('"MARKER"').join(JSON.stringify(marker)), 'latin1');
        if (String(withMarker).includes('"MARKER"')) throw new Error(`case ${c.name}: marker not substituted in ${f}`);
        await fs.writeFile(path.join(dir, f), withMarker);
      }
      const res = await runCli(['play', 'site.yml', ...(c.args ?? [])], { cwd: dir, timeoutMs: 30_000 });
      const out = res.stderr + res.stdout;
      expect(res.code, out).to.equal(2);
      expect(out).to.match(c.expect);
      expect(out, 'no stack traces for users').to.not.match(/\n\s+at .+\(.+:\d+:\d+\)/);
      expect(existsSync(marker), 'the marker task must not have run').to.equal(false);
      expect(existsSync(path.join(dir, '.runbook')), 'no run journal: nothing started').to.equal(false);
    });
  });
});
