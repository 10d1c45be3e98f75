// Security item 11: controller state is private whatever the umask (folders 0700, files 0600), and state that
// another user owns, or that others can write, is refused instead of trusted (rollback would carry it out as root).

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, type CliResult } from '../helpers/cli.js';
import { cliEntry } from '../helpers/paths.js';

const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

/** The CLI under `umask 000`, as a careless shell or service manager would start it. */
function runWithUmask000(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, cliEntry, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('timed out')); }, 60_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

describe('security: private controller state', () => {
  let dir: string;
  let target: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-state-'));
    target = path.join(dir, 'target');
    await fs.mkdir(target);
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: file\n      copy: { dest: "${target}/app.conf", content: "new\\n" }\n`);
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('under umask 000, .runbook/, the run, its journal and the lock folders are 0700/0600', async () => {
    const state = path.join(dir, 'state-home');
    const res = await runWithUmask000(['play', 'site.yml', '--format', 'json'], dir, { XDG_STATE_HOME: state });
    expect(res.code, res.stderr).to.equal(0);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const runDir = path.join(dir, '.runbook', 'runs', run);
    expect(await mode(path.join(dir, '.runbook'))).to.equal(0o700);
    expect(await mode(path.join(dir, '.runbook', 'runs'))).to.equal(0o700);
    expect(await mode(runDir)).to.equal(0o700);
    expect(await mode(path.join(runDir, 'journal.jsonl'))).to.equal(0o600);
    expect(await mode(path.join(runDir, 'run.json'))).to.equal(0o600);
    expect(await mode(path.join(state, 'runbook'))).to.equal(0o700);
    expect(await mode(path.join(state, 'runbook', 'locks'))).to.equal(0o700);
    for (const f of await fs.readdir(path.join(state, 'runbook', 'locks'))) expect(await mode(path.join(state, 'runbook', 'locks', f)), f).to.equal(0o700);
  });

  async function finishedRun(): Promise<{ run: string; runDir: string }> {
    await fs.writeFile(path.join(target, 'app.conf'), 'old\n');
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    return { run, runDir: path.join(dir, '.runbook', 'runs', run) };
  }

  it('a journal writable by others is refused by rollback, and nothing is reverted', async () => {
    const { run, runDir } = await finishedRun();
    await fs.chmod(path.join(runDir, 'journal.jsonl'), 0o666);
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code).to.equal(1);
    expect(rb.stderr).to.contain(`refusing state file ${path.join(runDir, 'journal.jsonl')}: writable by others (mode 0666)`);
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('new\n');
    const runs = await runCli(['runs'], { cwd: dir });
    expect(runs.stdout).to.contain(`${run}  refusing state file`);
  });

  it('a world-writable .runbook/ is refused by play before anything runs', async () => {
    await fs.mkdir(path.join(dir, '.runbook'));
    await fs.chmod(path.join(dir, '.runbook'), 0o777);
    const res = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain(`refusing state folder ${path.join(dir, '.runbook')}: writable by others (mode 0777)`);
    expect(await fs.stat(path.join(target, 'app.conf')).then(() => true, () => false)).to.equal(false);
  });

  it('a run folder owned by another user is refused by rollback (root only: needs chown)', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const { run, runDir } = await finishedRun();
    await fs.chown(runDir, 65534, 65534);
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code).to.equal(1);
    expect(rb.stderr).to.contain(`refusing state folder ${runDir}: owned by uid 65534, not by you (uid 0)`);
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('new\n');
  });
});
