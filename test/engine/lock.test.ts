// Per-host run locks.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireHostLocks } from '../../engine/run/host-locks.js';
import { LockError } from '../../engine/errors.js';

describe('lock', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-lock-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('refuses a host held by a live process and takes none of the others', async () => {
    const release = await acquireHostLocks(dir, ['b'], 'run-1');
    const err = await acquireHostLocks(dir, ['a', 'b'], 'run-2').catch((e) => e);
    expect(err).to.be.instanceOf(LockError);
    expect(err.message).to.contain("host 'b' is locked by run run-1");
    expect(await fs.readdir(path.join(dir, '.runbook/locks'))).to.deep.equal(['b.lock']);
    await release();
    const again = await acquireHostLocks(dir, ['a', 'b'], 'run-3');
    await again();
    expect(await fs.readdir(path.join(dir, '.runbook/locks'))).to.deep.equal([]);
  });

  it('takes over a lock whose process is gone', async () => {
    await fs.mkdir(path.join(dir, '.runbook/locks'), { recursive: true });
    await fs.writeFile(path.join(dir, '.runbook/locks/a.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, run: 'dead', since: 'x' }));
    const release = await acquireHostLocks(dir, ['a'], 'run-4');
    expect(JSON.parse(await fs.readFile(path.join(dir, '.runbook/locks/a.lock'), 'utf8')).run).to.equal('run-4');
    await release();
  });
});
