// `runbook play` end to end on the local connection, in temporary directories: converge, idempotence, check mode,
// rollback of a failed play, later `runbook rollback`, JSON events, exit codes.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, testStateHome } from '../helpers/cli.js';
import { acquireHostLocks } from '../../engine/run/host-locks.js';
import { hostIdentity } from '../../engine/connection/index.js';

async function tempProject(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'runbook-cli-'));
}

function recapOf(stdout: string): Record<string, Record<string, number>> {
  const recap = jsonEvents(stdout).find((e) => e.event === 'recap');
  expect(recap, `no recap event in:\n${stdout}`).to.exist;
  return recap!.hosts;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

describe('runbook play (local connection)', () => {
  let dir: string;
  let target: string;

  beforeEach(async () => {
    dir = await tempProject();
    target = path.join(dir, 'target');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'app.conf'), 'port=80\nname=demo\n');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function writePlaybook(tasks: string, extra = ''): Promise<string> {
    const file = path.join(dir, 'site.yml');
    await fs.writeFile(file, `- name: converge\n  hosts: localhost\n  gather_facts: false\n  vars:\n    root: ${target}\n${extra}  tasks:\n${tasks}`);
    return file;
  }

  const converge = `
    - name: config dir
      file: { path: "{{root}}/conf.d", state: directory, mode: "0755" }
    - name: port line
      lineinfile: { path: "{{root}}/app.conf", regexp: "^port=", line: "port=8080" }
    - name: greeting file
      copy: { dest: "{{root}}/conf.d/hello.txt", content: "hello {{inventory_hostname}}\\n", mode: "0640" }
`;

  it('converges on the first run and reports changed=0 on the second', async () => {
    await writePlaybook(converge);
    const first = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(first.code, first.stderr + first.stdout).to.equal(0);
    expect(recapOf(first.stdout).localhost).to.include({ changed: 3, failed: 0 });
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=8080\nname=demo\n');
    expect(await fs.readFile(path.join(target, 'conf.d/hello.txt'), 'utf8')).to.equal('hello localhost\n');
    expect((await fs.stat(path.join(target, 'conf.d/hello.txt'))).mode & 0o777).to.equal(0o640);

    const second = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(second.code, second.stderr).to.equal(0);
    expect(recapOf(second.stdout).localhost).to.include({ changed: 0, ok: 3, failed: 0 });
  });

  it('--check reports what would change and changes nothing on disk; --detect-drift exits 4', async () => {
    await writePlaybook(converge);
    const res = await runCli(['play', 'site.yml', '--check', '--diff', '--detect-drift', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(4);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(tasks.map((t) => t.status)).to.deep.equal(['changed', 'changed', 'changed']);
    const portDiff = tasks[1].diff?.[0];
    expect(portDiff.before).to.contain('port=80\n');
    expect(portDiff.after).to.contain('port=8080\n');
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=80\nname=demo\n');
    expect(await exists(path.join(target, 'conf.d'))).to.equal(false);
  });

  it('rolls back every earlier change of the host when a task fails mid-play', async () => {
    await writePlaybook(`${converge}
    - name: this one fails
      command: { argv: ["sh", "-c", "echo broken >&2; exit 3"] }
    - name: never reached
      copy: { dest: "{{root}}/never.txt", content: "x" }
`);
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    const events = jsonEvents(res.stdout);
    const failed = events.find((e) => e.event === 'task' && e.status === 'failed');
    expect(failed?.task).to.equal('this one fails');
    expect(failed?.msg).to.contain('exit 3');
    const rollback = events.find((e) => e.event === 'rollback');
    // The failed command is reported honestly: it may have done something, and commands cannot be undone.
    expect(rollback?.steps.map((s: { task: string; status: string }) => `${s.task}:${s.status}`)).to.deep.equal([
      'this one fails:irreversible', 'greeting file:reverted', 'port line:reverted', 'config dir:reverted',
    ]);
    expect(recapOf(res.stdout).localhost).to.include({ failed: 1, rolled_back: 3 });
    // The host is exactly as it was before the run.
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=80\nname=demo\n');
    expect(await exists(path.join(target, 'conf.d'))).to.equal(false);
    expect(await exists(path.join(target, 'never.txt'))).to.equal(false);
  });

  it('--no-rollback leaves the changes, and `runbook rollback RUN` undoes them later (idempotently)', async () => {
    await writePlaybook(`${converge}
    - name: this one fails
      command: { argv: ["false"] }
`);
    const res = await runCli(['play', 'site.yml', '--no-rollback', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(1);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=8080\nname=demo\n');

    const runs = await runCli(['runs'], { cwd: dir });
    expect(runs.stdout).to.contain(run).and.to.contain('failed');

    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stderr + rb.stdout).to.equal(0);
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=80\nname=demo\n');
    expect(await exists(path.join(target, 'conf.d'))).to.equal(false);

    const again = await runCli(['rollback', run], { cwd: dir });
    expect(again.code).to.equal(0);
    expect(again.stdout).to.contain('nothing to roll back');
  });

  it('rolls back a finished successful run with `runbook rollback`', async () => {
    await writePlaybook(converge);
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code).to.equal(0);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run, '--format', 'json'], { cwd: dir });
    expect(rb.code, rb.stderr).to.equal(0);
    const steps = jsonEvents(rb.stdout).find((e) => e.event === 'rollback')!.steps;
    expect(steps).to.have.length(3);
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=80\nname=demo\n');
    expect(await exists(path.join(target, 'conf.d'))).to.equal(false);
  });

  it('registers results, evaluates when/changed_when, and loops', async () => {
    await writePlaybook(`
    - name: read the port
      command: { argv: ["grep", "-c", "port=80", "{{root}}/app.conf"] }
      register: port
      changed_when: false
    - name: only when the port is 80
      copy: { dest: "{{root}}/{{item}}.txt", content: "{{item}} {{port.stdout}}\\n" }
      loop: [a, b]
      when: eq port.stdout "1"
    - name: never when false
      copy: { dest: "{{root}}/skipped.txt", content: "x" }
      when: eq port.stdout "7"
`);
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(await fs.readFile(path.join(target, 'a.txt'), 'utf8')).to.equal('a 1\n');
    expect(await fs.readFile(path.join(target, 'b.txt'), 'utf8')).to.equal('b 1\n');
    expect(await exists(path.join(target, 'skipped.txt'))).to.equal(false);
    expect(recapOf(res.stdout).localhost).to.include({ ok: 1, changed: 1, skipped: 1 });
  });

  it('runs notified handlers once, after the tasks', async () => {
    await writePlaybook(`
    - name: first change
      copy: { dest: "{{root}}/one.txt", content: "1" }
      notify: record
    - name: second change
      copy: { dest: "{{root}}/two.txt", content: "2" }
      notify: record
`, `  handlers:\n    - name: record\n      shell: { cmd: "echo ran >> {{root}}/handler.log" }\n`);
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(await fs.readFile(path.join(target, 'handler.log'), 'utf8')).to.equal('ran\n');
    const again = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(again.code).to.equal(0);
    expect(await fs.readFile(path.join(target, 'handler.log'), 'utf8')).to.equal('ran\n');
  });

  it('block/rescue/always: a rescued failure does not fail the host; tasks after the block run; order as written', async () => {
    await writePlaybook(`
    - name: guarded
      block:
        - name: before failure
          copy: { dest: "{{root}}/block-1.txt", content: "yes" }
        - name: fails
          command: { argv: ["false"] }
        - name: after failure
          copy: { dest: "{{root}}/never.txt", content: "no" }
      rescue:
        - name: rescue ran
          copy: { dest: "{{root}}/rescued.txt", content: "yes" }
      always:
        - name: always ran
          copy: { dest: "{{root}}/always.txt", content: "yes" }
    - name: after the block
      copy: { dest: "{{root}}/after.txt", content: "yes" }
`);
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stdout).to.equal(0);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task').map((e) => `${e.task}:${e.status}`);
    expect(tasks).to.deep.equal(['before failure:changed', 'fails:failed', 'rescue ran:changed', 'always ran:changed', 'after the block:changed']);
    for (const f of ['block-1.txt', 'rescued.txt', 'always.txt', 'after.txt']) expect(await exists(path.join(target, f)), f).to.equal(true);
    expect(await exists(path.join(target, 'never.txt')), 'the rest of a failed block is skipped').to.equal(false);
    expect(jsonEvents(res.stdout).find((e) => e.event === 'recap')!.status).to.equal('ok');
  });

  it('block/always without rescue: always runs, then the host fails and nothing after the block runs', async () => {
    await writePlaybook(`
    - name: unguarded
      block:
        - name: fails
          command: { argv: ["false"] }
      always:
        - name: always ran
          copy: { dest: "{{root}}/always.txt", content: "yes" }
    - name: after the block
      copy: { dest: "{{root}}/after.txt", content: "no" }
`);
    const res = await runCli(['play', 'site.yml', '--format', 'json', '--no-rollback'], { cwd: dir });
    expect(res.code, res.stdout).to.equal(1);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task').map((e) => `${e.task}:${e.status}`);
    expect(tasks).to.deep.equal(['fails:failed', 'always ran:changed']);
    expect(await exists(path.join(target, 'always.txt'))).to.equal(true);
    expect(await exists(path.join(target, 'after.txt'))).to.equal(false);
  });

  it('extra vars win over play vars, and secrets never reach the output or the journal', async () => {
    await writePlaybook(`
    - name: uses a secret
      copy: { dest: "{{root}}/secret.conf", content: "password={{db_password}}\\nroot={{root}}\\n", mode: "0600" }
`, '    db_password: from-play-vars\n');
    const res = await runCli(['play', 'site.yml', '--diff', '--format', 'json', '-e', 'db_password=S3cretValue!'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(await fs.readFile(path.join(target, 'secret.conf'), 'utf8')).to.equal(`password=S3cretValue!\nroot=${target}\n`);
    expect(res.stdout).to.not.contain('S3cretValue!');
    expect(res.stdout).to.contain('********');
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const journal = await fs.readFile(path.join(dir, '.runbook/runs', run, 'journal.jsonl'), 'utf8');
    expect(journal).to.not.contain('S3cretValue!');
    // …and the run can still be rolled back from the sealed entry.
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stderr + rb.stdout).to.equal(0);
    expect(await exists(path.join(target, 'secret.conf'))).to.equal(false);
  });

  it('no_log and secret-named vars stay out of human, JSON and JUnit output and the journal; sealed data is 0600', async () => {
    await writePlaybook(`
    - name: token file
      copy: { dest: "{{root}}/token", content: "{{join_token}}", mode: "0600" }
    - name: quiet
      copy: { dest: "{{root}}/quiet.conf", content: "not-a-secret-but-no_log-Qz9" }
      no_log: true
`, '    join_token: abcdef.0123456789abcdef\n');
    const secrets = ['abcdef.0123456789abcdef', 'not-a-secret-but-no_log-Qz9', Buffer.from('abcdef.0123456789abcdef').toString('base64')];
    for (const format of ['human', 'json', 'junit']) {
      await fs.rm(path.join(target, 'token'), { force: true });
      await fs.rm(path.join(target, 'quiet.conf'), { force: true });
      const res = await runCli(['play', 'site.yml', '--diff', '-v', '--format', format], { cwd: dir });
      expect(res.code, res.stderr + res.stdout).to.equal(0);
      for (const s of secrets) expect(res.stdout + res.stderr, `${format} output`).to.not.contain(s);
    }
    for (const run of await fs.readdir(path.join(dir, '.runbook/runs'))) {
      const runDir = path.join(dir, '.runbook/runs', run);
      const journal = await fs.readFile(path.join(runDir, 'journal.jsonl'), 'utf8');
      for (const s of secrets) expect(journal, `journal of ${run}`).to.not.contain(s);
      for (const f of await fs.readdir(path.join(runDir, 'sealed'))) {
        expect((await fs.stat(path.join(runDir, 'sealed', f))).mode & 0o777, f).to.equal(0o600);
      }
    }
  });

  it('a second run on the same hosts while one holds the lock fails clearly', async () => {
    await writePlaybook(converge);
    // A live process (this test runner) holds the lock of this machine, in the state folder the CLI uses.
    const release = await acquireHostLocks(path.join(testStateHome, 'runbook'), [{ name: 'localhost', identity: hostIdentity('localhost', {}) }], 'other-run', '/elsewhere');
    const res = await runCli(['play', 'site.yml'], { cwd: dir }).finally(release);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain("host 'localhost' is locked by run other-run");
    expect(await fs.readFile(path.join(target, 'app.conf'), 'utf8')).to.equal('port=80\nname=demo\n');
  });

  it('--format junit writes one testcase per host × task', async () => {
    await writePlaybook(converge);
    const res = await runCli(['play', 'site.yml', '--format', 'junit'], { cwd: dir });
    expect(res.code).to.equal(0);
    expect(res.stdout).to.match(/^<\?xml/);
    expect((res.stdout.match(/<testcase /g) ?? []).length).to.equal(3);
    expect(res.stdout).to.contain('name="port line"');
  });
});
