// Ansible's `action:` and `local_action:` (older content): the module they name runs as if it were the task's key,
// local_action on localhost; `runbook convert` writes the module key (and delegate_to: localhost). Conflicts are
// refused at validate with the reason.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from './run/local-play.js';
import { runCli } from '../helpers/cli.js';

describe("Ansible's action and local_action", () => {
  it('run the module they name, in the key=value and the mapping form; convert writes the module key', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: kv
      local_action: command touch ${dir}/made creates=${dir}/made
    - name: map
      action:
        module: copy
        dest: ${dir}/copied
        content: "hi\\n"
    - name: file
      action: file path=${dir}/sub state=directory mode=0750
`,
    });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.statuses).to.deep.equal(['kv=changed', 'map=changed', 'file=changed']);
    expect(await fs.readFile(path.join(dir, 'copied'), 'utf8')).to.equal('hi\n');
    expect(((await fs.stat(path.join(dir, 'sub'))).mode & 0o777).toString(8)).to.equal('750');
    expect((await playJson(dir)).statuses).to.deep.equal(['kv=ok', 'map=ok', 'file=ok']);

    const out = path.join(dir, 'converted');
    const conv = await runCli(['convert', 'ansible', path.join(dir, 'site.yml'), out]);
    expect(conv.code, conv.stdout + conv.stderr).to.equal(0);
    const text = await fs.readFile(path.join(out, 'site.yml'), 'utf8');
    expect(text).to.contain(`      command: touch ${dir}/made creates=${dir}/made\n      delegate_to: localhost\n`);
    expect(text).to.contain(`      copy:\n        dest: ${dir}/copied\n`);
  }));

  it('refuses action with local_action, local_action with delegate_to, and an action without a module', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: both
      action: ping
      local_action: ping
    - name: delegated
      local_action: ping
      delegate_to: other
    - name: nameless
      action: { path: /tmp/x }
`,
    });
    const res = await runCli(['validate', path.join(dir, 'site.yml')]);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain("task 'both': conflicting action statements: action, local_action (give one)");
    expect(res.stderr).to.contain("task 'delegated': local_action and delegate_to together: local_action already runs on localhost; write one of them");
    expect(res.stderr).to.contain("task 'nameless': 'action' needs a module name");
  }));
});
