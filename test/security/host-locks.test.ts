// Security item 15: host locks are atomic (no two runs ever hold one host), a stale lock is taken over without a
// race, locks are keyed by the host's address:port and live in a per-user state directory, so two project folders
// (or two inventory names for one machine) never run the same host at once.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { jsonEvents, runCli, startCli } from '../helpers/cli.js';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-race-worker.js');

function runWorker(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('lock worker timed out')); }, 30_000);
    child.on('close', (code) => { clearTimeout(timer); resolve(code); });
  });
}

describe('security: host locks', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-locks-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('8 processes racing for one host over a stale lock: never two holders at once (5 rounds)', async function () {
    this.timeout(120_000);
    const out = path.join(dir, 'holders.txt');
    let holders = 0;
    for (let round = 0; round < 5; round++) {
      await plantStaleLock(path.join(dir, 'state'), '127.0.0.1:22');
      await fs.writeFile(out, '');
      const codes = await Promise.all(Array.from({ length: 8 }, () => runWorker([path.join(dir, 'state'), '127.0.0.1:22', out, '300'])));
      expect(codes.every((c) => c === 0), `worker exit codes ${codes}`).to.equal(true);
      const intervals = (await fs.readFile(out, 'utf8')).trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number));
      holders += intervals.length;
      intervals.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < intervals.length; i++) {
        expect(intervals[i][0], `round ${round}: two processes held the lock at once: ${JSON.stringify(intervals)}`).to.be.at.least(intervals[i - 1][1]);
      }
    }
    expect(holders).to.be.at.least(5); // every round somebody got the lock
  });

  it('two project folders naming the same machine differently never run it at once', async () => {
    const state = path.join(dir, 'state-home');
    for (const [project, host] of [['a', 'alpha'], ['b', 'beta']]) {
      await fs.mkdir(path.join(dir, project));
      await fs.writeFile(path.join(dir, project, 'hosts.yml'), `all:\n  hosts:\n    ${host}: { connection: local }\n`);
      await fs.writeFile(path.join(dir, project, 'site.yml'), `- hosts: ${host}\n  gather_facts: false\n  tasks:\n    - name: hold\n      command: sleep 3\n    - copy: { dest: "${dir}/${project}/done", content: "x" }\n`);
    }
    const first = startCli(['play', 'site.yml', '-i', 'hosts.yml', '--format', 'json'], { cwd: path.join(dir, 'a'), env: { XDG_STATE_HOME: state } });
    await first.waitFor(/"event":"run_start"/);
    const second = await runCli(['play', 'site.yml', '-i', 'hosts.yml'], { cwd: path.join(dir, 'b'), env: { XDG_STATE_HOME: state } });
    expect(second.code, second.stdout + second.stderr).to.equal(1);
    expect(second.stderr).to.match(new RegExp(`host 'beta' is locked by run \\S+ \\(pid ${first.pid}, since .*as 'alpha' from ${dir}/a\\)`));
    expect(await fs.stat(path.join(dir, 'b', 'done')).then(() => true, () => false)).to.equal(false);
    const done = await first.done;
    expect(done.code, done.stderr).to.equal(0);
    expect(jsonEvents(done.stdout).find((e) => e.event === 'recap')!.status).to.equal('ok');
    // Released: the second project runs now, and its lock folder is private.
    const again = await runCli(['play', 'site.yml', '-i', 'hosts.yml'], { cwd: path.join(dir, 'b'), env: { XDG_STATE_HOME: state } });
    expect(again.code, again.stderr).to.equal(0);
    expect((await fs.stat(path.join(state, 'runbook', 'locks'))).mode & 0o777).to.equal(0o700);
  });
});

/** A lock left by a process that is gone (a pid above the kernel's pid_max). */
async function plantStaleLock(stateDir: string, identity: string): Promise<void> {
  const folder = path.join(stateDir, 'locks', createHash('sha256').update(identity).digest('hex').slice(0, 32));
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  await fs.chmod(stateDir, 0o700);
  await fs.chmod(path.join(stateDir, 'locks'), 0o700);
  await fs.writeFile(path.join(folder, 'stale.json'), JSON.stringify({ pid: 2 ** 22 + 12345, started: '1', run: 'dead', host: 'web', identity, since: 'x', project: '/old' }), { mode: 0o600 });
}
