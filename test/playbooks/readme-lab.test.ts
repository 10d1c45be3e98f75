// The "Try it on the lab" section of every playbook README, run exactly as written: each line of its sh block by sh,
// with `runbook` on PATH as this checkout's CLI, in a fresh copy of playbooks/ and inventory/ (as a new user would).
// Every command succeeds, a line marked "again: changed=0" changes nothing on any host, and the lab is gone after.
// Two READMEs run at a time, each with a lab of its own.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testStateHome, type CliResult } from '../helpers/cli.js';
import { isRoot } from '../helpers/lab.js';
import { cliEntry, repoRoot } from '../helpers/paths.js';

/** The commands of a README's "Try it on the lab" section (its first sh block), one per line. */
export function tryItCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Try it on the lab'));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section);
  return block ? block[1].split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [];
}

/** Files other test runs may leave in the checkout's playbook folders: a new user's copy has none of them. */
const LEFTOVER = /^(topology.*\.json|heketi-test-.*|heketi_id_rsa.*|heketi_key.*)$/;

function sh(line: string, cwd: string, env: Record<string, string>, timeoutMs = 400_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out after ${timeoutMs} ms: ${line}\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

describe('playbook READMEs: "Try it on the lab" works as written', function () {
  this.timeout(900_000);
  let dir = '';
  let env: Record<string, string> = {};
  const labs: string[] = [];

  before(async function () {
    if (!isRoot()) {
      console.warn('\n  *** SKIPPED: lab tests need root on Linux; CI runs as root ***\n');
      this.skip();
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-readme-'));
    const filter = (src: string) => !LEFTOVER.test(path.basename(src));
    for (const d of ['playbooks', 'inventory']) await fs.cp(path.join(repoRoot, d), path.join(dir, d), { recursive: true, verbatimSymlinks: true, filter });
    await fs.mkdir(path.join(dir, '.bin'));
    await fs.writeFile(path.join(dir, '.bin/runbook'), `#!/bin/sh\nexec ${process.execPath} ${cliEntry} "$@"\n`, { mode: 0o755 });
    env = { PATH: `${path.join(dir, '.bin')}:${process.env.PATH}`, NO_COLOR: '1', XDG_STATE_HOME: testStateHome };
  });
  after(async () => {
    for (const name of labs) await sh('runbook lab down', dir, { ...env, RUNBOOK_LAB: name }, 60_000).catch(() => undefined);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const readmes = ['k8s-glusterfs-heketi', 'gluster-kubernetes', 'home-lab-arm', 'statefulsets-on-ceph', 'openshift-heketi'];

  it('every playbook folder\'s README has the section, and it brings a lab up and takes it down', async () => {
    const folders = (await fs.readdir(path.join(repoRoot, 'playbooks'), { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'hello').map((d) => d.name).sort();
    expect(folders).to.deep.equal([...readmes].sort());
    for (const name of readmes) {
      const commands = tryItCommands(await fs.readFile(path.join(repoRoot, 'playbooks', name, 'README.md'), 'utf8'));
      expect(commands[0], name).to.match(/^runbook lab up \d+ --with \S+ --groups \S+$/);
      expect(commands.at(-1), name).to.equal('runbook lab down');
    }
  });

  /** One README's commands, in order; resolves with the first failure's message, or '' when all passed. */
  async function runReadme(name: string, i: number): Promise<string> {
    const commands = tryItCommands(await fs.readFile(path.join(repoRoot, 'playbooks', name, 'README.md'), 'utf8'));
    const lab = `r${process.pid % 100000}${i}`;
    labs.push(lab);
    for (const line of commands) {
      const r = await sh(line, dir, { ...env, RUNBOOK_LAB: lab });
      if (r.code !== 0) return `${name}: exit ${r.code}: ${line}\n${r.stdout.slice(-4000)}\n${r.stderr}`;
      if (line.includes('again: changed=0')) {
        const recap = r.stdout.split('\n').filter((l) => /^\S+ : ok=\d+ changed=\d+/.test(l));
        if (recap.length === 0 || recap.some((l) => !/ changed=0 /.test(l))) return `${name}: the second run changed something\n${r.stdout.slice(-4000)}`;
      }
    }
    const status = await sh('runbook lab status', dir, env);
    return status.stdout.includes(`lab '${lab}'`) ? `${name}: lab ${lab} is still up after 'runbook lab down'` : '';
  }

  // The READMEs run two at a time (each on a lab of its own): the machine has two cores.
  const results = new Map<string, Promise<string>>();
  const start = (i: number): Promise<string> => {
    if (!results.has(readmes[i])) results.set(readmes[i], (i >= 2 ? start(i - 2).catch(() => '') : Promise.resolve('')).then(() => runReadme(readmes[i], i).catch((e: Error) => `${readmes[i]}: ${e.message}`)));
    return results.get(readmes[i])!;
  };

  readmes.forEach((name, i) => {
    it(`${name}: the commands succeed, the second play changes nothing, the lab is removed`, async () => {
      if (i + 1 < readmes.length) void start(i + 1);
      expect(await start(i)).to.equal('');
    });
  });
});
