// The systemd module on a lab host through the CLI: start/enable, mask (the /dev/null symlink systemd makes), daemon-reload
// alone, check mode touching nothing, a second run changing nothing, rollback restoring the start. Lab hosts boot
// real systemd: the units are real unit files and systemctl is systemd's own.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { resetLabHost } from '../helpers/stand-ins.js';

const PLAYBOOK = `
- hosts: node1
  gather_facts: false
  tasks:
    - name: demo running at boot
      systemd: { name: demo, state: started, enabled: true }
    - name: legacy masked
      systemd: { name: legacy.service, state: stopped, masked: true }
`;

describe('systemd module on a lab host (real systemd)', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout.trim();
  const play = (file: string, ...args: string[]) => runCli(['play', file, '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });
  const states = () => sh('systemctl is-active demo; systemctl is-enabled demo; systemctl is-active legacy; systemctl is-enabled legacy; readlink /etc/systemd/system/legacy.service || echo none');

  before(async function () {
    lab = await acquireLab(1, this);
    await resetLabHost(lab, 'node1');
    const unit = (what: string) => `[Unit]\nDescription=${what}\n\n[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n`;
    await sh('systemctl disable --now demo legacy 2>/dev/null; systemctl unmask legacy 2>/dev/null; rm -f /etc/systemd/system/legacy.service /etc/systemd/system/demo.service; true');
    await lab.writeFile('node1', '/lib/systemd/system/demo.service', unit('demo'));
    await lab.writeFile('node1', '/lib/systemd/system/legacy.service', unit('legacy'));
    await sh('systemctl daemon-reload; systemctl start legacy; systemctl enable legacy 2>/dev/null');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-systemd-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
    await fs.writeFile(path.join(dir, 'reload.yml'), '- hosts: node1\n  gather_facts: false\n  tasks:\n    - systemd: { daemon_reload: true }\n');
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('--check reports the changes and touches nothing', async () => {
    const res = await play('site.yml', '--check');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(jsonEvents(res.stdout).filter((e) => e.event === 'task').map((e) => e.status)).to.deep.equal(['changed', 'changed']);
    expect(await states()).to.equal('inactive\ndisabled\nactive\nenabled\nnone');
  });

  let firstRun = '';
  it('starts, enables and masks for real; a second run changes nothing', async () => {
    const res = await play('site.yml');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await states()).to.equal('active\nenabled\ninactive\nmasked\n/dev/null');
    const again = await play('site.yml');
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 2, failed: 0 });
  });

  it('runs daemon-reload without a unit (ok, not changed, as Ansible reports it)', async () => {
    // A unit file changed on disk: systemd says it needs a reload until daemon-reload runs.
    await sh('echo "# edited" >> /lib/systemd/system/demo.service');
    expect(await sh('systemctl show demo -p NeedDaemonReload')).to.equal('NeedDaemonReload=yes');
    const res = await play('reload.yml');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(jsonEvents(res.stdout).find((e) => e.event === 'task')!.status, 'ok, as in Ansible: no unit changed').to.equal('ok');
    expect(await sh('systemctl show demo -p NeedDaemonReload')).to.equal('NeedDaemonReload=no');
  });

  it('refuses to start a masked unit, naming it, before running anything', async () => {
    await fs.writeFile(path.join(dir, 'start.yml'), '- hosts: node1\n  gather_facts: false\n  tasks:\n    - systemd: { name: legacy, state: started }\n');
    const res = await play('start.yml');
    expect(res.code).to.equal(1);
    expect(jsonEvents(res.stdout).find((e) => e.event === 'task')!.msg).to.contain('legacy is masked: it cannot be started (set masked: false to unmask it)');
    expect(await sh('systemctl is-active legacy')).to.equal('inactive');
  });

  it('refuses impossible arguments at validate with file:line:col (exit 2)', async () => {
    await fs.writeFile(path.join(dir, 'bad.yml'), '- hosts: node1\n  gather_facts: false\n  tasks:\n    - systemd: { name: legacy, masked: true, enabled: true }\n');
    const res = await play('bad.yml');
    expect(res.code).to.equal(2);
    expect(res.stderr + res.stdout).to.match(/bad\.yml:4:\d+: .*'enabled' must be false with masked: true/);
  });

  it('rollback restores state, enablement and masking', async () => {
    const rb = await runCli(['rollback', firstRun], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await states()).to.equal('inactive\ndisabled\nactive\nenabled\nnone');
  });
});
