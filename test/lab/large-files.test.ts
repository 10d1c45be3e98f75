// Large files over SSH: what a change destroys is kept beside the journal in raw 4 MB chunks through the connection's
// persistent shell (frames of many packets), and rollback puts it back byte for byte. Random bytes cover every byte
// value, so any text decoding on the way would show in the checksum.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const DIR = '/var/lib/rb-large';

describe('large files kept for rollback over SSH (lab host)', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;

  const sums = async () => {
    const r = await lab.exec('node1', ['sh', '-c', `cd ${DIR} && find . -type f | sort | xargs sha256sum`]);
    expect(r.code, r.stderr).to.equal(0);
    return r.stdout;
  };

  before(async function () {
    lab = await acquireLab(1, this);
    // 21 MB: five full chunks and a partial one; a directory of two files beside it.
    const made = await lab.exec('node1', ['sh', '-c', `mkdir -p ${DIR}/tree && head -c 22020097 /dev/urandom > ${DIR}/data.bin && head -c 6000000 /dev/urandom > ${DIR}/tree/a.bin && printf 'x\\n' > ${DIR}/tree/b.txt`]);
    expect(made.code, made.stderr).to.equal(0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-large-ssh-'));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await lab.exec('node1', ['rm', '-rf', DIR]);
  });

  it('a 21 MB file and a directory removed, then a failure: rollback restores both byte for byte', async () => {
    const before = await sums();
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node1
  gather_facts: false
  tasks:
    - name: remove file
      file: { path: ${DIR}/data.bin, state: absent }
    - name: remove tree
      file: { path: ${DIR}/tree, state: absent }
    - name: breaks
      command: { argv: ["false"] }
`);
    const res = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(1);
    const rollback = jsonEvents(res.stdout).find((e) => e.event === 'rollback')!;
    expect(rollback.steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal(['breaks:irreversible', 'remove tree:reverted', 'remove file:reverted']);
    expect(await sums()).to.equal(before);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run;
    const kept = await fs.readdir(path.join(dir, '.runbook', 'runs', run, 'kept'));
    expect(kept.sort()).to.deep.equal(['node1-1-0.bin', 'node1-2-0.tar.gz']);
    expect((await fs.stat(path.join(dir, '.runbook', 'runs', run, 'kept', 'node1-1-0.bin'))).size).to.equal(22020097);
  });
});
