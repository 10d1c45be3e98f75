// stat through the CLI on real files: registers exists, type, mode, owner, size, mtime, link target and the sha256
// on request; changes nothing, and gives the same answers in check mode (#16).

import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from '../engine/run/local-play.js';

describe('stat module (local files, through the CLI)', () => {
  it('registers what it found; a rerun and --check give the same values and change nothing', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'data/app.conf': 'port=80\n',
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: file
      stat: { path: "${dir}/data/app.conf", get_checksum: true }
      register: f
    - name: link
      stat: { path: "${dir}/data/link" }
      register: l
    - name: missing
      stat: { path: "${dir}/data/none" }
      register: m
    - name: dir
      stat: { path: "${dir}/data" }
      register: d
    - name: show
      debug: { msg: "{{f.stat.type}} {{f.stat.mode}} {{f.stat.size}} {{f.stat.checksum}} {{f.stat.isreg}} {{l.stat.type}} {{l.stat.link_target}} {{m.stat.exists}} {{d.stat.isdir}} {{gt f.stat.mtime 0}}" }
`,
    });
    await fs.chmod(path.join(dir, 'data/app.conf'), 0o640);
    await fs.symlink('app.conf', path.join(dir, 'data/link'));
    const sha = createHash('sha256').update('port=80\n').digest('hex');
    for (const args of [[], ['--check']]) {
      const res = await playJson(dir, args);
      expect(res.code, res.stdout + res.stderr).to.equal(0);
      expect(res.statuses).to.deep.equal(['file=ok', 'link=ok', 'missing=ok', 'dir=ok', 'show=ok']);
      const shown = res.events.find((e) => e.task === 'show')!;
      expect(shown.msg).to.equal(`file 0640 8 ${sha} true link app.conf false true true`);
      expect(res.recap.localhost).to.include({ changed: 0 });
    }
    expect(await fs.readFile(path.join(dir, 'data/app.conf'), 'utf8')).to.equal('port=80\n');
  }));
});
