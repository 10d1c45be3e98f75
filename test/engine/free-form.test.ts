// Ansible's key=value words in free-form command/shell strings (#12 item 10): creates/removes/chdir become arguments
// wherever they stand; quoted words stay in the command; keys runbook lacks are refused at validate, never passed on.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { splitFreeForm } from '../../engine/load/free-form.js';
import { runCli } from '../helpers/cli.js';

describe('free-form key=value words', () => {
  it('splits them as Ansible does', () => {
    expect(splitFreeForm('touch /tmp/x creates=/tmp/x chdir=/tmp')).to.deep.equal({ rest: 'touch /tmp/x', options: { creates: '/tmp/x', chdir: '/tmp' } });
    expect(splitFreeForm('chdir=/srv make all')).to.deep.equal({ rest: 'make all', options: { chdir: '/srv' } });
    expect(splitFreeForm('echo "creates=x" a=b removes="/a b"')).to.deep.equal({ rest: 'echo "creates=x" a=b', options: { removes: '/a b' } });
    expect(splitFreeForm('touch {{ d }}/x creates={{ d }}/x')).to.deep.equal({ rest: 'touch {{ d }}/x', options: { creates: '{{ d }}/x' } });
    expect(splitFreeForm('line one\nline two creates=/x\n')).to.deep.equal({ rest: 'line one\nline two\n', options: { creates: '/x' } });
  });

  describe('through the CLI', () => {
    let dir: string;
    beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-kv-')); });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    it('creates= makes the command idempotent and chdir= sets its directory', async () => {
      await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars: { d: "${dir}" }
  tasks:
    - name: touch once
      command: touch made creates={{ d }}/made chdir={{ d }}
    - name: shell too
      shell: echo hi > out.txt creates=out.txt chdir={{ d }}
`);
      const first = await runCli(['play', 'site.yml'], { cwd: dir });
      expect(first.code, first.stdout + first.stderr).to.equal(0);
      expect(await fs.readFile(path.join(dir, 'out.txt'), 'utf8')).to.equal('hi\n');
      await fs.stat(path.join(dir, 'made'));
      expect(await fs.stat(path.join(dir, 'creates=')).then(() => true, () => false)).to.equal(false);
      const second = await runCli(['play', 'site.yml'], { cwd: dir });
      expect(second.stdout).to.match(/localhost +: ok=2 changed=0/);
    });

    it('a key runbook does not support is refused at validate, not passed to the command', async () => {
      await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - shell: echo hi executable=/bin/bash\n');
      const r = await runCli(['validate', 'site.yml'], { cwd: dir });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/site\.yml:4:\d+: .*unknown argument 'executable'/);
    });
  });
});
