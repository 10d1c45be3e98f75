// Labs started at the same moment by different processes each get their own subnet and bridge (the index claim).

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { labDown, readLabState } from '../../engine/lab/lab.js';
import { isRoot } from '../helpers/lab.js';
import { cliEntry } from '../helpers/paths.js';

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [cliEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
}

describe('lab index claim (concurrent runbook lab up)', function () {
  this.timeout(120_000);
  const names = [0, 1, 2, 3].map((k) => `ix${process.pid % 10000}x${k}`);

  before(function () {
    if (!isRoot()) {
      console.warn('\n  *** SKIPPED: lab tests need root on Linux; CI runs as root ***\n');
      this.skip();
    }
  });
  after(async () => {
    if (isRoot()) for (const n of names) await labDown(n);
  });

  it('gives four labs started at once four different subnets, and all of them come up', async () => {
    const results = await Promise.all(names.map((n) => cli(['lab', 'up', '1', '--name', n])));
    for (const r of results) expect(r.code, r.out).to.equal(0);
    const states = await Promise.all(names.map((n) => readLabState(n)));
    const indexes = states.map((s) => s!.index);
    expect(new Set(indexes).size, `indexes ${indexes.join(', ')}`).to.equal(4);
    expect(new Set(states.map((s) => s!.bridge)).size).to.equal(4);
  });
});
