// Bad input through the real CLI: each gives a clear message with file:line:col, exit 2, and nothing runs.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('runbook play: bad input (exit 2, nothing run)', () => {
  let dir: string;
  let marker: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-bad-'));
    marker = path.join(dir, 'marker');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  // Every playbook starts with a task that would leave a marker file if anything ran.
  const head = () => `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: would touch\n      copy: { dest: "${marker}", content: "ran" }\n`;

  async function expectRejected(body: string, pattern: RegExp, extraArgs: string[] = []): Promise<string> {
    await fs.writeFile(path.join(dir, 'site.yml'), body);
    const res = await runCli(['play', 'site.yml', ...extraArgs], { cwd: dir });
    expect(res.code, `stdout: ${res.stdout}\nstderr: ${res.stderr}`).to.equal(2);
    expect(res.stderr).to.match(pattern);
    expect(await fs.stat(marker).then(() => true, () => false), 'a task ran').to.equal(false);
    return res.stderr;
  }

  it('malformed YAML', async () => {
    await expectRejected(`${head()}    - name: broken\n      copy: { dest: "x", content: "y"\n`, /site\.yml:\d+:\d+/);
  });

  it('unknown module, with a suggestion', async () => {
    const err = await expectRejected(`${head()}    - name: typo\n      coppy: { dest: /tmp/x, content: y }\n`, /site\.yml:7:7/);
    expect(err).to.contain('coppy');
    expect(err).to.contain('copy');
  });

  it('wrong argument type', async () => {
    await expectRejected(`${head()}    - name: bad mode\n      file: { path: /tmp/x, state: [directory] }\n`, /site\.yml:7:\d+.*state/s);
  });

  it('unknown argument', async () => {
    const err = await expectRejected(`${head()}    - name: bad key\n      copy: { dst: /tmp/x, content: y }\n`, /site\.yml:7:\d+/);
    expect(err).to.contain('dst');
  });

  it('unknown play key', async () => {
    await expectRejected(`- hosts: localhost\n  taks: []\n`, /site\.yml:2:\d+.*taks/s);
  });

  it('circular import', async () => {
    await fs.writeFile(path.join(dir, 'a.yml'), '- name: a\n  import_tasks: b.yml\n');
    await fs.writeFile(path.join(dir, 'b.yml'), '- name: b\n  import_tasks: a.yml\n');
    await expectRejected(`${head()}    - import_tasks: a.yml\n`, /circular/i);
  });

  it('missing inventory file', async () => {
    await expectRejected(head(), /no-such-inventory/, ['-i', 'no-such-inventory.yml']);
  });

  it('template syntax error', async () => {
    await expectRejected(`${head()}    - name: bad template\n      copy: { dest: /tmp/x, content: "{{#if}}" }\n`, /site\.yml:\d+:\d+/);
  });

  it('invalid --forks', async () => {
    await expectRejected(head(), /--forks/, ['--forks', 'zero']);
  });

  it('runbook validate reports the same errors without running', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `${head()}    - name: typo\n      coppy: { dest: /tmp/x }\n`);
    const res = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/site\.yml:7:7/);
  });

  it('runbook validate accepts a good playbook', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), head());
    const res = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain('valid (1 play(s), 1 task(s))');
  });
});

describe('runbook play: an undefined variable fails the task with its name, task and host', () => {
  it('names the variable and rolls nothing else', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-undef-'));
    try {
      await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: uses nope\n      copy: { dest: "${dir}/out", content: "{{nope}}" }\n`);
      const res = await runCli(['play', 'site.yml'], { cwd: dir });
      expect(res.code).to.equal(2);
      expect(res.stdout + res.stderr).to.contain("'nope'");
      expect(res.stdout + res.stderr).to.contain('uses nope');
      expect(await fs.stat(path.join(dir, 'out')).then(() => true, () => false)).to.equal(false);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
