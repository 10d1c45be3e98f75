// Modules that rewrite an existing file keep its mode and owner unless the task sets them (#12 item 12): a 0440
// file owned by nobody stays 0440 and nobody's after sysctl, lineinfile, replace, fstab and copy rewrote it.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from '../engine/run/local-play.js';

const root = process.getuid?.() === 0;

describe('rewritten files keep their mode and owner (#12 item 12)', function () {
  before(function () {
    if (!root) this.skip(); // chown to nobody needs root; CI runs as root
  });

  it('sysctl, lineinfile, replace, fstab and copy keep 0440 and the owner; a second run changes nothing', () => withProject(async (dir) => {
    const files = ['sysctl.conf', 'lines.conf', 'replace.conf', 'fstab', 'copy.conf'];
    await writeFiles(dir, {
      'sysctl.conf': 'vm.swappiness = 10\n',
      'lines.conf': 'a=1\n',
      'replace.conf': 'old value\n',
      fstab: '# fstab\n',
      'copy.conf': 'before\n',
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: sysctl
      sysctl: { name: vm.swappiness, value: "20", file: "${dir}/sysctl.conf", reload: false }
    - name: lineinfile
      lineinfile: { path: "${dir}/lines.conf", line: "b=2" }
    - name: replace
      replace: { path: "${dir}/replace.conf", regexp: "old", replace: "new" }
    - name: fstab
      fstab: { path: /mnt/runbook-mode-test, src: tmpfs, fstype: tmpfs, state: present, fstab: "${dir}/fstab" }
    - name: copy
      copy: { dest: "${dir}/copy.conf", content: "after\\n" }
`,
    });
    for (const f of files) {
      await fs.chmod(path.join(dir, f), 0o440);
      await fs.chown(path.join(dir, f), 65534, 65534);
    }
    const first = await playJson(dir);
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(first.statuses).to.deep.equal(['sysctl=changed', 'lineinfile=changed', 'replace=changed', 'fstab=changed', 'copy=changed']);
    for (const f of files) {
      const st = await fs.stat(path.join(dir, f));
      expect({ file: f, mode: (st.mode & 0o777).toString(8), uid: st.uid }).to.deep.equal({ file: f, mode: '440', uid: 65534 });
    }
    expect(await fs.readFile(path.join(dir, 'sysctl.conf'), 'utf8')).to.contain('vm.swappiness = 20');
    const second = await playJson(dir);
    expect(second.recap.localhost).to.include({ changed: 0 });
  }));
});
