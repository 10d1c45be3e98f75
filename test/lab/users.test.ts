// user and group on a lab host through the CLI: accounts created with uid/gid, groups, shell, home and a password
// hash (set, never printed); an old account removed; --check touching nothing; a second run changing nothing; rollback
// putting /etc/passwd, /etc/shadow, /etc/group and /etc/gshadow back byte for byte (a removed account comes back at the
// end of the files, as useradd writes it: the test's removed account is the last one, so order is kept too).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

// `openssl passwd -6 -salt runbooksalt 'correct horse'`
const HASH = '$6$runbooksalt$EpUeJzu3.caFxXoSRv13VZM2ZrBGXUcdvtjv6oy83mQQvswsnOi4Q1EP.DyY2mhok2.sNrJx.N7ZgEsNPBn/m1';

const PLAYBOOK = `
- hosts: node1
  gather_facts: false
  vars:
    alice_hash: '${HASH}'
  tasks:
    - name: ops group
      group: { name: rbops, gid: 2500 }
    - name: alice
      user: { name: alice, uid: 2501, groups: [rbops], shell: /bin/bash, comment: Alice, password: "{{ alice_hash }}" }
    - name: bob joins ops, keeps adm
      user: { name: rbbob, groups: [rbops], append: true }
    - name: old account gone
      user: { name: rbold, state: absent }
`;

describe('user and group modules on a lab host', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  let start = '';
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout.trim();
  const accountFiles = () => sh('cat /etc/passwd /etc/shadow /etc/group /etc/gshadow');
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });

  before(async function () {
    lab = await acquireLab(1, this);
    await sh('for u in alice rbbob rbold; do userdel -r $u 2>/dev/null; done; groupdel rbops 2>/dev/null; true');
    const made = await lab.exec('node1', ['sh', '-c', 'useradd -G adm rbbob && useradd -u 2600 -c "Old One" -s /bin/sh -m rbold && chage -M 90 -W 5 rbold']);
    expect(made.code, made.stderr).to.equal(0);
    start = await accountFiles();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-users-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await sh('for u in alice rbbob rbold; do userdel -r $u 2>/dev/null; done; groupdel rbops 2>/dev/null; true');
  });

  it('--check --diff reports every change, shows no hash, and touches nothing', async () => {
    const res = await play('--check', '--diff', '-v');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(jsonEvents(res.stdout).filter((e) => e.event === 'task').map((e) => e.status)).to.deep.equal(['changed', 'changed', 'changed', 'changed']);
    expect(res.stdout + res.stderr).to.not.contain('EpUeJzu3');
    expect(await accountFiles()).to.equal(start);
  });

  let firstRun = '';
  it('creates, changes and removes accounts for real; a second run changes nothing', async () => {
    const res = await play('--diff');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.stdout + res.stderr).to.not.contain('EpUeJzu3');
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await sh('getent group rbops')).to.equal('rbops:x:2500:alice,rbbob');
    expect(await sh('getent passwd alice')).to.equal('alice:x:2501:2501:Alice:/home/alice:/bin/bash');
    expect(await sh('getent shadow alice | cut -d: -f2')).to.equal(HASH);
    expect(await sh('stat -c "%U %a" /home/alice')).to.match(/^alice \d+$/);
    expect(await sh('id -Gn rbbob')).to.equal('rbbob adm rbops');
    expect(await sh('getent passwd rbold || echo gone')).to.equal('gone');
    const again = await play();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 4, failed: 0 });
  });

  it('an account changed after the run is a rollback conflict (#13 item 7): skipped with exit 1, the later change kept', async () => {
    await sh('usermod -s /bin/sh alice'); // someone's later change
    const rb = await runCli(['rollback', firstRun, '--format', 'json'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(1);
    const steps = jsonEvents(rb.stdout).find((e) => e.event === 'rollback')!.steps.map((st: { task: string; status: string }) => `${st.task}:${st.status}`);
    // Newest first; only alice's own entry changed since: the others are reverted.
    expect(steps).to.deep.equal(['old account gone:reverted', 'bob joins ops, keeps adm:reverted', 'alice:conflict', 'ops group:reverted']);
    expect(await sh('getent passwd alice')).to.equal('alice:x:2501:2501:Alice:/home/alice:/bin/sh');
  });

  it('rollback --force then puts passwd, shadow, group and gshadow back byte for byte', async () => {
    const rb = await runCli(['rollback', firstRun, '--force'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await accountFiles()).to.equal(start);
  });

  it('refuses a clear-text password and state: absent with a password at validate (exit 2), without echoing it', async () => {
    await fs.writeFile(path.join(dir, 'bad.yml'), '- hosts: node1\n  gather_facts: false\n  tasks:\n    - user: { name: alice, password: hunter2secret }\n    - user: { name: rbold, state: absent, password: "$6$x$y" }\n');
    const res = await runCli(['play', 'bad.yml', '-i', lab.inventoryPath], { cwd: dir });
    expect(res.code).to.equal(2);
    expect(res.stderr + res.stdout).to.match(/bad\.yml:4:\d+: .*'password' must be a crypt\(3\) hash/);
    expect(res.stderr + res.stdout).to.match(/bad\.yml:5:\d+: .*'password' cannot be used with state: absent/);
    expect(res.stderr + res.stdout).to.not.contain('hunter2secret');
  });
});
