// package_repository on a lab host over SSH, against a signed local apt repository: the source and its signed-by
// keyring are written exactly, apt then verifies the repository's InRelease with that key (an unrelated key makes
// apt refuse it), packages install from it, a re-run changes nothing, and rollback removes source, key and package.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { ensureSignedRepo } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost } from '../helpers/stand-ins.js';

describe('package_repository with a signed apt repository on the lab', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  let repo: Awaited<ReturnType<typeof ensureSignedRepo>>;
  const sh = async (s: string) => (await lab.exec('node3', ['sh', '-c', s])).stdout.trim();

  before(async function () {
    lab = await acquireLab(3, this);
    await resetLabHost(lab, 'node3');
    repo = await ensureSignedRepo();
    // A machine whose apt knows no other source (no network here).
    await sh('rm -f /etc/apt/sources.list /etc/apt/sources.list.d/* /etc/apt/keyrings/runbook-lab.asc; find /var/lib/apt/lists -maxdepth 1 -type f -delete; mkdir -p /var/lib/apt/lists/partial && chown _apt:root /var/lib/apt/lists/partial && chmod 700 /var/lib/apt/lists/partial');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-repo-'));
    await fs.writeFile(path.join(dir, 'lab.asc'), repo.publicKey);
    await fs.writeFile(path.join(dir, 'other.asc'), repo.otherKey);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = async (keyFile: string) => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node3\n  gather_facts: true\n  tasks:\n    - name: lab repository\n      package_repository: { name: runbook-lab, repo: "${repo.sourceLine}", key_src: ${keyFile} }\n    - name: kubectl from it\n      package: { name: kubectl=1.14.0-00, update_cache: true }\n`);
    return runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
  };

  it('refuses the repository when the key is not the one that signed it, and rolls back the source', async () => {
    const res = await play('other.asc');
    expect(res.code).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failed.task).to.equal('kubectl from it');
    expect(failed.msg, failed.msg).to.match(/NO_PUBKEY|not signed|public key is not available/);
    expect(await lab.readFile('node3', '/etc/apt/sources.list.d/runbook-lab.list')).to.equal(null);
    expect(await lab.readFile('node3', '/etc/apt/keyrings/runbook-lab.asc')).to.equal(null);
  });

  it('adds the source with signed-by and its key; apt verifies it and installs from it; a re-run changes nothing', async () => {
    const res = await play('lab.asc');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await lab.readFile('node3', '/etc/apt/sources.list.d/runbook-lab.list')).to.equal(`${repo.sourceLine.replace(/^deb /, 'deb [signed-by=/etc/apt/keyrings/runbook-lab.asc] ')}\n`);
    expect(await lab.readFile('node3', '/etc/apt/keyrings/runbook-lab.asc')).to.equal(repo.publicKey);
    expect(await sh('/usr/bin/kubectl')).to.equal('kubectl 1.14.0-00');
    const again = await play('lab.asc');
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node3.changed).to.equal(0);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await lab.readFile('node3', '/etc/apt/sources.list.d/runbook-lab.list')).to.equal(null);
    expect(await lab.readFile('node3', '/etc/apt/keyrings/runbook-lab.asc')).to.equal(null);
    expect(await sh('dpkg-query -W -f "\\${Status}" kubectl 2>/dev/null; echo')).to.not.contain('install ok installed');
  });
});
