// Security item 14: a host whose key is known (any type) and that now offers a key of another type has CHANGED
// its key, as OpenSSH says; --accept-new-host-keys never pins it. Lab host node3's sshd is switched to an ECDSA key.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const CONFIG = '/etc/runbook-lab/sshd_config';

describe('security: a host key of another type is a changed key (lab)', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  let address: string;

  before(async function () {
    lab = await acquireLab(3, this);
    address = lab.hosts[2].address;
  });
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-hostkey-')); });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    // Give node3 back its ed25519 key only.
    await lab.exec('node3', ['sh', '-c', `sed -i '/^HostKey /d' ${CONFIG} && echo 'HostKey /etc/runbook-lab/ssh_host_ed25519_key' >> ${CONFIG}`]);
    await reloadSshd(['ssh-ed25519'], ['ecdsa-sha2-nistp256']);
  });

  /**
   * ssh.service's reload (SIGHUP: sshd re-reads its config and re-executes itself under the same pid), so the lab
   * and other test files keep the same sshd. Waits until the keys offered are the expected ones (bounded: 10 s).
   */
  async function reloadSshd(offered: string[], notOffered: string[]): Promise<void> {
    const reload = await lab.exec('node3', ['systemctl', 'reload', 'ssh']);
    if (reload.code !== 0) throw new Error(`systemctl reload ssh on node3: ${reload.stderr}`);
    for (let i = 0; i < 100; i++) {
      const scan = await promisify(execFile)('ssh-keyscan', ['-T', '1', '-t', 'ed25519,ecdsa', address]).then((r) => r.stdout, () => '');
      if (offered.every((t) => scan.includes(t)) && !notOffered.some((t) => scan.includes(t))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`sshd on node3 does not offer ${offered.join(', ')} after a reload`);
  }

  async function switchToEcdsa(both = false): Promise<void> {
    const keys = `HostKey /etc/runbook-lab/ssh_host_ecdsa_key${both ? '\\nHostKey /etc/runbook-lab/ssh_host_ed25519_key' : ''}`;
    await lab.exec('node3', ['sh', '-c', `rm -f /etc/runbook-lab/ssh_host_ecdsa_key*; ssh-keygen -q -t ecdsa -N "" -f /etc/runbook-lab/ssh_host_ecdsa_key && sed -i '/^HostKey /d' ${CONFIG} && printf '${keys}\\n' >> ${CONFIG}`]);
    await reloadSshd(both ? ['ecdsa-sha2-nistp256', 'ssh-ed25519'] : ['ecdsa-sha2-nistp256'], both ? [] : ['ssh-ed25519']);
  }

  async function play(knownHosts: string, args: string[]) {
    await fs.writeFile(path.join(dir, 'inv.yml'), `all:\n  hosts:\n    node3: { address: ${address}, key: ${lab.keyPath}, known_hosts: ${knownHosts} }\n`);
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: node3\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    return runCli(['play', 'site.yml', '-i', 'inv.yml', '--format', 'json', ...args], { cwd: dir });
  }

  it('refuses the switched key as HOST KEY CHANGED and leaves known_hosts as it was', async () => {
    const ed25519 = (await lab.exec('node3', ['cat', '/etc/runbook-lab/ssh_host_ed25519_key.pub'])).stdout.split(' ').slice(0, 2).join(' ');
    const kh = path.join(dir, 'known_hosts');
    await fs.writeFile(kh, `${address} ${ed25519}\n`);
    expect((await play(kh, [])).code, 'the ed25519 key is known').to.equal(0);
    await switchToEcdsa();
    const res = await play(kh, ['--accept-new-host-keys']);
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    const ev = jsonEvents(res.stdout).find((e) => e.event === 'task')!;
    expect(ev.status).to.equal('unreachable');
    expect(ev.msg).to.contain('HOST KEY CHANGED');
    expect(await fs.readFile(kh, 'utf8'), 'the attacker key was pinned').to.equal(`${address} ${ed25519}\n`);
  });

  it('with both types offered and one known, negotiates the known type (no false alarm)', async () => {
    const ed25519 = (await lab.exec('node3', ['cat', '/etc/runbook-lab/ssh_host_ed25519_key.pub'])).stdout.split(' ').slice(0, 2).join(' ');
    await switchToEcdsa(true);
    const kh = path.join(dir, 'known_hosts');
    await fs.writeFile(kh, `${address} ${ed25519}\n`);
    const res = await play(kh, []);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
  });
});
