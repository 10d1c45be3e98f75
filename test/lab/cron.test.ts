// cron on a lab host through the CLI: a user's crontab (real crontab -u) and an /etc/cron.d file; --check touches
// nothing, a second run changes nothing, rollback restores both. (The cron daemon's own runs are not observed: lab
// hosts run no cron daemon until they boot systemd.)

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const PLAYBOOK = `
- hosts: node1
  gather_facts: false
  tasks:
    - name: nightly backup
      cron: { name: backup, user: rbcron, minute: "30", hour: "2", job: "/usr/local/bin/backup --quiet" }
    - name: old job gone
      cron: { name: old, user: rbcron, state: absent }
    - name: renew certs
      cron: { name: renew, cron_file: rb-certs, user: rbcron, special_time: daily, job: "certbot renew -q" }
`;

describe('cron module on a lab host', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout;
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });
  const START = 'MAILTO=ops\n#Ansible: old\n0 * * * * /bin/old\n';

  before(async function () {
    lab = await acquireLab(1, this);
    const made = await lab.exec('node1', ['sh', '-c', 'userdel -r rbcron 2>/dev/null; rm -f /etc/cron.d/rb-certs; useradd rbcron && crontab -u rbcron -'], { stdin: START });
    expect(made.code, made.stderr).to.equal(0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-cron-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await sh('crontab -u rbcron -r 2>/dev/null; userdel -r rbcron 2>/dev/null; rm -f /etc/cron.d/rb-certs; true');
  });

  it('--check --diff shows the crontab diff and changes nothing', async () => {
    const res = await play('--check', '--diff');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const ev = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(ev.map((e) => e.status)).to.deep.equal(['changed', 'changed', 'changed']);
    expect(ev[0].diff[0]).to.deep.include({ path: 'crontab of rbcron', before: START, after: `${START}#Ansible: backup\n30 2 * * * /usr/local/bin/backup --quiet\n` });
    expect(await sh('crontab -u rbcron -l')).to.equal(START);
    expect(await sh('test -e /etc/cron.d/rb-certs && echo there || echo none')).to.equal('none\n');
  });

  let firstRun = '';
  it('writes the crontab and the cron.d file; a second run changes nothing', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await sh('crontab -u rbcron -l')).to.equal('MAILTO=ops\n#Ansible: backup\n30 2 * * * /usr/local/bin/backup --quiet\n');
    expect(await sh('stat -c "%a %U" /etc/cron.d/rb-certs; cat /etc/cron.d/rb-certs')).to.equal('644 root\n#Ansible: renew\n@daily rbcron certbot renew -q\n');
    const again = await play();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 3 });
  });

  it('rollback restores the crontab and removes the cron.d file', async () => {
    const rb = await runCli(['rollback', firstRun], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await sh('crontab -u rbcron -l')).to.equal(START);
    expect(await sh('test -e /etc/cron.d/rb-certs && echo there || echo none')).to.equal('none\n');
  });
});
