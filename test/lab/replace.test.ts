// replace on a lab host through the CLI: backreferences and section bounds change the real file, --check and a second
// run change nothing, rollback restores the file.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const START = '[web]\nhost = w\npool a.example iburst\n[database]\nhost = old\npool b.example iburst\n[cache]\nhost = c\n';
const PLAYBOOK = `
- hosts: node1
  gather_facts: false
  tasks:
    - name: pools become servers
      replace: { path: /etc/rb-replace.ini, regexp: '^pool (\\S+) iburst$', replace: 'server \\1 iburst' }
    - name: database host only
      replace: { path: /etc/rb-replace.ini, after: '\\[database\\]', before: '\\[', regexp: '^host = .*$', replace: 'host = db.internal' }
`;

describe('replace module on a lab host', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });

  before(async function () {
    lab = await acquireLab(1, this);
    await lab.writeFile('node1', '/etc/rb-replace.ini', START);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-replace-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await lab.exec('node1', ['rm', '-f', '/etc/rb-replace.ini']);
  });

  it('--check --diff shows the replacements and writes nothing', async () => {
    const res = await play('--check', '--diff');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(jsonEvents(res.stdout).filter((e) => e.event === 'task').map((e) => e.msg)).to.deep.equal(['would replace 2 matches in /etc/rb-replace.ini', 'would replace 1 match in /etc/rb-replace.ini']);
    expect(await lab.readFile('node1', '/etc/rb-replace.ini')).to.equal(START);
  });

  let firstRun = '';
  it('edits the file; a second run changes nothing; rollback restores it', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await lab.readFile('node1', '/etc/rb-replace.ini')).to.equal('[web]\nhost = w\nserver a.example iburst\n[database]\nhost = db.internal\nserver b.example iburst\n[cache]\nhost = c\n');
    const again = await play();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 2 });
    const rb = await runCli(['rollback', firstRun], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await lab.readFile('node1', '/etc/rb-replace.ini')).to.equal(START);
  });
});
