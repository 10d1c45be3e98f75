// Security item 18 (umask part): commands over SSH run with the login umask, as over the local connection, so a
// directory a command makes comes out 0755 on both (the transport's own frame files stay private: umask 077).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

describe('security: umask of commands over SSH', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  before(async function () { lab = await acquireLab(1, this); });
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-umask-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('mkdir and a file made by a command get the same modes over ssh as locally (0755/0644)', async () => {
    const node = lab.hosts[0].name;
    await lab.exec(node, ['rm', '-rf', '/tmp/umask-made']);
    const local = path.join(dir, 'local-made');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: ${node}
  gather_facts: false
  tasks:
    - command: { argv: ["sh", "-c", "mkdir /tmp/umask-made && touch /tmp/umask-made/f"] }
- hosts: localhost
  gather_facts: false
  tasks:
    - command: { argv: ["sh", "-c", "umask 022; mkdir ${local} && touch ${local}/f"] }
`);
    const res = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + JSON.stringify(jsonEvents(res.stdout).filter((e) => e.status === 'failed'))).to.equal(0);
    const remote = (await lab.exec(node, ['stat', '-c', '%a', '/tmp/umask-made', '/tmp/umask-made/f'])).stdout.trim().split('\n');
    const here = [(await fs.stat(local)).mode & 0o777, (await fs.stat(path.join(local, 'f'))).mode & 0o777].map((m) => m.toString(8));
    expect(here).to.deep.equal(['755', '644']);
    expect(remote).to.deep.equal(here);
  });
});
