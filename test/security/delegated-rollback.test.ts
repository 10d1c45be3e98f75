// Security item 10: a change made for host X on a delegate (delegate_to) is rolled back with X, automatically after
// a failure and by `runbook rollback RUN -l X`, on the delegate's own connection.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: delegated changes are rolled back with their host', () => {
  let dir: string;
  let target: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-delegate-'));
    target = path.join(dir, 'target');
    await fs.mkdir(target);
    await fs.writeFile(path.join(dir, 'hosts.yml'), 'all:\n  hosts:\n    app: { connection: local }\n');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: app
  gather_facts: false
  tasks:
    - name: registered on the controller for app
      copy: { dest: "${target}/registry-{{inventory_hostname}}", content: "app\\n" }
      delegate_to: localhost
    - name: own change
      copy: { dest: "${target}/own", content: "own\\n" }
    - name: breaks
      command: { argv: ["false"] }
`);
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  const exists = (f: string) => fs.stat(path.join(target, f)).then(() => true, () => false);

  it('a failed host is rolled back together with what was done for it on the delegate', async () => {
    const res = await runCli(['play', 'site.yml', '-i', 'hosts.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    const steps = jsonEvents(res.stdout).find((e) => e.event === 'rollback' && e.host === 'app')!.steps;
    expect(steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal([
      'breaks:irreversible', 'own change:reverted', 'registered on the controller for app:reverted',
    ]);
    expect(await exists('own')).to.equal(false);
    expect(await exists('registry-app')).to.equal(false);
  });

  it('`runbook rollback RUN -l app` reverts the delegated change too', async () => {
    const res = await runCli(['play', 'site.yml', '-i', 'hosts.yml', '--no-rollback', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    expect(await exists('registry-app')).to.equal(true);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run, '-l', 'app', '--format', 'json'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await exists('own')).to.equal(false);
    expect(await exists('registry-app')).to.equal(false);
  });
});
