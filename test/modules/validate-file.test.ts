// validate on file-writing modules: what a user sees when the check refuses the new content (Ansible's words), the
// file left as it was, and a validate without %s refused before anything runs. Ansible's side: conformance validate-file.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from '../engine/run/local-play.js';

describe('validate: the new content is checked before it replaces the file', () => {
  it('a refused edit fails with rc and stderr, leaves the file and no temporary copy', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'app.conf': 'port 80\n',
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: edit
      lineinfile: { path: "${dir}/app.conf", line: "port 8080", regexp: "^port", validate: "sh -c 'echo bad port >&2; exit 3' %s" }
`,
    });
    const before = (await fs.readdir('/tmp')).filter((f) => f.startsWith('.runbook-validate.'));
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    expect(res.events.find((e) => e.event === 'task')!.msg).to.equal('failed to validate: rc:3 error:bad port');
    expect(await fs.readFile(path.join(dir, 'app.conf'), 'utf8')).to.equal('port 80\n');
    expect((await fs.readdir('/tmp')).filter((f) => f.startsWith('.runbook-validate.'))).to.deep.equal(before);
  }));

  it('a validate without %s is refused at validate (exit 2)', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: c\n      copy: { dest: "${dir}/x", content: "x", validate: "visudo -cf" }\n` });
    const res = await playJson(dir);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain("'validate' must be a command with %s where the path of the file to check goes");
  }));
});
