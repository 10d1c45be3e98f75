// package_repository key_url on the lab: the signing key is served by an HTTP server inside a lab host (never any
// outside address) and fetched by the controller; a key whose fingerprint is not key_fingerprint is refused before
// anything is written; the pinned one goes into a deb822 .sources file that apt then verifies and installs from; a
// rerun changes nothing and check mode changes nothing.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { ensureSignedRepo } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { allowPort, resetLabHost } from '../helpers/stand-ins.js';

const UNIT = 'runbook-test-keyserver';

describe('package_repository key_url, fetched by the controller from a lab host, pinned by fingerprint', function () {
  this.timeout(240_000);
  let lab: TestLab;
  let dir: string;
  let repo: Awaited<ReturnType<typeof ensureSignedRepo>>;
  let fingerprint: string;
  let keyUrl: string;
  const sh = async (s: string) => (await lab.exec('node3', ['sh', '-c', s])).stdout.trim();

  before(async function () {
    lab = await acquireLab(3, this);
    await resetLabHost(lab, 'node3');
    repo = await ensureSignedRepo();
    fingerprint = (await runCliGpgFingerprint(repo.publicKey)).replace(/(.{4})/g, '$1 ').trim();
    await sh('rm -f /etc/apt/sources.list /etc/apt/sources.list.d/* /etc/apt/keyrings/runbook-lab.asc; find /var/lib/apt/lists -maxdepth 1 -type f -delete; dpkg -r kubectl >/dev/null 2>&1; true');
    // The key server: python's http.server in node1, as a transient unit stopped in after().
    const node1 = lab.hosts.find((h) => h.name === 'node1')!.address;
    await lab.exec('node1', ['mkdir', '-p', '/srv/runbook-keys']);
    await lab.writeFile('node1', '/srv/runbook-keys/lab.asc', repo.publicKey);
    await lab.writeFile('node1', '/srv/runbook-keys/other.asc', repo.otherKey);
    await allowPort(lab, 'node1', 8080);
    const start = await lab.exec('node1', ['sh', '-c', `systemctl stop ${UNIT} 2>/dev/null; systemd-run --unit ${UNIT} /usr/bin/python3 -m http.server 8080 --bind ${node1} --directory /srv/runbook-keys && for i in $(seq 1 50); do curl -sf http://${node1}:8080/lab.asc >/dev/null && exit 0; sleep 0.1; done; exit 1`]);
    expect(start.code, start.stderr).to.equal(0);
    keyUrl = `http://${node1}:8080`;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-key-url-'));
  });
  after(async () => {
    if (lab) await lab.exec('node1', ['sh', '-c', `systemctl stop ${UNIT}; rm -rf /srv/runbook-keys`]);
    if (lab) await allowPort(lab, 'node1', 8080, false);
    if (lab) await sh('rm -f /etc/apt/sources.list.d/runbook-lab.sources /etc/apt/keyrings/runbook-lab.asc; dpkg -r kubectl >/dev/null 2>&1; true');
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = async (keyFile: string, extra: string[] = []) => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node3\n  tasks:\n    - name: lab repository\n      package_repository: { name: runbook-lab, repo: "${repo.sourceLine}", key_url: "${keyUrl}/${keyFile}", key_fingerprint: "${fingerprint}", format: deb822 }\n    - name: kubectl from it\n      package: { name: kubectl=1.14.0-00, update_cache: true }\n`);
    return runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...extra], { cwd: dir });
  };

  it('refuses a key whose fingerprint is not the pinned one, writing nothing', async () => {
    const res = await play('other.asc');
    expect(res.code).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.task === 'lab repository')!;
    expect(failed.status).to.equal('failed');
    expect(failed.msg).to.contain(`not the pinned key_fingerprint ${fingerprint.replace(/ /g, '')}: refused`);
    expect(await lab.readFile('node3', '/etc/apt/sources.list.d/runbook-lab.sources')).to.equal(null);
    expect(await lab.readFile('node3', '/etc/apt/keyrings/runbook-lab.asc')).to.equal(null);
  });

  it('writes the pinned key and a deb822 source apt verifies and installs from; --check first and a rerun change nothing', async () => {
    const check = await play('lab.asc', ['--check']);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    expect(await lab.readFile('node3', '/etc/apt/sources.list.d/runbook-lab.sources')).to.equal(null);
    const res = await play('lab.asc');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const uri = repo.sourceLine.split(' ')[1];
    expect(await lab.readFile('node3', '/etc/apt/sources.list.d/runbook-lab.sources')).to.equal(`Types: deb\nURIs: ${uri}\nSuites: ./\nSigned-By: /etc/apt/keyrings/runbook-lab.asc\n`);
    expect(await lab.readFile('node3', '/etc/apt/keyrings/runbook-lab.asc')).to.equal(repo.publicKey);
    expect(await sh('/usr/bin/kubectl')).to.equal('kubectl 1.14.0-00');
    const again = await play('lab.asc');
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node3.changed).to.equal(0);
  });
});

/** The key's fingerprint as gpg (the tool apt trusts) reads it: an independent check of the module's openpgp reading. */
async function runCliGpgFingerprint(armored: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-gpg-'));
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile('gpg', ['--homedir', home, '--batch', '--with-colons', '--show-keys'], (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end(armored);
    });
    return /^fpr:+([0-9A-F]{40}):/m.exec(out)![1];
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}
