// Per-host run locks: all or none, keyed by identity, released on demand, dead holders ignored.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireHostLocks } from '../../engine/run/host-locks.js';
import { LockError } from '../../engine/errors.js';

describe('lock', () => {
  let dir: string;
  let state: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-lock-'));
    state = path.join(dir, 'state', 'runbook');
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  const held = async () => {
    const locks = path.join(state, 'locks');
    const folders = await fs.readdir(locks).catch(() => [] as string[]);
    const files = await Promise.all(folders.filter((f) => !f.startsWith('.')).map((f) => fs.readdir(path.join(locks, f))));
    return files.flat().length;
  };

  it('refuses a host held by a live process and takes none of the others', async () => {
    const release = await acquireHostLocks(state, [{ name: 'b', identity: 'ssh:10.0.0.2:22' }], 'run-1', dir);
    const err = await acquireHostLocks(state, [{ name: 'a', identity: 'ssh:10.0.0.1:22' }, { name: 'b2', identity: 'ssh:10.0.0.2:22' }], 'run-2', dir).catch((e) => e);
    expect(err).to.be.instanceOf(LockError);
    expect(err.message).to.contain("host 'b2' is locked by run run-1").and.to.contain("it holds ssh:10.0.0.2:22 as 'b'");
    expect(await held()).to.equal(1);
    await release();
    const again = await acquireHostLocks(state, [{ name: 'a', identity: 'ssh:10.0.0.1:22' }, { name: 'b', identity: 'ssh:10.0.0.2:22' }], 'run-3', dir);
    expect(await held()).to.equal(2);
    await again();
    expect(await held()).to.equal(0);
  });

  it('ignores (and removes) a holder file whose process is gone', async () => {
    const first = await acquireHostLocks(state, [{ name: 'a', identity: 'x' }], 'run-4', dir);
    const locks = path.join(state, 'locks');
    const [folder] = (await fs.readdir(locks)).filter((f) => !f.startsWith('.'));
    const [file] = await fs.readdir(path.join(locks, folder));
    const info = JSON.parse(await fs.readFile(path.join(locks, folder, file), 'utf8'));
    await fs.writeFile(path.join(locks, folder, 'dead.json'), JSON.stringify({ ...info, pid: 2 ** 22 + 12345, run: 'dead' }));
    await first();
    const release = await acquireHostLocks(state, [{ name: 'a', identity: 'x' }], 'run-5', dir);
    expect(await fs.readdir(path.join(locks, folder))).to.have.length(1);
    await release();
  });
});
