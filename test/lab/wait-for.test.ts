// wait_for on a lab host through the CLI: a file that gets its ready line and a port that opens while the task
// waits (an HTTP server started inside the lab host, stopped by PID), sshd's banner, a closed port, a path gone; the
// failure names what was still not true; --check waits the same way and nothing ever reports changed.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, startCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const DIR = '/tmp/rb-wait-for';
const PORT = 18123;

const playbook = (address: string) => `
- hosts: node1
  gather_facts: false
  tasks:
    - name: before
      debug: { msg: waiting }
    - name: ready line
      wait_for: { path: ${DIR}/app.log, search_regex: 'ready on (?P<port>\\d+)', timeout: 60 }
      register: ready
    - name: port open
      wait_for: { port: ${PORT}, timeout: 60 }
    - name: sshd banner
      wait_for: { host: ${address}, port: 22, search_regex: '^SSH-2\\.0-OpenSSH', timeout: 30 }
    - name: closed port
      wait_for: { port: 1, state: stopped, timeout: 10 }
    - name: lock gone
      wait_for: { path: ${DIR}/lock, state: absent, timeout: 10 }
    - name: groups
      copy: { dest: ${DIR}/groups, content: "{{ready.match_groupdict.port}} {{ready.match_groups.[0]}}" }
`;

const FAILING = `
- hosts: node1
  gather_facts: false
  tasks:
    - name: never ready
      wait_for: { path: ${DIR}/app.log, search_regex: 'crashed', timeout: 2, sleep: 1 }
      ignore_errors: true
    - name: never open
      wait_for: { port: 1, timeout: 2 }
`;

describe('wait_for module on a lab host', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  let serverPid = '';
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout;
  const playArgs = (file: string, ...args: string[]) => ['play', file, '-i', lab.inventoryPath, '--format', 'json', ...args];

  before(async function () {
    lab = await acquireLab(1, this);
    await sh(`rm -rf ${DIR}; mkdir -p ${DIR}; echo booting > ${DIR}/app.log`);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-wait-for-'));
    await fs.writeFile(path.join(dir, 'site.yml'), playbook(lab.hosts[0].address));
    await fs.writeFile(path.join(dir, 'failing.yml'), FAILING);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) {
      if (/^\d+$/.test(serverPid)) await lab.exec('node1', ['kill', serverPid]);
      await sh(`rm -rf ${DIR}`);
    }
  });

  it('waits while the file gets its line and the port opens, then registers the groups', async () => {
    const run = startCli(playArgs('site.yml'), { cwd: dir, timeoutMs: 150_000 });
    await run.waitFor(/"task":"before"/, 60_000);
    await sh(`echo 'ready on ${PORT}' >> ${DIR}/app.log`);
    serverPid = (await sh(`cd ${DIR} && setsid python3 -m http.server ${PORT} --bind 127.0.0.1 >/dev/null 2>&1 < /dev/null & echo $!`)).trim();
    const res = await run.done;
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(tasks.map((e) => `${e.task}=${e.status}`)).to.deep.equal(['before=ok', 'ready line=ok', 'port open=ok', 'sshd banner=ok', 'closed port=ok', 'lock gone=ok', 'groups=changed']);
    expect(tasks[1].msg).to.match(/^\/tmp\/rb-wait-for\/app\.log matches \/ready on \(\?P<port>\\d\+\)\/ \(after \d+ s\)$/);
    expect(await lab.readFile('node1', `${DIR}/groups`)).to.equal(`${PORT} ${PORT}`);
  });

  it('--check waits the same way and changes nothing; a rerun changes nothing', async () => {
    const check = await runCli(playArgs('site.yml', '--check'), { cwd: dir });
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    expect(jsonEvents(check.stdout).filter((e) => e.event === 'task' && e.module === 'wait_for').map((e) => e.status)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
    const again = await runCli(playArgs('site.yml'), { cwd: dir });
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 7 });
  });

  it('fails saying what was still not true after the timeout', async () => {
    const res = await runCli(playArgs('failing.yml', '--no-rollback'), { cwd: dir });
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(tasks.map((e) => `${e.task}=${e.status}`)).to.deep.equal(['never ready=failed', 'never open=failed']);
    expect(tasks[0].msg).to.match(/^\/tmp\/rb-wait-for\/app\.log still had no match for \/crashed\/ after [23] s \(timeout 2 s\): it exists but has no match \(ignored\)$/);
    expect(tasks[1].msg).to.match(/^port 1 on 127\.0\.0\.1 was still not open after [23] s \(timeout 2 s\): connect: Connection refused$/);
  });
});
