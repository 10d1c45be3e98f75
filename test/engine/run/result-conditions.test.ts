// failed_when / changed_when / until see the result of a failed command (rc, stdout, stderr) before failure is
// decided, as in Ansible (#12 item 4).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from './local-play.js';

const play = (tasks: string) => `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`;

describe('failed_when over a failed command (#12 item 4)', () => {
  it('failed_when: false makes a failing command succeed; its rc and output are registered', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play(`
    - name: fails
      shell: "echo out; echo err >&2; exit 3"
      register: r
      failed_when: false
    - name: after
      copy: { dest: "${dir}/out", content: "{{r.rc}} {{r.stdout}} {{r.stderr}} {{r.failed}}\\n" }
`) });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.statuses).to.deep.equal(['fails=changed', 'after=changed']);
    expect(await fs.readFile(path.join(dir, 'out'), 'utf8')).to.equal('3 out err false\n');
  }));

  it('failed_when: gt result.rc 1 (docs/dsl.md): rc 1 passes, rc 2 fails the host', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play(`
    - name: rc one
      command: "sh -c 'exit 1'"
      failed_when: gt result.rc 1
      changed_when: false
    - name: rc two
      command: "sh -c 'exit 2'"
      register: two
      failed_when: gt two.rc 1
`) });
    const res = await playJson(dir);
    expect(res.code).to.equal(1);
    expect(res.statuses).to.deep.equal(['rc one=ok', 'rc two=failed']);
    const failed = res.events.find((e) => e.task === 'rc two');
    expect(failed!.msg).to.match(/exit 2/);
  }));

  it('until sees the rc of a failing command and retries until it passes', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play(`
    - name: third time lucky
      shell: "n=$(cat ${dir}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${dir}/n; test $n -ge 3"
      register: r
      until: eq r.rc 0
      retries: 5
      delay: 0
`) });
    const res = await playJson(dir);
    expect(res.code, res.stdout).to.equal(0);
    expect(res.statuses).to.deep.equal(['third time lucky=changed']);
    expect(await fs.readFile(path.join(dir, 'n'), 'utf8')).to.equal('3\n');
  }));
});
