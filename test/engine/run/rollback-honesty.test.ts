// Rollback honesty (#12 item 14): a rollback step that fails is counted (recap rollback_failed, a warning, exit 1),
// never hidden behind rolled_back; read-only probes (changed_when: false, check_mode: false) are not listed as
// irreversible changes.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { playJson, withProject, writeFiles } from './local-play.js';

describe('rollback honesty (#12 item 14)', () => {
  it('a directory the run created but a command filled cannot be removed: rollback_failed=1, warning, exit 1', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: make dir
      file: { path: "${dir}/made", state: directory }
    - name: fill it
      command: "touch ${dir}/made/inside"
    - name: boom
      command: "false"
` });
    const res = await playJson(dir);
    expect(res.code).to.equal(1);
    const rollback = res.events.find((e) => e.event === 'rollback')!;
    expect(rollback.steps.map((s: { status: string }) => s.status)).to.deep.equal(['irreversible', 'irreversible', 'failed']);
    expect(res.recap.localhost).to.include({ rolled_back: 0, rollback_failed: 1 });
    expect(res.events.some((e) => e.event === 'warning' && /rollback incomplete: 1 step\(s\) failed/.test(e.msg))).to.equal(true);
    await fs.rm(path.join(dir, 'made'), { recursive: true });
    const human = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(human.stdout).to.match(/rolled_back=0 rollback_failed=1/);
  }));

  it('read-only probes are not irreversible changes in the rollback list', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: probe one
      command: "cat /etc/hostname"
      changed_when: false
    - name: probe two
      command: "true"
      check_mode: false
    - name: real change
      copy: { dest: "${dir}/f", content: "x\\n" }
    - name: boom
      command: "false"
` });
    const res = await playJson(dir);
    expect(res.code).to.equal(1);
    const rollback = res.events.find((e) => e.event === 'rollback')!;
    expect(rollback.steps.map((s: { task: string; status: string }) => `${s.task}=${s.status}`)).to.deep.equal(['boom=irreversible', 'real change=reverted']);
    expect(res.recap.localhost).to.include({ rolled_back: 1, rollback_failed: 0 });
  }));

  it('a read-only probe that fails (changed_when: false, a wait that timed out) is not an irreversible change either', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: real change
      copy: { dest: "${dir}/f", content: "x\\n" }
    - name: wait that times out
      shell: "echo 'deployment/x was not available after 1 s' >&2; exit 1"
      changed_when: false
` });
    const res = await playJson(dir);
    expect(res.code).to.equal(1);
    const rollback = res.events.find((e) => e.event === 'rollback')!;
    expect(rollback.steps.map((s: { task: string; status: string }) => `${s.task}=${s.status}`)).to.deep.equal(['real change=reverted']);
  }));
});
