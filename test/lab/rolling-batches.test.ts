// #19 rolling changes: a batch that crosses max_fail_percentage, or fails its health gate (batch_check), stops the
// run before the next batch and is rolled back whole (its hosts that did not fail too); earlier batches stay
// converged unless `rollback: run`. Real lab hosts, real files.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { writeLabInventory } from '../helpers/playbook-run.js';

const hosts = ['node1', 'node2', 'node3', 'node4', 'node5'];
const state = '/tmp/rolling-batches/state';

function playbook(extra: string): string {
  return `- name: roll
  hosts: all
  gather_facts: false
  serial: 2
${extra}
  tasks:
    - name: write the new state
      copy: { dest: ${state}, content: "new\\n" }
    - name: fail where asked
      shell: 'exit {{ code }}'
      changed_when: false
`;
}

describe('lab: rolling batches stop and undo themselves (#19)', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir = '';

  before(async function () {
    lab = await acquireLab(5, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-rolling-'));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await Promise.all(hosts.map((h) => lab.exec(h, ['rm', '-rf', '/tmp/rolling-batches'])));
  });

  async function run(extra: string, failing: string[], healthy = hosts) {
    await writeLabInventory(dir, lab, { fleet: { hosts: Object.fromEntries(hosts.map((h) => [h, { code: failing.includes(h) ? 1 : 0 }])) } });
    await fs.writeFile(path.join(dir, 'site.yml'), playbook(extra));
    await Promise.all(hosts.map(async (h) => {
      await lab.exec(h, ['sh', '-c', `rm -rf /tmp/rolling-batches && mkdir -p /tmp/rolling-batches && printf 'old\\n' > ${state}`]);
      if (healthy.includes(h)) await lab.exec(h, ['touch', '/tmp/rolling-batches/healthy']);
    }));
    const res = await runCli(['play', 'site.yml', '-i', 'inv', '--format', 'json'], { cwd: dir, timeoutMs: 200_000 });
    const events = jsonEvents(res.stdout);
    const recap = events.find((e) => e.event === 'recap')!;
    const states = Object.fromEntries(await Promise.all(hosts.map(async (h) => [h, (await lab.readFile(h, state))?.trim()])));
    const touched = new Set(events.filter((e) => e.event === 'task').map((e) => e.host));
    return { res, recap, states, touched, batches: recap.batches as Array<Record<string, any>> };
  }

  it('second batch over max_fail_percentage: that batch is rolled back whole, the third never starts, the first stays', async () => {
    const r = await run('  max_fail_percentage: 40', ['node4']);
    expect(r.res.code, r.res.stdout).to.equal(1);
    expect(r.states).to.deep.equal({ node1: 'new', node2: 'new', node3: 'old', node4: 'old', node5: 'old' });
    expect(r.touched.has('node5')).to.equal(false);
    expect(r.batches.map((b) => [b.batch, b.hosts.join(','), b.status])).to.deep.equal([
      [1, 'node1,node2', 'completed'], [2, 'node3,node4', 'rolled_back'], [3, 'node5', 'not_started']]);
    expect(r.batches[1].reason).to.match(/^1 of 2 hosts failed \(50%, over max_fail_percentage 40%\): node4/);
    // node3 did not fail, yet it was rolled back with its batch; both are listed for a retry, and so is node5.
    expect(r.recap.hosts.node3).to.include({ failed: 0, rolled_back: 1 });
    expect(r.recap.failed_hosts).to.have.members(['node3', 'node4', 'node5']);
  });

  it('a failing health gate (batch_check) rolls its batch back and starts no other', async () => {
    const gate = '  batch_check:\n    - name: service is healthy\n      shell: test -e /tmp/rolling-batches/healthy\n      changed_when: false';
    const r = await run(gate, [], ['node1', 'node3', 'node4', 'node5']);
    expect(r.res.code, r.res.stdout).to.equal(1);
    expect(r.states).to.deep.equal({ node1: 'old', node2: 'old', node3: 'old', node4: 'old', node5: 'old' });
    expect(r.batches.map((b) => b.status)).to.deep.equal(['rolled_back', 'not_started', 'not_started']);
    expect(r.batches[0].reason).to.match(/^batch_check failed on node2 \(/);
    expect([...r.touched].sort()).to.deep.equal(['node1', 'node2']);
  });

  it('rollback: run undoes the earlier, completed batches too', async () => {
    const r = await run('  max_fail_percentage: 40\n  rollback: run', ['node4']);
    expect(r.res.code, r.res.stdout).to.equal(1);
    expect(r.states).to.deep.equal({ node1: 'old', node2: 'old', node3: 'old', node4: 'old', node5: 'old' });
    expect(r.batches.map((b) => b.status)).to.deep.equal(['rolled_back', 'rolled_back', 'not_started']);
  });

  it('the human recap names each batch and why one was rolled back', async () => {
    const res = await runCli(['play', 'site.yml', '-i', 'inv'], { cwd: dir, timeoutMs: 200_000 });
    expect(res.stdout).to.contain('batch 1/3 of roll [node1, node2] rolled back: rollback: run, after roll batch 2/3 failed');
    expect(res.stdout).to.match(/batch 2\/3 of roll \[node3, node4\] rolled back: 1 of 2 hosts failed/);
    expect(res.stdout).to.contain('batch 3/3 of roll [node5] not started');
  });
});
