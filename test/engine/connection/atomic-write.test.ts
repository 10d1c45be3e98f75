// The shared atomic-write script (engine/connection/atomic-write.ts), run by the real sh on this machine: from stdin
// (become writes) and from a temp file beside the target (chunked uploads), mode kept or set, temp removed on failure.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { atomicWriteArgv } from '../../../engine/connection/atomic-write.js';

function run(argv: string[], stdin = ''): { code: number | null; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { input: stdin, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

describe('atomic write script (one script for become writes and chunked uploads)', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-atomic-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });
  const mode = async (f: string) => ((await fs.stat(f)).mode & 0o7777).toString(8);

  it('writes stdin to a new file (644 unless asked) and leaves no temp file', async () => {
    const f = path.join(dir, 'new.conf');
    expect(run(atomicWriteArgv(f, undefined), 'hello\n').code).to.equal(0);
    expect(await fs.readFile(f, 'utf8')).to.equal('hello\n');
    expect(await mode(f)).to.equal('644');
    expect(run(atomicWriteArgv(f, undefined, { mode: 0o600 }), 'again\n').code).to.equal(0);
    expect(await mode(f)).to.equal('600');
    expect(await fs.readdir(dir)).to.deep.equal(['new.conf']);
  });

  it('moves a source file into place, keeping the replaced file\'s mode, and consumes the source', async () => {
    const f = path.join(dir, 'target');
    const source = path.join(dir, '.target.upload');
    await fs.writeFile(f, 'old', { mode: 0o640 });
    await fs.chmod(f, 0o640);
    await fs.writeFile(source, 'new content', { mode: 0o600 });
    expect(run(atomicWriteArgv(f, source)).code).to.equal(0);
    expect(await fs.readFile(f, 'utf8')).to.equal('new content');
    expect(await mode(f)).to.equal('640');
    expect(await fs.readdir(dir)).to.deep.equal(['target']);
  });

  it('on failure (an owner that does not exist) leaves the target as it was and removes the temp or source file', async () => {
    const f = path.join(dir, 'target');
    const source = path.join(dir, '.target.upload');
    await fs.writeFile(f, 'old');
    await fs.writeFile(source, 'new');
    const bySource = run(atomicWriteArgv(f, source, { owner: 'no-such-user-runbook' }));
    expect(bySource.code).to.not.equal(0);
    expect(bySource.stderr).to.contain('no-such-user-runbook');
    const byStdin = run(atomicWriteArgv(f, undefined, { owner: 'no-such-user-runbook' }), 'new');
    expect(byStdin.code).to.not.equal(0);
    expect(await fs.readFile(f, 'utf8')).to.equal('old');
    expect(await fs.readdir(dir)).to.deep.equal(['target']);
  });
});
