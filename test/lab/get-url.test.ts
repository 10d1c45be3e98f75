// get_url on a lab host through the CLI, from an HTTP server started inside the lab host (python3 -m http.server,
// stopped by PID): downloaded on the target (curl) with a checksum, mode and group, into a folder, and on the
// controller (remote_src: false, from the lab host's address); --check writes nothing, a rerun changes nothing,
// rollback removes new files and restores a replaced one; a checksum mismatch fails and leaves dest untouched.

import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const DIR = '/tmp/rb-get-url';
const WWW = '/tmp/rb-get-url-www';
const PORT = 18124;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const playbook = (address: string, checksum: string) => `
- hosts: node1
  gather_facts: false
  tasks:
    - name: on the target
      get_url: { url: "http://127.0.0.1:${PORT}/app.conf", dest: ${DIR}/app.conf, checksum: "sha256:${checksum}", mode: "0640", group: adm }
    - name: into a folder
      get_url: { url: "http://127.0.0.1:${PORT}/data.txt", dest: ${DIR}/sub/ }
    - name: through the controller
      get_url: { url: "http://${address}:${PORT}/app.conf", dest: ${DIR}/from-controller.conf, remote_src: false, force: true }
`;

describe('get_url module on a lab host', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  let serverPid = '';
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout;
  const play = (file: string, ...args: string[]) => runCli(['play', file, '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });
  const listing = () => sh(`cd ${DIR} && find . | sort && stat -c '%n %a %U:%G' app.conf 2>/dev/null; true`);

  before(async function () {
    lab = await acquireLab(1, this);
    await sh(`rm -rf ${DIR} ${WWW}; mkdir -p ${DIR}/sub ${WWW} && printf 'hello\\n' > ${WWW}/app.conf && printf 'data\\n' > ${WWW}/data.txt`);
    serverPid = (await sh(`setsid python3 -m http.server ${PORT} --bind 0.0.0.0 --directory ${WWW} >/dev/null 2>&1 < /dev/null & echo $!`)).trim();
    for (let i = 0; i < 100 && (await lab.exec('node1', ['curl', '-sf', '-o', '/dev/null', `http://127.0.0.1:${PORT}/app.conf`])).code !== 0; i++) await sleep(100);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-get-url-'));
    await fs.writeFile(path.join(dir, 'site.yml'), playbook(lab.hosts[0].address, sha256('hello\n')));
    await fs.writeFile(path.join(dir, 'mismatch.yml'), playbook(lab.hosts[0].address, sha256('something else\n')));
    await fs.writeFile(path.join(dir, 'mismatch-controller.yml'), `- hosts: node1\n  gather_facts: false\n  tasks:\n    - get_url: { url: "http://${lab.hosts[0].address}:${PORT}/app.conf", dest: ${DIR}/app.conf, remote_src: false, checksum: "sha256:${sha256('x\n')}" }\n`);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) {
      if (/^\d+$/.test(serverPid)) await lab.exec('node1', ['kill', serverPid]);
      await sh(`rm -rf ${DIR} ${WWW}`);
    }
  });

  it('--check reports the downloads and writes nothing', async () => {
    const before = await listing();
    const res = await play('site.yml', '--check');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(jsonEvents(res.stdout).filter((e) => e.event === 'task').map((e) => e.status)).to.deep.equal(['changed', 'changed', 'changed']);
    expect(await listing()).to.equal(before);
  });

  let firstRun = '';
  it('downloads on the target and on the controller; a rerun changes nothing; rollback removes the new files', async () => {
    const res = await play('site.yml');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    firstRun = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    expect(await sh(`cat ${DIR}/app.conf ${DIR}/sub/data.txt ${DIR}/from-controller.conf; stat -c '%a %G' ${DIR}/app.conf; ls -A ${DIR}`))
      .to.equal(`hello\ndata\nhello\n640 adm\napp.conf\nfrom-controller.conf\nsub\n`);
    const again = await play('site.yml');
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1, again.stdout).to.include({ changed: 0, ok: 3 });
    const rb = await runCli(['rollback', firstRun], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await sh(`ls -A ${DIR} ${DIR}/sub`)).to.equal(`${DIR}:\nsub\n\n${DIR}/sub:\n`);
  });

  it('replaces a file without the checksum; rollback restores it with its mode', async () => {
    await lab.writeFile('node1', `${DIR}/app.conf`, 'old\n', 0o600);
    const res = await play('site.yml');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await sh(`cat ${DIR}/app.conf`)).to.equal('hello\n');
    const rb = await runCli(['rollback', jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await sh(`cat ${DIR}/app.conf; stat -c %a ${DIR}/app.conf`)).to.equal('old\n600\n');
  });

  it('a checksum mismatch (target or controller download) fails with both digests and leaves dest (and no temp file) behind', async () => {
    const res = await play('mismatch.yml');
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failed.msg).to.equal(`checksum mismatch for http://127.0.0.1:${PORT}/app.conf: expected sha256:${sha256('something else\n')}, got sha256:${sha256('hello\n')}; ${DIR}/app.conf was left as it was`);
    expect(await sh(`cat ${DIR}/app.conf; ls -A ${DIR}`)).to.equal('old\napp.conf\nsub\n');
    const temps = async () => (await fs.readdir(os.tmpdir())).filter((f) => f.startsWith('runbook-get_url-')).length;
    const tempsBefore = await temps();
    const viaController = await play('mismatch-controller.yml');
    expect(viaController.code, viaController.stdout + viaController.stderr).to.equal(1);
    expect(jsonEvents(viaController.stdout).find((e) => e.event === 'task')!.msg).to.equal(`checksum mismatch for http://${lab.hosts[0].address}:${PORT}/app.conf: expected sha256:${sha256('x\n')}, got sha256:${sha256('hello\n')}; ${DIR}/app.conf was left as it was`);
    expect(await sh(`cat ${DIR}/app.conf; ls -A ${DIR}`)).to.equal('old\napp.conf\nsub\n');
    expect(await temps(), 'the controller\'s temp download is removed').to.equal(tempsBefore);
  });
});
