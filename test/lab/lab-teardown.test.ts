// `lab down` leaves nothing behind: namespaces, links, mounts, processes, state — also for a lab whose creator died.

import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { labDown, labExec, readLabState } from '../../engine/lab/lab.js';
import { isRoot } from '../helpers/lab.js';
import { cliEntry } from '../helpers/paths.js';

const run = promisify(execFile);

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('lab teardown (runbook lab up/down through the CLI)', function () {
  this.timeout(60_000);
  const name = `td${process.pid % 100000}`;

  before(function () {
    if (!isRoot()) {
      console.warn('\n  *** SKIPPED: lab tests need root on Linux; CI runs as root ***\n');
      this.skip();
    }
  });
  after(async () => {
    if (isRoot()) await labDown(name);
  });

  it('removes every namespace, link, mount and process, even when the process that made the lab is gone', async () => {
    // `runbook lab up` in a child process that exits: the lab must outlive it and be removable from its state file.
    const up = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, [cliEntry, 'lab', 'up', '2', '--name', name], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      c.on('close', (code) => resolve({ code, out }));
    });
    expect(up.code, up.out).to.equal(0);
    expect(up.out).to.match(/lab 'td\d+' is up: 2 host\(s\)/);
    const s = (await readLabState(name))!;
    const h = s.hosts[0];
    // Something extra running inside a host (like glusterd would be) must be cleaned up too.
    await labExec(h, ['sh', '-c', 'sleep 300 >/dev/null 2>&1 &']);
    const inNs = (await run('ip', ['netns', 'pids', h.netns])).stdout.split('\n').filter(Boolean).map(Number);
    expect(inNs.length).to.be.greaterThan(2);

    const down = await run(process.execPath, [cliEntry, 'lab', 'down', '--name', name]);
    expect(down.stdout).to.contain(`removed: ${name}`);
    const netns = (await run('ip', ['netns', 'list'])).stdout;
    for (const x of s.hosts) expect(netns).to.not.contain(x.netns);
    const links = (await run('ip', ['-o', 'link'])).stdout;
    expect(links).to.not.contain(`${s.bridge}:`);
    for (const x of s.hosts) expect(links).to.not.contain(`${x.veth}@`);
    expect(await fs.readFile('/proc/self/mountinfo', 'utf8')).to.not.contain(`runbook-lab-${name}`);
    for (const pid of [...inNs, ...s.hosts.flatMap((x) => [x.holderPid, x.initPid])]) expect(alive(pid), `pid ${pid}`).to.equal(false);
    expect(await readLabState(name)).to.equal(undefined);
  });
});
