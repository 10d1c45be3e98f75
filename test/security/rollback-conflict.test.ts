// Security item 7: rollback never silently overwrites a later change. The journal records a fingerprint of what each
// change produced; a target changed since is a conflict (reported, skipped, exit 1) unless --force.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: rollback conflicts with later changes', () => {
  let dir: string;
  let conf: string;
  let other: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-conflict-'));
    conf = path.join(dir, 'app.conf');
    other = path.join(dir, 'other.conf');
    await fs.writeFile(conf, 'port=80\n');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - name: port
      lineinfile: { path: "${conf}", regexp: "^port=", line: "port=8080" }
    - name: other
      copy: { dest: "${other}", content: "from the run\\n" }
`);
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  async function play(): Promise<string> {
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    return jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
  }

  it('a file edited after the run is a conflict: reported, skipped, exit 1; untouched files are still reverted', async () => {
    const run = await play();
    await fs.writeFile(conf, 'port=9090\n'); // someone's later edit
    const rb = await runCli(['rollback', run, '--format', 'json'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(1);
    const steps = jsonEvents(rb.stdout).find((e) => e.event === 'rollback')!.steps;
    expect(steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal(['other:reverted', 'port:conflict']);
    expect(steps[1].msg).to.contain('changed since the run').and.to.contain('--force');
    expect(await fs.readFile(conf, 'utf8')).to.equal('port=9090\n');
    expect(await fs.stat(other).then(() => true, () => false)).to.equal(false);
    // Still pending: --force reverts it.
    const forced = await runCli(['rollback', run, '--force'], { cwd: dir });
    expect(forced.code, forced.stdout + forced.stderr).to.equal(0);
    expect(await fs.readFile(conf, 'utf8')).to.equal('port=80\n');
  });

  it('a later run that touched the same file makes the earlier run\'s rollback a conflict', async () => {
    const first = await play();
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - lineinfile: { path: "${conf}", regexp: "^port=", line: "port=7070" }\n`);
    await play();
    const rb = await runCli(['rollback', first, '-l', 'localhost', '--format', 'json'], { cwd: dir });
    expect(rb.code).to.equal(1);
    expect(await fs.readFile(conf, 'utf8')).to.equal('port=7070\n');
  });

  it('beyond files written whole: an /etc/hosts-style file edited after the run is a conflict too (etc_hosts)', async () => {
    const hosts = path.join(dir, 'hosts');
    await fs.writeFile(hosts, '127.0.0.1 localhost\n');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: names\n      etc_hosts: { path: "${hosts}", entries: [{ ip: 10.0.0.5, names: [db1] }] }\n`);
    const run = await play();
    await fs.appendFile(hosts, '10.0.0.9 later\n');
    const rb = await runCli(['rollback', run, '--format', 'json'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(1);
    expect(jsonEvents(rb.stdout).find((e) => e.event === 'rollback')!.steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal(['names:conflict']);
    expect(await fs.readFile(hosts, 'utf8')).to.contain('10.0.0.9 later');
  });
});
