// environment written as one template: it must render to a mapping of variable names; anything else fails the task
// on that host with what it rendered, before any command runs (the conformance case environment-play-templated
// compares the working forms with Ansible).

import { expect } from 'chai';
import { playJson, withProject, writeFiles } from './local-play.js';

const play = (environment: string) => `- hosts: localhost
  gather_facts: false
  vars:
    as_list: [A, B]
    bad_name: { "A-B": x }
  tasks:
    - name: env
      command: { argv: ["true"] }
      environment: "${environment}"
`;

describe('environment as a template', () => {
  it('a template that renders to a list, or to a mapping with a key that is not a variable name, fails the task with what it got', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play('{{ as_list }}') });
    const list = await playJson(dir);
    expect(list.code).to.equal(1);
    expect(list.events.find((e) => e.event === 'task')!.msg).to.include('environment must be a mapping of variable names to values, got ["A","B"]');
    await writeFiles(dir, { 'site.yml': play('{{ bad_name }}') });
    const name = await playJson(dir);
    expect(name.code).to.equal(1);
    expect(name.events.find((e) => e.event === 'task')!.msg).to.include('environment: "A-B" is not a variable name (letters, digits, _)');
  }));

  it('a mapping with a key that is not a variable name is refused at validate (exit 2)', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  environment: { "A;B": x }\n  tasks: []\n' });
    const res = await playJson(dir);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.include('site.yml:3');
  }));
});
