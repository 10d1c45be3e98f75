// Faults on the lab, each with "nothing lost" asserted on the hosts afterwards: sshd killed mid-task on one host of
// ten, the controller killed with SIGKILL mid-apply, SIGINT, a full disk on the target, two runs on the same hosts.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, startCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

describe('reliability: faults on the lab, nothing lost', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (h: string, s: string) => (await lab.exec(h, ['sh', '-c', s])).stdout.trim();
  const write = (name: string, text: string) => fs.writeFile(path.join(dir, name), text);

  before(async function () {
    lab = await acquireLab(10, this);
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-faults-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sshd killed mid-task on one host of ten: the nine converge, that one is unreachable, rollback later restores it', async () => {
    const hosts = lab.hosts.slice(0, 10).map((h) => h.name);
    for (const h of hosts) await sh(h, 'rm -f /tmp/f1.txt /tmp/f2.txt; echo before > /tmp/f0.txt');
    await write('site.yml', `- hosts: ${hosts.join(',')}\n  gather_facts: false\n  tasks:\n    - name: first\n      copy: { dest: /tmp/f0.txt, content: "after\\n" }\n    - name: wait\n      command: sleep 3\n    - name: second\n      copy: { dest: /tmp/f2.txt, content: "2" }\n`);
    const run = startCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    // Task events are emitted when a task ends: once all ten did `first`, every host is inside `wait`.
    await run.waitFor(/("task":"first"[\s\S]*){10}/);
    // Only node7's sshd processes: lab hosts share the PID namespace, so match the network namespace.
    const pids = (await lab.exec('node7', ['sh', '-c', 'me=$(readlink /proc/self/ns/net); for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = sshd ] && [ "$(readlink $p/ns/net)" = "$me" ] && echo ${p#/proc/}; done'])).stdout.split('\n').filter(Boolean);
    expect(pids.length).to.be.greaterThan(0);
    for (const p of pids) await lab.exec('node7', ['kill', '-9', p]);
    const res = await run.done;
    expect(res.code).to.equal(1);
    const recap = jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts;
    expect(recap.node7.unreachable).to.equal(1);
    for (const h of hosts.filter((x) => x !== 'node7')) {
      expect(recap[h], h).to.include({ failed: 0, unreachable: 0 });
      expect(await lab.readFile(h, '/tmp/f2.txt'), h).to.equal('2');
    }
    expect(await lab.readFile('node7', '/tmp/f2.txt')).to.equal(null);
    await lab.startSshd('node7');
    const id = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', id, '-l', 'node7'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await lab.readFile('node7', '/tmp/f0.txt')).to.equal('before\n');
    // The others keep their converged state; a re-run then converges node7 too.
    expect(await lab.readFile('node1', '/tmp/f0.txt')).to.equal('after\n');
    const again = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    expect(again.code).to.equal(0);
    expect(await lab.readFile('node7', '/tmp/f2.txt')).to.equal('2');
  });

  it('controller killed with SIGKILL mid-apply: the journal is readable, rollback restores, the next play converges', async () => {
    await sh('node1', 'echo original > /tmp/k1.txt; rm -f /tmp/k2.txt');
    await sh('node2', 'echo original > /tmp/k1.txt; rm -f /tmp/k2.txt');
    await write('site.yml', '- hosts: node1,node2\n  gather_facts: false\n  tasks:\n    - name: change\n      copy: { dest: /tmp/k1.txt, content: "changed\\n" }\n    - name: slow\n      command: sleep 5\n    - name: later\n      copy: { dest: /tmp/k2.txt, content: "x" }\n');
    const run = startCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    await run.waitFor(/"task":"slow"/);
    run.signal('SIGKILL');
    const res = await run.done;
    expect(res.code).to.equal(137);
    const id = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    expect(await sh('node1', 'cat /tmp/k1.txt')).to.equal('changed');
    // `runbook runs` reads the journal of the killed run and says it did not finish.
    const runs = await runCli(['runs'], { cwd: dir });
    expect(runs.stdout).to.match(new RegExp(`${id}\\s+running or crashed .*changes=2`));
    // A half-written last line (the kill can land mid-write) must not break the journal either.
    const journal = path.join(dir, '.runbook/runs', id, 'journal.jsonl');
    await fs.appendFile(journal, '{"type":"change","seq":99,"host":"node1","tas');
    const rb = await runCli(['rollback', id, '--format', 'json'], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    // Each host: the command killed between its journal entry and its end cannot be undone (said so), the copy
    // before it is reverted; newest first.
    for (const h of ['node1', 'node2']) {
      const steps = jsonEvents(rb.stdout).find((e) => e.event === 'rollback' && e.host === h)?.steps as Array<{ task: string; status: string }>;
      expect(steps?.map((x) => `${x.task}:${x.status}`), h).to.deep.equal(['slow:irreversible', 'change:reverted']);
    }
    for (const h of ['node1', 'node2']) expect(await lab.readFile(h, '/tmp/k1.txt'), h).to.equal('original\n');
    // The killed run's host locks were left behind by a dead process: the next run takes them over.
    const next = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir, timeoutMs: 60_000 });
    expect(next.code, next.stderr).to.equal(0);
    expect(await lab.readFile('node2', '/tmp/k2.txt')).to.equal('x');
  });

  it('SIGINT: no new task starts, the task in flight finishes, the recap is printed, exit 130', async () => {
    await sh('node3', 'rm -f /tmp/i1.txt /tmp/i2.txt');
    await write('site.yml', '- hosts: node3\n  gather_facts: false\n  tasks:\n    - name: one\n      copy: { dest: /tmp/i1.txt, content: "1" }\n    - name: in flight\n      command: sleep 2\n    - name: never\n      copy: { dest: /tmp/i2.txt, content: "2" }\n');
    const run = startCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    await run.waitFor(/"task":"one"/);
    await new Promise((r) => setTimeout(r, 300));
    run.signal('SIGINT');
    const res = await run.done;
    expect(res.code, res.stdout + res.stderr).to.equal(130);
    expect(res.stderr).to.contain('interrupted');
    const events = jsonEvents(res.stdout);
    expect(events.find((e) => e.event === 'recap')!.status).to.equal('interrupted');
    expect(events.filter((e) => e.event === 'task').map((e) => `${e.task}:${e.status}`)).to.deep.equal(['one:changed', 'in flight:changed']);
    expect(await lab.readFile('node3', '/tmp/i1.txt')).to.equal('1');
    expect(await lab.readFile('node3', '/tmp/i2.txt')).to.equal(null);
  });

  it('a full disk on the target: the write fails with the reason, the old file survives intact, no temp file left', async () => {
    await sh('node4', 'umount /mnt/full 2>/dev/null; mkdir -p /mnt/full && mount -t tmpfs -o size=64k tmpfs /mnt/full && printf "old config\\n" > /mnt/full/app.conf && (dd if=/dev/zero of=/mnt/full/filler bs=4k 2>/dev/null; true)');
    try {
      await write('site.yml', `- hosts: node4\n  gather_facts: false\n  tasks:\n    - name: big config\n      copy: { dest: /mnt/full/app.conf, content: "${'x'.repeat(100_000)}" }\n`);
      const res = await runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
      expect(res.code).to.equal(1);
      const ev = jsonEvents(res.stdout).find((e) => e.event === 'task')!;
      expect(ev.status).to.equal('failed');
      expect(ev.msg, ev.msg).to.match(/cannot write \/mnt\/full\/app\.conf on node4: .*(space|full)/i);
      expect(await lab.readFile('node4', '/mnt/full/app.conf')).to.equal('old config\n');
      expect(await sh('node4', 'ls -A /mnt/full | sort | tr "\\n" " "')).to.equal('app.conf filler');
    } finally {
      await sh('node4', 'umount /mnt/full');
    }
  });

  it('two runs on the same host: the second is refused with who holds it, and changes nothing', async () => {
    await sh('node5', 'rm -f /tmp/l1.txt /tmp/l2.txt');
    await write('a.yml', '- hosts: node5\n  gather_facts: false\n  tasks:\n    - name: hold\n      command: sleep 3\n    - copy: { dest: /tmp/l1.txt, content: "a" }\n');
    await write('b.yml', '- hosts: node5,node6\n  gather_facts: false\n  tasks:\n    - copy: { dest: /tmp/l2.txt, content: "b" }\n');
    const a = startCli(['play', 'a.yml', '-i', lab.inventoryPath, '--format', 'json'], { cwd: dir });
    await a.waitFor(/"event":"run_start"/);
    const b = await runCli(['play', 'b.yml', '-i', lab.inventoryPath], { cwd: dir });
    expect(b.code).to.equal(1);
    expect(b.stderr).to.match(new RegExp(`host 'node5' is locked by run \\S+ \\(pid ${a.pid}, since `));
    expect(await lab.readFile('node5', '/tmp/l2.txt')).to.equal(null);
    expect(await lab.readFile('node6', '/tmp/l2.txt')).to.equal(null);
    expect((await a.done).code).to.equal(0);
    expect(await lab.readFile('node5', '/tmp/l1.txt')).to.equal('a');
  });
});
