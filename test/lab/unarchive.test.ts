// unarchive on a lab host through the CLI: a tar.gz and a zip from the controller (uploaded), a tar.xz already on the
// target (remote_src, --strip-components), creates; --check extracts nothing, a rerun changes nothing, rollback
// removes what was extracted and restores the file it replaced.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const DIR = '/tmp/rb-unarchive';

const PLAYBOOK = `
- hosts: node1
  gather_facts: false
  tasks:
    - name: tar.gz from the controller
      unarchive: { src: files/app.tar.gz, dest: ${DIR}/gz }
      register: gz
    - name: zip from the controller
      unarchive: { src: files/app.zip, dest: ${DIR}/zip }
    - name: tar.xz on the target
      unarchive: { src: ${DIR}/app.tar.xz, dest: ${DIR}/xz, remote_src: true, extra_opts: [--strip-components=1] }
    - name: already there
      unarchive: { src: files/app.tar.gz, dest: ${DIR}/skip, creates: ${DIR}/skip/marker }
    - name: members
      copy: { dest: ${DIR}/members, content: "{{join gz.files \\",\\"}}" }
`;

describe('unarchive module on a lab host', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout;
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });
  const tree = () => sh(`cd ${DIR} && find gz zip xz skip | sort && cat gz/app/README`);

  before(async function () {
    lab = await acquireLab(1, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-unarchive-'));
    const src = path.join(dir, 'src');
    await fs.mkdir(path.join(src, 'app/bin'), { recursive: true });
    await fs.writeFile(path.join(src, 'app/README'), 'the app\n');
    await fs.writeFile(path.join(src, 'app/bin/tool'), '#!/bin/sh\necho tool\n', { mode: 0o755 });
    await fs.mkdir(path.join(dir, 'files'));
    // Members named one by one, so their order in the archive is known.
    const members = ['app/', 'app/bin/', 'app/bin/tool', 'app/README'];
    execFileSync('tar', ['-C', src, '--no-recursion', '-czf', path.join(dir, 'files/app.tar.gz'), ...members]);
    execFileSync('zip', ['-q', path.join(dir, 'files/app.zip'), ...members], { cwd: src });
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
    const xz = execFileSync('tar', ['-C', src, '--no-recursion', '-cJf', '-', ...members]).toString('base64');
    const made = await lab.exec('node1', ['sh', '-c', `rm -rf ${DIR} && mkdir -p ${DIR}/gz/app ${DIR}/zip ${DIR}/xz ${DIR}/skip && base64 -d > ${DIR}/app.tar.xz && printf 'mine\\n' > ${DIR}/gz/app/README && touch ${DIR}/skip/marker`], { stdin: xz });
    expect(made.code, made.stderr).to.equal(0);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await sh(`rm -rf ${DIR}`);
  });

  let start = '';
  it('--check --diff lists the members and extracts nothing', async () => {
    start = await tree();
    const res = await play('--check', '--diff');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(tasks.map((e) => `${e.task}=${e.status}`)).to.deep.equal(['tar.gz from the controller=changed', 'zip from the controller=changed', 'tar.xz on the target=changed', 'already there=ok', 'members=changed']);
    expect(tasks[0].diff[0]).to.deep.include({ path: `${DIR}/gz`, before: 'app/\n', after: 'app/\napp/bin/\napp/bin/tool\napp/README\n' });
    expect(await tree()).to.equal(start);
  });

  let firstRun = '';
  it('extracts from the controller and the target; a rerun changes nothing', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await sh(`cd ${DIR} && cat gz/app/README zip/app/bin/tool xz/README members; stat -c %a xz/bin/tool; ls -A /tmp | grep -c unarchive.runbook || true`))
      .to.equal('the app\n#!/bin/sh\necho tool\nthe app\napp,app/bin,app/bin/tool,app/README755\n0\n');
    const again = await play();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1, again.stdout).to.include({ changed: 0, ok: 5 });
  });

  it('rollback removes what was extracted and restores the replaced file', async () => {
    const rb = await runCli(['rollback', firstRun], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await tree()).to.equal(start);
  });
});
