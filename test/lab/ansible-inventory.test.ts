// An Ansible INI inventory (ansible_* names) whose host is an alias of a test ssh config, reached through another
// lab host (ProxyJump), drives a real run of Ansible-style tasks: converge, then changed=0; the journal records the
// route through the jump host.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const PLAY = `- hosts: app
  gather_facts: no
  tasks:
    - name: config directory
      ansible.builtin.file: path=/etc/aliasapp state=directory mode=u=rwx,go=rx
    - name: config file
      ansible.builtin.copy:
        dest: /etc/aliasapp/app.conf
        content: "port={{ http_port }} user={{ ansible_user }}\\n"
        mode: u=rw,go=r
    - name: one more line
      lineinfile: dest=/etc/aliasapp/tier.conf line="tier={{ tier }}" create=yes
`;

describe('lab: INI inventory + ssh config alias through a jump host', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(2, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-lab-alias-'));
    const [jump, target] = lab.hosts;
    await fs.writeFile(path.join(dir, 'ssh_config'), [
      'Host bastion',
      `  HostName ${jump.address}`,
      'Host app-*',
      `  HostName ${target.address}`,
      '  ProxyJump bastion',
      'Host *',
      '  User root',
      `  IdentityFile ${lab.keyPath}`,
      `  UserKnownHostsFile ${lab.knownHostsPath}`,
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'));
    await fs.writeFile(path.join(dir, 'hosts'), [
      '[app]',
      'app-server ansible_user=root ansible_become=yes http_port=8080',
      '',
      '[app:vars]',
      'tier="backend"',
      'ansible_python_interpreter=/usr/bin/python3',
      '',
    ].join('\n'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAY);
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    if (lab) await lab.exec(lab.hosts[1].name, ['rm', '-rf', '/etc/aliasapp']);
  });

  const play = () => runCli(['play', 'site.yml', '-i', 'hosts', '--ssh-config', 'ssh_config', '--format', 'json'], { cwd: dir });

  it('converges the aliased host through the jump host, then changes nothing', async () => {
    const first = await play();
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    const events = jsonEvents(first.stdout);
    expect(events.find((e) => e.event === 'warning')?.msg).to.include('ansible_python_interpreter is ignored');
    const target = lab.hosts[1].name;
    expect(await lab.readFile(target, '/etc/aliasapp/app.conf')).to.equal('port=8080 user=root\n');
    expect(await lab.readFile(target, '/etc/aliasapp/tier.conf')).to.equal('tier=backend\n');
    expect((await lab.exec(target, ['stat', '-c', '%a', '/etc/aliasapp', '/etc/aliasapp/app.conf'])).stdout.split('\n').map((l) => l.trim()).filter(Boolean)).to.deep.equal(['755', '644']);
    expect(await lab.readFile(lab.hosts[0].name, '/etc/aliasapp/app.conf'), 'nothing on the jump host').to.equal(null);
    // The journal's route names the jump host and the target's real address: rollback would go the same way.
    const run = events.find((e) => e.event === 'run_start')!.run;
    const journal = await fs.readFile(path.join(dir, '.runbook', 'runs', run, 'journal.jsonl'), 'utf8');
    expect(journal).to.include(`ssh:root@${lab.hosts[0].address}>${lab.hosts[1].address}:22`);
    const second = await play();
    expect(second.code, second.stderr).to.equal(0);
    expect(jsonEvents(second.stdout).find((e) => e.event === 'recap')!.hosts['app-server']).to.include({ changed: 0, ok: 3 });
  });

  it('StrictHostKeyChecking yes in the ssh config refuses an unknown key even with --accept-new-host-keys', async () => {
    const empty = path.join(dir, 'empty_known_hosts');
    await fs.writeFile(empty, '');
    const config = (await fs.readFile(path.join(dir, 'ssh_config'), 'utf8')).replace(lab.knownHostsPath, empty);
    await fs.writeFile(path.join(dir, 'strict_config'), config);
    const r = await runCli(['play', 'site.yml', '-i', 'hosts', '--ssh-config', 'strict_config', '--accept-new-host-keys', '--format', 'json'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('StrictHostKeyChecking yes, so --accept-new-host-keys does not apply');
    expect(await fs.readFile(empty, 'utf8')).to.equal('');
  });
});
