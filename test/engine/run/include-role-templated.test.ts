// include_role with a templated name (the comparison with Ansible is test/conformance/cases/role-include-templated.yml):
// what only runbook says — a rendered name that is a path, or a role found nowhere, fails that host at its line.

import { expect } from 'chai';
import { playJson, withProject, writeFiles } from './local-play.js';

describe('include_role with a templated name', () => {
  it('refuses a rendered name that is a path, and names where a missing role was looked for', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'roles/ok/tasks/main.yml': '- name: ok runs\n  debug: { msg: ok }\n',
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars: { r: "../ok", good: ok }\n  tasks:\n    - name: good\n      include_role: { name: "{{good}}" }\n    - name: path\n      include_role: { name: "{{r}}" }\n',
    });
    const res = await playJson(dir, []);
    expect(res.code).to.equal(1);
    expect(res.statuses).to.deep.equal(['ok : ok runs=ok', 'path=failed']);
    expect(res.events.map((e) => String(e.msg ?? '')).join('\n')).to.contain("site.yml:7:7: include_role: the name rendered to '../ok', which is not a role name");
    await writeFiles(dir, {
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars: { m: nope }\n  tasks:\n    - name: missing\n      include_role: { name: "{{m}}" }\n',
    });
    const missing = await playJson(dir, []);
    expect(missing.statuses).to.deep.equal(['missing=failed']);
    expect(missing.events.map((e) => String(e.msg ?? '')).join('\n')).to.contain(`role 'nope' not found (looked in ${dir}/roles/nope`);
  }));
});
