// `runbook play --list-hosts/--list-tasks/--list-tags`, `--start-at-task` and `--step` without a terminal, with
// ansible-playbook (Debian's) as the oracle on the same playbook and inventory.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, testStateHome } from '../helpers/cli.js';
import { cliEntry } from '../helpers/paths.js';
import { hasTmux, openTerminal } from '../helpers/tmux.js';

const PLAYBOOK = `- name: First play
  hosts: all
  gather_facts: false
  tags: [p1]
  tasks:
    - name: one
      debug: { msg: one }
      tags: [a, b]
    - name: blk
      block:
        - name: inner
          debug: { msg: inner }
          tags: [c]
        - name: second inner
          debug: { msg: second inner }
      always:
        - name: cleanup
          debug: { msg: cleanup }
      tags: [blk]
    - name: last of first
      debug: { msg: last }
- name: Second
  hosts: web
  gather_facts: false
  pre_tasks:
    - name: pre
      debug: { msg: pre }
  tasks:
    - name: config
      debug: { msg: config }
      tags: [never, a]
    - name: config file
      debug: { msg: config file }
`;
const INVENTORY = `all:
  hosts:
    h1: { connection: local, ansible_connection: local }
  children:
    web:
      hosts:
        w1: { connection: local, ansible_connection: local }
        w2: { connection: local, ansible_connection: local }
`;

const hasAnsible = spawnSync('ansible-playbook', ['--version']).status === 0;

function ansible(args: string[], cwd: string): { status: number | null; stdout: string } {
  const r = spawnSync('ansible-playbook', args, { cwd, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' } });
  return { status: r.status, stdout: r.stdout };
}

/** Ansible lists a play's hosts in no stable order: sort each hosts block before comparing. */
function sortedHostBlocks(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {4}hosts \((\d+)\):$/.exec(lines[i]);
    if (m) lines.splice(i + 1, Number(m[1]), ...lines.slice(i + 1, i + 1 + Number(m[1])).sort());
  }
  return text.length ? lines.join('\n') : text;
}

describe('cli: play --list-*, --start-at-task, --step', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-listing-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
    await fs.writeFile(path.join(dir, 'inventory.yml'), INVENTORY);
    await fs.mkdir(path.join(dir, 'roles', 'web', 'tasks'), { recursive: true });
    await fs.writeFile(path.join(dir, 'roles', 'web', 'tasks', 'main.yml'), '- name: install web\n  debug: { msg: web }\n  tags: [pkg]\n- name: web config\n  debug: { msg: cfg }\n');
    await fs.writeFile(path.join(dir, 'roles.yml'), '- name: With roles\n  hosts: web\n  gather_facts: false\n  roles: [web]\n  tasks:\n    - name: after roles\n      debug: { msg: after }\n');
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  for (const flags of [['--list-tasks'], ['--list-hosts'], ['--list-tags'], ['--list-hosts', '--list-tasks', '--list-tags'], ['--list-tasks', '-t', 'a'], ['--list-tasks', '--skip-tags', 'blk', '-l', 'w1']]) {
    it(`${flags.join(' ')} prints what ansible-playbook prints`, async function () {
      if (!hasAnsible) this.skip();
      const ours = await runCli(['play', 'site.yml', '-i', 'inventory.yml', ...flags], { cwd: dir });
      const theirs = ansible(['site.yml', '-i', 'inventory.yml', ...flags], dir);
      expect(ours.code, ours.stderr).to.equal(0);
      expect(theirs.status).to.equal(0);
      expect(sortedHostBlocks(ours.stdout)).to.equal(sortedHostBlocks(theirs.stdout));
    });
  }

  it('--list-tasks shows role tasks as "role : task", as ansible-playbook does', async function () {
    if (!hasAnsible) this.skip();
    const ours = await runCli(['play', 'roles.yml', '-i', 'inventory.yml', '--list-tasks', '--list-tags'], { cwd: dir });
    expect(ours.stdout).to.contain('      web : install web\tTAGS: [pkg]\n');
    expect(ours.stdout).to.equal(ansible(['roles.yml', '-i', 'inventory.yml', '--list-tasks', '--list-tags'], dir).stdout);
  });

  /** The names of the tasks that ran, in order (ours from JSON events, Ansible's from its TASK headers). */
  async function ranTasks(flags: string[], playbook = 'site.yml'): Promise<{ ours: string[]; theirs: string[] }> {
    const ours = await runCli(['play', playbook, '-i', 'inventory.yml', '-l', 'h1,w1', '--format', 'json', ...flags], { cwd: dir });
    expect(ours.code, ours.stderr).to.equal(0);
    const names = jsonEvents(ours.stdout).filter((e) => e.event === 'task').map((e) => e.task as string);
    const theirs = ansible([playbook, '-i', 'inventory.yml', '-l', 'h1,w1', ...flags], dir);
    expect(theirs.status, theirs.stdout).to.equal(0);
    // Ansible 2.14 gathers facts in the play holding the start task even with gather_facts: false (it resets the host
    // to its setup step); runbook keeps to gather_facts (docs/ansible-differences.md).
    const headers = [...theirs.stdout.matchAll(/^TASK \[(.+?)\] \*+$/gm)].map((m) => m[1]).filter((n) => n !== 'Gathering Facts');
    return { ours: [...new Set(names)], theirs: [...new Set(headers)] };
  }

  for (const start of ['second inner', 'config*', 'pre']) {
    it(`--start-at-task '${start}' runs the tasks ansible-playbook runs`, async function () {
      if (!hasAnsible) this.skip();
      const { ours, theirs } = await ranTasks(['--start-at-task', start]);
      expect(ours).to.deep.equal(theirs);
      expect(ours.length).to.be.greaterThan(0);
    });
  }

  for (const start of ['web config', 'web : web config']) {
    it(`--start-at-task '${start}' finds a role's task by its own name or "role : task", as ansible-playbook does`, async function () {
      if (!hasAnsible) this.skip();
      const { ours, theirs } = await ranTasks(['--start-at-task', start], 'roles.yml');
      expect(ours).to.deep.equal(theirs);
      expect(ours).to.deep.equal(['web : web config', 'after roles']);
    });
  }

  it('--start-at-task naming no task is exit 2 naming the nearest task names, and runs nothing', async () => {
    const r = await runCli(['play', 'site.yml', '-i', 'inventory.yml', '--start-at-task', 'confg'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("--start-at-task 'confg' names no task");
    expect(r.stderr).to.contain("nearest task names: 'config'");
    expect(r.stdout).to.equal('');
  });

  it('--step without a terminal is refused before anything runs (exit 2)', async () => {
    const r = await runCli(['play', 'site.yml', '-i', 'inventory.yml', '--step'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--step asks before each task and needs a terminal');
    expect(r.stdout).to.equal('');
  });

  it('--step on a terminal asks once per task: y runs it, n skips it, c runs the rest without asking', async function () {
    if (!hasTmux) this.skip();
    const terminal = openTerminal([process.execPath, cliEntry, 'play', 'site.yml', '-i', 'inventory.yml', '-l', 'h1', '--step'], { cwd: dir, env: { NO_COLOR: '1', XDG_STATE_HOME: testStateHome } });
    try {
      await terminal.waitFor(/Perform task: TASK: one \(N\)o\/\(y\)es\/\(c\)ontinue:$/);
      terminal.keys('y', 'Enter');
      await terminal.waitFor(/Perform task: TASK: inner \(N\)o/);
      terminal.keys('n', 'Enter');
      await terminal.waitFor(/Perform task: TASK: second inner \(N\)o/);
      terminal.keys('c', 'Enter');
      expect(await terminal.exitCode()).to.equal(0);
      const shown = terminal.history();
      const ran = [...shown.matchAll(/^ok +h1 \| (.+?) \(debug\)/gm)].map((m) => m[1]);
      expect(ran).to.deep.equal(['one', 'second inner', 'cleanup', 'last of first']);
      expect(shown.match(/Perform task/g)).to.have.length(3);
    } finally {
      terminal.close();
    }
  });
});
