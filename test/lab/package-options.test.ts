// package's apt options on a lab host with real apt/dpkg and the local repository (no network): update_cache alone,
// only_upgrade, purge (also of a package already removed that kept its conffile), autoremove planned from apt's own
// simulation; each under Ansible's module name `apt`; check mode changes nothing, reruns change nothing, rollback
// reinstalls what autoremove removed; an Ansible apt argument runbook does not take is refused at load.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { ensureFakeRepo, useRepoScript } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost } from '../helpers/stand-ins.js';

const HOST = 'node2';

describe('package apt options (apt, as Ansible names it) with real apt on a lab host', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (s: string) => (await lab.exec(HOST, ['sh', '-c', s])).stdout.trim();
  const status = (pkg: string) => sh(`dpkg-query -W -f '\${db:Status-Abbrev}\${Version}' ${pkg} 2>/dev/null || true`);

  before(async function () {
    lab = await acquireLab(2, this);
    await resetLabHost(lab, HOST);
    const source = await ensureFakeRepo();
    const r = await lab.exec(HOST, ['sh', '-c', `dpkg -P runbook-conffile >/dev/null 2>&1; ${useRepoScript(source)}`]);
    expect(r.code, r.stderr).to.equal(0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-package-options-'));
  });
  after(async () => {
    if (lab) await lab.exec(HOST, ['sh', '-c', 'dpkg -P runbook-conffile kubectl kubeadm >/dev/null 2>&1; true']);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = async (task: string, extra: string[] = []) => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: ${HOST}\n  tasks:\n    - name: pkg\n      ${task}\n`);
    return runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...extra], { cwd: dir, timeoutMs: 200_000 });
  };
  const task = (stdout: string) => jsonEvents(stdout).find((e) => e.event === 'task' && e.task === 'pkg')!;

  it('update_cache alone refreshes the lists (no name needed); check mode leaves them', async () => {
    const lists = () => sh('ls /var/lib/apt/lists | grep -v -e lock -e partial | sort');
    const before = await lists();
    const check = await play('apt: { update_cache: true }', ['--check']);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    expect(await lists()).to.equal(before);
    const res = await play('apt: { update_cache: true }');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(task(res.stdout).status).to.be.oneOf(['ok', 'changed']);
    expect(await lists()).to.contain('runbook-lab');
  });

  it('only_upgrade upgrades what is installed and installs nothing; a rerun changes nothing', async () => {
    expect((await play('apt: { name: kubectl=1.13.1-00 }')).code).to.equal(0);
    const args = 'apt: { name: [kubectl, kubeadm], state: latest, only_upgrade: true }';
    // Other suites add newer builds to the shared local repository: the newest is whatever apt's policy says.
    const candidate = (await sh('apt-cache policy kubectl')).match(/Candidate: (\S+)/)![1];
    const check = await play(args, ['--check']);
    expect(task(check.stdout).msg).to.equal(`would upgrade kubectl 1.13.1-00 → ${candidate}`);
    expect(await status('kubectl')).to.equal('ii 1.13.1-00');
    const res = await play(args);
    expect(res.code, res.stdout).to.equal(0);
    expect(await status('kubectl')).to.equal(`ii ${candidate}`);
    expect(await status('kubeadm')).to.equal('');
    expect(task((await play(args)).stdout).status).to.equal('ok');
  });

  it('purge removes the configuration files, also of a package removed earlier that kept them', async () => {
    expect((await play('apt: { name: runbook-conffile }')).code).to.equal(0);
    await sh('echo "setting = mine" > /etc/runbook-conffile.conf');
    expect(task((await play('apt: { name: runbook-conffile, state: absent }')).stdout).msg).to.equal('remove runbook-conffile 1.0-1');
    expect(await status('runbook-conffile')).to.match(/^rc/);
    expect(await sh('cat /etc/runbook-conffile.conf')).to.equal('setting = mine');
    const args = 'apt: { name: runbook-conffile, state: absent, purge: true }';
    const res = await play(args);
    expect(task(res.stdout).msg).to.equal('purge the configuration files of runbook-conffile');
    expect(await status('runbook-conffile')).to.equal('');
    expect(await sh('ls /etc/runbook-conffile.conf 2>&1 || true')).to.contain('No such file');
    expect(task((await play(args)).stdout).status).to.equal('ok');
  });

  it('autoremove alone removes what apt would autoremove (check mode first), a rerun changes nothing, rollback reinstalls it', async () => {
    expect((await play('apt: { name: kubeadm=1.14.0-00 }')).code).to.equal(0);
    await sh('apt-mark auto kubeadm');
    const check = await play('apt: { autoremove: true }', ['--check']);
    expect(task(check.stdout).msg).to.equal('would autoremove kubeadm 1.14.0-00');
    expect(await status('kubeadm')).to.equal('ii 1.14.0-00');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: ${HOST}\n  tasks:\n    - name: pkg\n      apt: { autoremove: true }\n    - name: boom\n      fail: { msg: stop here }\n`);
    const failed = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir, timeoutMs: 200_000 });
    expect(failed.code).to.equal(1);
    expect(await status('kubeadm'), 'reinstalled by rollback').to.equal('ii 1.14.0-00');
    expect(await sh('apt-mark showauto kubeadm')).to.equal('kubeadm');
    const res = await play('apt: { autoremove: true }');
    expect(task(res.stdout).status).to.equal('changed');
    expect(await status('kubeadm')).to.equal('');
    expect(task((await play('apt: { autoremove: true }')).stdout).status).to.equal('ok');
  });

  it('refuses an argument of Ansible\'s apt that runbook does not take at load, naming it (exit 2, file:line:col)', async () => {
    const res = await play('apt: { name: kubectl, upgrade: dist }');
    expect(res.code).to.equal(2);
    expect(res.stderr + res.stdout).to.match(/site\.yml:4:\d+: .*upgrade/);
  });
});
