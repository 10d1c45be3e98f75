// Handlers as in Ansible: `listen` topics, `meta: flush_handlers`, handlers from imported files, definition order,
// once per host per flush, and never dropped by --tags (#12 item 6).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from './local-play.js';

describe('handlers', () => {
  it('--tags: a handler notified by a tagged task runs although it is untagged (#12 item 6)', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: config
      copy: { dest: "${dir}/app.conf", content: "x\\n" }
      tags: [config]
      notify: restart app
    - name: untagged
      copy: { dest: "${dir}/other", content: "y\\n" }
  handlers:
    - name: restart app
      copy: { dest: "${dir}/restarted", content: "yes\\n" }
`,
    });
    const res = await playJson(dir, ['--tags', 'config']);
    expect(res.code, res.stdout).to.equal(0);
    expect(res.statuses).to.deep.equal(['config=changed', 'restart app=changed']);
    expect(await fs.readFile(path.join(dir, 'restarted'), 'utf8')).to.equal('yes\n');
  }));

  it('listen topics, imported handler files, definition order, meta: flush_handlers, once per flush', () => withProject(async (dir) => {
    const log = (label: string) => `shell: 'echo ${label} >> ${dir}/seq'`;
    await writeFiles(dir, {
      'more-handlers.yml': `- name: imported handler\n  ${log('imported')}\n  listen: web changed\n`,
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: one
      ${log('one')}
      notify: [second handler, web changed]
    - name: two
      ${log('two')}
      notify: [web changed, second handler]
    - meta: flush_handlers
    - name: three
      ${log('three')}
      notify: first handler
  handlers:
    - name: first handler
      ${log('first')}
    - name: second handler
      ${log('second')}
      listen: web changed
    - import_tasks: more-handlers.yml
`,
    });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect((await fs.readFile(path.join(dir, 'seq'), 'utf8')).trim().split('\n')).to.deep.equal(['one', 'two', 'second', 'imported', 'three', 'first']);
  }));

  it('a notify naming neither a handler nor a listen topic is refused at validate', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: t\n      command: "true"\n      notify: nobody\n  handlers:\n    - name: h\n      command: "true"\n      listen: somebody\n` });
    const res = await playJson(dir);
    expect(res.code).to.equal(2);
    expect(res.stdout + res.stderr).to.match(/site\.yml:4:7.*notify 'nobody' names no handler/);
  }));
});
