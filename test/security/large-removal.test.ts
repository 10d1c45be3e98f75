// Security item 9: removing a directory too large for rollback to keep (8 MB) is marked irreversible before it
// happens (plan and check mode) and reported as irreversible by rollback; a small one is kept and restored.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: removing a large directory', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-removal-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  async function makeTree(name: string, megabytes: number): Promise<string> {
    const root = path.join(dir, name);
    await fs.mkdir(path.join(root, 'sub'), { recursive: true });
    await fs.writeFile(path.join(root, 'sub', 'data.bin'), Buffer.alloc(megabytes * 1024 * 1024, 7));
    await fs.writeFile(path.join(root, 'keep.txt'), 'hello\n');
    return root;
  }

  const playbook = (root: string) => `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: remove\n      file: { path: "${root}", state: absent }\n    - name: breaks\n      command: { argv: ["false"] }\n`;

  it('20 MB: check mode and the plan say it cannot be undone; rollback reports it irreversible', async () => {
    const root = await makeTree('big', 20);
    await fs.writeFile(path.join(dir, 'site.yml'), playbook(root));
    const check = await runCli(['play', 'site.yml', '--check', '--format', 'json'], { cwd: dir });
    const planned = jsonEvents(check.stdout).find((e) => e.event === 'task' && e.task === 'remove')!;
    expect(planned.irreversible, JSON.stringify(planned)).to.equal(true);
    expect(planned.msg).to.contain('cannot be undone').and.to.contain('8 MB');
    expect(await fs.stat(root).then(() => true, () => false)).to.equal(true);

    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    const steps = jsonEvents(res.stdout).find((e) => e.event === 'rollback')!.steps;
    expect(steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal(['breaks:irreversible', 'remove:irreversible']);
  });

  it('1 MB: kept, and restored by rollback after a later failure', async () => {
    const root = await makeTree('small', 1);
    await fs.writeFile(path.join(dir, 'site.yml'), playbook(root));
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    const steps = jsonEvents(res.stdout).find((e) => e.event === 'rollback')!.steps;
    expect(steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal(['breaks:irreversible', 'remove:reverted']);
    expect(await fs.readFile(path.join(root, 'keep.txt'), 'utf8')).to.equal('hello\n');
    expect((await fs.stat(path.join(root, 'sub', 'data.bin'))).size).to.equal(1024 * 1024);
  });
});
