// backup: true leaves Ansible's FILE.PID.DATE@TIME~ copy beside a changed file; a failed play's rollback restores the
// file and removes the copy it made, so nothing of the run stays behind. Ansible's side: conformance case backup-file.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from '../engine/run/local-play.js';

describe('backup: true on file-writing modules', () => {
  it('a failed play rolls back the file and removes the backup copy; a kept run leaves exactly one copy with the old text', () => withProject(async (dir) => {
    const site = (fail: boolean) => `- hosts: localhost
  gather_facts: false
  tasks:
    - name: copy
      copy: { dest: "${dir}/app.conf", content: "new\\n", backup: true }
      register: c
    - name: line
      lineinfile: { path: "${dir}/app.conf", line: "extra", backup: true }
${fail ? '    - name: boom\n      fail: { msg: stop }\n' : ''}`;
    await writeFiles(dir, { 'app.conf': 'old\n', 'site.yml': site(true) });
    const failed = await playJson(dir);
    expect(failed.code, failed.stdout + failed.stderr).to.equal(1);
    expect(await fs.readFile(path.join(dir, 'app.conf'), 'utf8')).to.equal('old\n');
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('~'))).to.deep.equal([]);

    await writeFiles(dir, { 'site.yml': site(false) });
    const kept = await playJson(dir);
    expect(kept.statuses).to.deep.equal(['copy=changed', 'line=changed']);
    const copies = (await fs.readdir(dir)).filter((f) => f.endsWith('~')).sort();
    expect(copies).to.have.length(2);
    for (const c of copies) expect(c).to.match(/^app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    const texts = await Promise.all(copies.map((c) => fs.readFile(path.join(dir, c), 'utf8')));
    expect(texts.sort()).to.deep.equal(['new\n', 'old\n']);
  }));
});
