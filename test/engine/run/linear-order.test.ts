// The linear strategy is linear at every level (#12 item 2): inside blocks, rescue/always and imported files a task
// runs on every host before the next starts on any; strategy: free lets hosts run ahead. Observed through a shared
// sequence file written by the tasks themselves (host a is slowed down by a `delay` host var).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from './local-play.js';

const inventory = 'all:\n  hosts:\n    a: { connection: local, delay: "0.6" }\n    b: { connection: local, delay: "0" }\n';
const step = (dir: string, label: string) => `shell: 'sleep {{delay}}; echo "{{inventory_hostname}} ${label}" >> ${dir}/seq'`;

async function sequence(dir: string): Promise<string[]> {
  return (await fs.readFile(path.join(dir, 'seq'), 'utf8')).trim().split('\n');
}

describe('linear at every nesting level (#12 item 2)', () => {
  it('block, import_tasks, rescue and always: no host starts a step before every host finished the one before', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'inv.yml': inventory,
      'steps.yml': `- name: i1\n  ${step(dir, 'i1')}\n- name: i2\n  ${step(dir, 'i2')}\n`,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: outer
      block:
        - name: b1
          ${step(dir, 'b1')}
        - name: b2
          ${step(dir, 'b2')}
        - import_tasks: steps.yml
        - name: boom
          shell: 'echo "{{inventory_hostname}} boom" >> ${dir}/seq; exit 1'
      rescue:
        - name: r1
          ${step(dir, 'r1')}
        - name: r2
          ${step(dir, 'r2')}
      always:
        - name: a1
          ${step(dir, 'a1')}
    - name: after
      ${step(dir, 'after')}
`,
    });
    const res = await playJson(dir, ['-i', 'inv.yml']);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const lines = await sequence(dir);
    const labels = lines.map((l) => l.split(' ')[1]);
    expect(labels).to.deep.equal(['b1', 'b1', 'b2', 'b2', 'i1', 'i1', 'i2', 'i2', 'boom', 'boom', 'r1', 'r1', 'r2', 'r2', 'a1', 'a1', 'after', 'after']);
    // b, without delay, finishes each step first; a is never overtaken by more than one step.
    expect(lines.slice(0, 4)).to.deep.equal(['b b1', 'a b1', 'b b2', 'a b2']);
  }));

  it('rescue runs only on the hosts whose block failed; they go on; always runs on both', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'inv.yml': inventory,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: fails on a
          shell: 'echo "{{inventory_hostname}} try" >> ${dir}/seq; test {{inventory_hostname}} = b'
      rescue:
        - name: rescue
          ${step(dir, 'rescue')}
      always:
        - name: always
          ${step(dir, 'always')}
    - name: after
      ${step(dir, 'after')}
`,
    });
    const res = await playJson(dir, ['-i', 'inv.yml']);
    expect(res.code, res.stdout).to.equal(0);
    const lines = (await sequence(dir)).filter((l) => !l.endsWith(' try'));
    expect(lines).to.deep.equal(['a rescue', 'b always', 'a always', 'b after', 'a after']);
  }));

  it('strategy: free lets the fast host run ahead inside a block', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'inv.yml': inventory,
      'site.yml': `- hosts: all\n  gather_facts: false\n  strategy: free\n  tasks:\n    - block:\n        - name: s1\n          ${step(dir, 's1')}\n        - name: s2\n          ${step(dir, 's2')}\n        - name: s3\n          ${step(dir, 's3')}\n`,
    });
    const res = await playJson(dir, ['-i', 'inv.yml']);
    expect(res.code, res.stdout).to.equal(0);
    expect((await sequence(dir)).slice(0, 3)).to.deep.equal(['b s1', 'b s2', 'b s3']);
  }));
});
