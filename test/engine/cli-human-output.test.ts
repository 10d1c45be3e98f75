// Human output through the CLI: the live region on a real terminal (tmux), grouped per-task summaries above five
// hosts, plain appended lines without a terminal, -v/-vvv, and the recap naming failed hosts with the retry command.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, testStateHome } from '../helpers/cli.js';
import { cliEntry } from '../helpers/paths.js';
import { hasTmux, openTerminal } from '../helpers/tmux.js';

const hosts = (n: number) => Array.from({ length: n }, (_, i) => `    node${i + 1}: {}`).join('\n');

// node6-8 wait in "held" until the test creates the file `release` (bounded: 60 s), so the terminal can be read
// while they are still running; node8 then fails.
const PLAYBOOK = `- name: fleet
  hosts: all
  gather_facts: false
  tasks:
    - name: quick
      command: "true"
      changed_when: false
    - name: same everywhere
      command: "echo same"
    - name: held
      command: "sh {{ project }}/hold.sh {{ inventory_hostname }}"
      changed_when: false
    - name: fail on node8
      command: "false"
      when: eq inventory_hostname "node8"
`;

describe('cli: human output', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-human-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
    await fs.writeFile(path.join(dir, 'hold.sh'), `case "$1" in node[678]) i=0; until [ -e ${dir}/release ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done;; esac\n`);
    await fs.writeFile(path.join(dir, 'fleet.yml'), `all:\n  vars: { connection: local, project: ${dir} }\n  hosts:\n${hosts(8)}\n`);
    await fs.writeFile(path.join(dir, 'few.yml'), `all:\n  vars: { connection: local, project: ${dir} }\n  hosts:\n${hosts(3)}\n`);
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));
  beforeEach(async () => fs.writeFile(path.join(dir, 'release'), ''));

  it('on a terminal: a live region names the task, N of M hosts done and the hosts still running, then settles into summaries', async function () {
    if (!hasTmux) this.skip();
    await fs.rm(path.join(dir, 'release'));
    const terminal = openTerminal([process.execPath, cliEntry, 'play', 'site.yml', '-i', 'fleet.yml'], { cwd: dir, env: { XDG_STATE_HOME: testStateHome } });
    try {
      const live = await terminal.waitFor(/running: node6, node7, node8/);
      expect(live).to.match(/▸ held \(command\) · 5\/8 hosts done · \d+\.\d s · running: node6, node7, node8/);
      expect(live).to.match(/PLAY fleet · elapsed \d+\.\d s/);
      expect(live).to.contain('TASK quick (command) · 8 host(s): ok=8');
      await fs.writeFile(path.join(dir, 'release'), '');
      expect(await terminal.exitCode()).to.equal(1);
      const shown = terminal.history();
      expect(shown).not.to.contain('▸');
      expect(shown).not.to.contain('elapsed');
      expect(shown).to.contain('TASK held (command) · 8 host(s): ok=8');
      expect(shown).to.match(/changed\s+node1-8 \| same everywhere \(command\)/);
      expect(shown).to.match(/failed\s+node8 \| fail on node8 \(command\)/);
    } finally {
      terminal.close();
    }
  });

  it('without a terminal: no cursor movement, grouped summaries above five hosts, ok results only counted', async () => {
    const r = await runCli(['play', 'site.yml', '-i', 'fleet.yml'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stdout).not.to.match(/[\r\x1b]/);
    const lines = r.stdout.split('\n');
    expect(lines).to.include('PLAY fleet [node1-8]');
    expect(lines.filter((l) => l.startsWith('TASK '))).to.have.length(4);
    expect(lines.filter((l) => /^changed\s+node1-8 \| same everywhere/.test(l))).to.have.length(1);
    expect(lines.filter((l) => /^ok\s/.test(l))).to.deep.equal([]);
    expect(lines.find((l) => l.startsWith('TASK fail'))).to.match(/^TASK fail on node8 \(command\) · 8 host\(s\): ok=0 failed=1 skipped=7 · \d+\.\d s$/);
  });

  it('-v adds ok results (grouped) and what commands printed; -vvv how each host was reached', async () => {
    const v = await runCli(['play', 'site.yml', '-i', 'fleet.yml', '-v'], { cwd: dir });
    expect(v.stdout).to.match(/^ok\s+node1-8 \| quick \(command\)/m);
    expect(v.stdout).to.contain('stdout: same');
    expect(v.stdout).not.to.contain('connected');
    const vvv = await runCli(['play', 'site.yml', '-i', 'fleet.yml', '-vvv'], { cwd: dir });
    expect(vvv.stdout).to.match(/^connected\s+node1 \| local connection on .+, as \S+ \(\d+ ms\)$/m);
  });

  it('up to five hosts: one line per host and task, ok included', async () => {
    const r = await runCli(['play', 'site.yml', '-i', 'few.yml'], { cwd: dir });
    expect(r.code).to.equal(0);
    expect(r.stdout).not.to.contain('TASK ');
    for (const h of ['node1', 'node2', 'node3']) expect(r.stdout).to.match(new RegExp(`^ok\\s+${h} \\| quick \\(command\\)$`, 'm'));
  });

  it('the recap names failed hosts and ends with the command retrying only them (inline -e values not repeated)', async () => {
    const r = await runCli(['play', 'site.yml', '-i', 'fleet.yml', '-e', 'token=s3cret', '-l', 'node1,node8'], { cwd: dir });
    expect(r.code).to.equal(1);
    const tail = r.stdout.trimEnd().split('\n').slice(-2);
    expect(tail[0]).to.equal('failed: node8');
    expect(tail[1]).to.match(/^retry only those: runbook play site\.yml -i fleet\.yml -e … -l @\.runbook\/runs\/[\w-]+\/failed\.txt$/);
    expect(r.stdout).not.to.contain('s3cret');
    const failedFile = /-l @(\S+)$/.exec(tail[1])![1];
    expect(await fs.readFile(path.join(dir, failedFile), 'utf8')).to.equal('node8\n');
  });
});
