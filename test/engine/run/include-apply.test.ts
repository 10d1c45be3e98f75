// apply: on include_tasks/include_role gives its keywords to every included task (the comparison with Ansible is
// test/conformance/cases/include-apply.yml); here what only runbook says: apply on an import is refused at validate.

import { expect } from 'chai';
import { runCli } from '../../helpers/cli.js';
import { playJson, withProject, writeFiles } from './local-play.js';

describe('include apply', () => {
  it('apply vars reach every included task, not the tasks after the include', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'inner.yml': '- name: inner\n  debug: { msg: "{{ colour }}" }\n',
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars: { colour: plain }\n  tasks:\n    - include_tasks:\n        file: inner.yml\n        apply: { vars: { colour: applied } }\n    - name: after\n      debug: { msg: "{{ colour }}" }\n',
    });
    const res = await playJson(dir, []);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const messages = res.events.filter((e) => e.type === 'task' || e.task).map((e) => `${e.task}=${e.msg}`);
    expect(messages.join('\n')).to.contain('inner=applied').and.contain('after=plain');
  }));

  it('refuses apply on import_tasks and import_role at validate, at its line', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'inner.yml': '- debug: { msg: x }\n',
      'roles/r/tasks/main.yml': '- debug: { msg: r }\n',
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - import_tasks:\n        file: inner.yml\n        apply: { tags: [x] }\n    - import_role:\n        name: r\n        apply: { tags: [x] }\n',
    });
    const res = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain("site.yml:6:9: task: 'apply' is for include_tasks");
    expect(res.stderr).to.contain("site.yml:9:9: task: 'apply' is for include_role");
  }));
});
