// Worker of the lock race harness (test/security/host-locks.test.ts): tries once to take a host lock; when it
// gets it, holds it HOLD_MS and appends "start end pid" (ms) to OUT. Exit 0 either way; 3 on unexpected errors.

import { appendFileSync } from 'node:fs';
import { acquireHostLocks } from '../../engine/run/host-locks.js';
import { LockError } from '../../engine/errors.js';

const [stateDir, identity, out, holdMs] = process.argv.slice(2);
try {
  const release = await acquireHostLocks(stateDir, [{ name: 'web', identity }], `worker-${process.pid}`, '/project');
  const start = Date.now();
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  const end = Date.now();
  await release();
  appendFileSync(out, `${start} ${end} ${process.pid}\n`);
} catch (e) {
  if (!(e instanceof LockError)) {
    console.error(e);
    process.exit(3);
  }
}
