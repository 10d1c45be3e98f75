// Roles (#17): the fixture role (test/fixtures/roles) converges locally and a second run changes nothing; dependencies
// run once unless allow_duplicates; role handlers are notified by name, `role : name` and listen; include_role and
// include_tasks decide per host (when, loop, templated file names); errors in role files carry their file:line:col.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { playJson, withProject, writeFiles } from './run/local-play.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/roles');

async function copyFixture(dir: string): Promise<void> {
  await fs.cp(FIXTURE, dir, { recursive: true });
}

const play = (body: string) => `- hosts: localhost\n  gather_facts: false\n${body}`;
const seq = async (file: string) => (await fs.readFile(file, 'utf8')).trim().split('\n');

describe('roles', () => {
  it('the fixture role converges (dependency, role params, role templates/ and files/, handlers, roles_path), then changed=0', () => withProject(async (dir) => {
    await copyFixture(dir);
    const root = path.join(dir, 'out');
    const first = await playJson(dir, ['-e', `webapp_root=${root}`]);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(first.statuses).to.deep.equal([
      'base : base directory=changed', 'webapp : webapp config=changed', 'webapp : webapp motd=changed', 'webapp : webapp user file=changed',
      'webapp : webapp user file=changed', "role vars are seen by the play's tasks=changed", 'greeter : greeter from roles_path=changed',
      'webapp : restart webapp=changed', 'webapp : log users=changed',
    ]);
    expect(await fs.readFile(path.join(root, 'webapp/app.conf'), 'utf8')).to.equal(`# webapp, from the role's template\nport = 8081\ndir = ${root}/webapp\n`);
    expect(await fs.readFile(path.join(root, 'webapp/motd'), 'utf8')).to.equal('welcome to the webapp\n');
    expect(await fs.readFile(path.join(root, 'webapp/user-bob'), 'utf8')).to.equal('bob on port 8081\n');
    expect(await fs.readFile(path.join(root, 'seen-by-play'), 'utf8')).to.equal(`${root}/webapp/app.conf\n`);
    expect(await fs.readFile(path.join(root, 'greeting'), 'utf8')).to.equal('hello from greeter\n');
    expect(await seq(path.join(root, 'webapp/handler.log'))).to.deep.equal(['restarted', 'users']);
    const second = await playJson(dir, ['-e', `webapp_root=${root}`]);
    expect(second.code).to.equal(0);
    expect(second.recap.localhost.changed).to.equal(0);
    const validated = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(validated.code, validated.stderr).to.equal(0);
  }));

  it('a dependency shared by two roles runs once; allow_duplicates runs it again; handlers by `role : name`', () => withProject(async (dir) => {
    const log = (label: string) => `shell: "echo ${label} >> ${dir}/seq"`;
    await writeFiles(dir, {
      'roles/common/tasks/main.yml': `- name: common\n  ${log('common')}\n`,
      'roles/again/meta/main.yml': 'allow_duplicates: true\n',
      'roles/again/tasks/main.yml': `- name: again\n  ${log('again')}\n`,
      'roles/a/meta/main.yml': 'dependencies: [common, again]\n',
      'roles/a/tasks/main.yml': `- name: a\n  ${log('a')}\n  notify: "a : bounce"\n`,
      'roles/a/handlers/main.yml': `- name: bounce\n  ${log('bounce')}\n`,
      'roles/b/meta/main.yml': 'dependencies: [{ role: common }, { role: again }]\n',
      'roles/b/tasks/main.yml': `- name: b\n  ${log('b')}\n`,
      'site.yml': play('  roles: [a, b, a]\n'),
    });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await seq(path.join(dir, 'seq'))).to.deep.equal(['common', 'again', 'a', 'again', 'b', 'again', 'bounce']);
  }));

  it('include_role and include_tasks decide per item: when, loop vars inside, a templated file name', () => withProject(async (dir) => {
    const log = (text: string) => `shell: "echo ${text} >> ${dir}/seq"`;
    await writeFiles(dir, {
      'roles/r/defaults/main.yml': 'greeting: hi\n',
      'roles/r/tasks/main.yml': `- name: r\n  ${log('{{ greeting }}-{{ who }}')}\n`,
      'steps/one.yml': `- name: step one\n  ${log('one-{{ n }}')}\n`,
      'steps/two.yml': `- name: step two\n  ${log('two-{{ n }}')}\n`,
      'site.yml': play(`  tasks:
    - include_role: { name: r }
      loop: [ann, bob, cid]
      loop_control: { loop_var: who }
      when: ne who "bob"
    - include_tasks: "steps/{{ n }}.yml"
      loop: [one, two]
      loop_control: { loop_var: n }
    - name: role defaults stay inside include_role
      ${log("{{ default greeting 'none' }}")}
`),
    });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await seq(path.join(dir, 'seq'))).to.deep.equal(['hi-ann', 'hi-cid', 'one-one', 'two-two', 'none']);
  }));

  it('errors in role files carry the role file\'s file:line:col; an unknown role lists where it was looked for', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'roles/broken/tasks/main.yml': '- name: fine\n  debug: { msg: ok }\n- name: bad\n  copy: { dest: /tmp/x, nonsense: 1 }\n',
      'site.yml': play('  roles: [broken, missing]\n'),
    });
    const res = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(2);
    expect(res.stderr).to.match(new RegExp(`${dir}/roles/broken/tasks/main.yml:4:\\d+: .*nonsense`));
    expect(res.stderr).to.include(`site.yml:3:19: role 'missing' not found (looked in ${dir}/roles/missing, ${dir}/missing, the npm package runbook-role-missing)`);
  }));

  it('a role from an npm package runbook-role-<name>, its templates/ first', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'node_modules/runbook-role-motd/package.json': '{ "name": "runbook-role-motd", "version": "1.0.0" }\n',
      'node_modules/runbook-role-motd/defaults/main.yml': 'motd_text: from npm\n',
      'node_modules/runbook-role-motd/templates/motd.hbs': 'motd: {{ motd_text }}\n',
      'node_modules/runbook-role-motd/tasks/main.yml': `- name: motd\n  template: { src: motd.hbs, dest: "${dir}/motd" }\n`,
      'site.yml': play('  roles: [motd]\n'),
    });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'motd'), 'utf8')).to.equal('motd: from npm\n');
  }));
});
