// Ansible's apt_key and apt_repository, unchanged, on a lab host: the signed lab repository's key fetched from a server
// inside another lab host (never an outside address) into trusted.gpg.d with apt-key, the source added, then a real
// apt-get update verifies the repository with that key and a package installs from it; --check first writes nothing,
// a rerun changes nothing, rollback puts /etc/apt back byte for byte; a key that must come from a keyserver is refused.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { ensureSignedRepo } from '../helpers/fake-debs.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { allowPort, resetLabHost } from '../helpers/stand-ins.js';

const UNIT = 'runbook-test-apt-key-server';
const KEYRING = '/etc/apt/trusted.gpg.d/runbook-lab-signed.gpg';
const LIST = '/etc/apt/sources.list.d/runbook-lab-signed.list';

describe('apt_key and apt_repository (Ansible tasks as written) with a signed apt repository on the lab', function () {
  this.timeout(240_000);
  let lab: TestLab;
  let dir: string;
  let keyUrl: string;
  let repo: Awaited<ReturnType<typeof ensureSignedRepo>>;
  const sh = async (s: string) => (await lab.exec('node3', ['sh', '-c', s])).stdout.trim();
  const etcApt = () => sh('find /etc/apt -type f | sort | xargs sha256sum');

  before(async function () {
    lab = await acquireLab(3, this);
    await resetLabHost(lab, 'node3');
    repo = await ensureSignedRepo();
    // A machine whose apt knows no other source (no network here).
    await sh(`rm -f /etc/apt/sources.list /etc/apt/sources.list.d/* ${KEYRING} ${KEYRING}~; find /var/lib/apt/lists -maxdepth 1 -type f -delete; dpkg -r kubectl >/dev/null 2>&1; true`);
    const node1 = lab.hosts.find((h) => h.name === 'node1')!.address;
    await lab.exec('node1', ['mkdir', '-p', '/srv/runbook-apt-keys']);
    await lab.writeFile('node1', '/srv/runbook-apt-keys/lab.asc', repo.publicKey);
    await allowPort(lab, 'node1', 8081);
    const start = await lab.exec('node1', ['sh', '-c', `systemctl stop ${UNIT} 2>/dev/null; systemd-run --unit ${UNIT} /usr/bin/python3 -m http.server 8081 --bind ${node1} --directory /srv/runbook-apt-keys && for i in $(seq 1 50); do curl -sf http://${node1}:8081/lab.asc >/dev/null && exit 0; sleep 0.1; done; exit 1`]);
    expect(start.code, start.stderr).to.equal(0);
    keyUrl = `http://${node1}:8081/lab.asc`;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-apt-key-'));
  });
  after(async () => {
    if (lab) await lab.exec('node1', ['sh', '-c', `systemctl stop ${UNIT}; rm -rf /srv/runbook-apt-keys`]);
    if (lab) await allowPort(lab, 'node1', 8081, false);
    if (lab) await sh(`rm -f ${LIST} ${KEYRING} ${KEYRING}~; dpkg -r kubectl >/dev/null 2>&1; true`);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = async (tasks: string, extra: string[] = []) => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node3\n  gather_facts: false\n  tasks:\n${tasks}`);
    return runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...extra], { cwd: dir });
  };
  const tasks = () => [
    '    - name: the repository key',
    `      ansible.builtin.apt_key: { url: "${keyUrl}", keyring: ${KEYRING} }`,
    '    - name: the repository',
    `      ansible.builtin.apt_repository: { repo: "${repo.sourceLine}", filename: runbook-lab-signed, update-cache: true }`,
    '    - name: kubectl from it',
    '      ansible.builtin.apt: { name: kubectl=1.14.0-00 }',
    '',
  ].join('\n');

  it('--check writes nothing; the key and source let apt verify and install; a rerun changes nothing; rollback restores /etc/apt', async () => {
    const before = await etcApt();
    const check = await play(tasks().split('    - name: kubectl')[0], ['--check']);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    expect(jsonEvents(check.stdout).filter((e) => e.event === 'task').map((e) => e.status)).to.deep.equal(['changed', 'changed']);
    expect(await etcApt()).to.equal(before);

    const res = await play(tasks());
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await lab.readFile('node3', LIST)).to.equal(`${repo.sourceLine}\n`);
    expect(await sh(`apt-key --keyring ${KEYRING} adv --list-public-keys --with-colons 2>/dev/null | grep -c '^pub'`)).to.equal('1');
    expect(await sh('/usr/bin/kubectl')).to.equal('kubectl 1.14.0-00');

    const again = await play(tasks());
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node3.changed).to.equal(0);

    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await etcApt()).to.equal(before);
  });

  it('refuses a key that would have to come from a keyserver, contacting none, and rolls the run back', async () => {
    const before = await etcApt();
    const res = await play([
      '    - name: the source first',
      `      apt_repository: { repo: "deb [trusted=yes] file:/nonexistent-runbook ./", update_cache: false }`,
      '    - name: a key from a keyserver',
      '      apt_key: { id: "0x9FED2BCBDCD29CDF762678CBAED4B06F473041FA", keyserver: keyserver.ubuntu.com }',
      '',
    ].join('\n'));
    expect(res.code).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failed.msg).to.equal('key 0x9FED2BCBDCD29CDF762678CBAED4B06F473041FA is not in /etc/apt/trusted.gpg and would come from keyserver keyserver.ubuntu.com, which runbook does not reach: give the key itself with data, file or url instead');
    expect(await etcApt()).to.equal(before);
  });
});
