// authorized_key on a lab host through the CLI: the key added lets the user log in over SSH for real (file 0600 and
// .ssh 0700, owned by the user), exclusive removes another key, --check touches nothing, a second run changes
// nothing, rollback restores the start.

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const run = promisify(execFile);

describe('authorized_key module on a lab host', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  const keys: Record<string, string> = {};
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout.trim();
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });
  const login = (key: string) => run('ssh', ['-i', path.join(dir, key), '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${lab.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=5', `rbkey@${lab.hosts[0].address}`, 'id -un']).then((r) => r.stdout.trim(), () => 'refused');

  before(async function () {
    lab = await acquireLab(1, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-authkey-'));
    for (const k of ['laptop', 'old']) {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${k}@example`, '-f', path.join(dir, k)]);
      keys[k] = (await fs.readFile(path.join(dir, `${k}.pub`), 'utf8')).trim();
    }
    // The user exists and already has the old key (with a loose mode, as left by hand).
    const made = await lab.exec('node1', ['sh', '-c', 'userdel -r rbkey 2>/dev/null; useradd -m -s /bin/sh rbkey && passwd -d rbkey >/dev/null && install -d -m 700 -o rbkey -g rbkey /home/rbkey/.ssh && cat > /home/rbkey/.ssh/authorized_keys && chown rbkey: /home/rbkey/.ssh/authorized_keys && chmod 600 /home/rbkey/.ssh/authorized_keys'], { stdin: `${keys.old}\n` });
    expect(made.code, made.stderr).to.equal(0);
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node1\n  gather_facts: false\n  tasks:\n    - name: laptop key only\n      authorized_key: { user: rbkey, key: "${keys.laptop}", exclusive: true }\n`);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await sh('userdel -r rbkey 2>/dev/null; true');
  });

  it('--check shows the diff and touches nothing', async () => {
    const res = await play('--check', '--diff');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const ev = jsonEvents(res.stdout).find((e) => e.event === 'task')!;
    expect(ev.status).to.equal('changed');
    expect(ev.diff[0]).to.deep.include({ before: `${keys.old}\n`, after: `${keys.laptop}\n` });
    expect(await login('old')).to.equal('rbkey');
    expect(await login('laptop')).to.equal('refused');
  });

  let firstRun = '';
  it('the new key logs in, the old one no longer does; a second run changes nothing', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await sh('stat -c "%a %U %G" /home/rbkey/.ssh /home/rbkey/.ssh/authorized_keys')).to.equal('700 rbkey rbkey\n600 rbkey rbkey');
    expect(await login('laptop')).to.equal('rbkey');
    expect(await login('old')).to.equal('refused');
    const again = await play();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 1 });
  });

  it('rollback restores the old key', async () => {
    const rb = await runCli(['rollback', firstRun], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await lab.readFile('node1', '/home/rbkey/.ssh/authorized_keys')).to.equal(`${keys.old}\n`);
    expect(await login('old')).to.equal('rbkey');
  });
});
