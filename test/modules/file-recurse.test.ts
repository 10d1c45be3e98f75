// file recurse: a failed play rolls every path under the directory back to its own mode and owner (a followed
// symlink's target too), and the link itself stays a link. Ansible's results are the conformance cases file-recurse*.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from '../engine/run/local-play.js';

const root = process.getuid?.() === 0;

async function attributes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of ['tree', 'tree/a', 'tree/sub', 'tree/sub/b', 'outside/target']) {
    const st = await fs.stat(path.join(dir, rel));
    out[rel] = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
  }
  out['tree/link'] = `${(await fs.lstat(path.join(dir, 'tree/link'))).uid} -> ${await fs.readlink(path.join(dir, 'tree/link'))}`;
  return out;
}

describe('file recurse: rollback restores every path under the directory', function () {
  before(function () {
    if (!root) this.skip(); // chown needs root; CI runs as root
  });

  it('a failing task after recurse puts each old mode and owner back, the followed target included', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'tree/a': 'a', 'tree/sub/b': 'b', 'outside/target': 't',
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: recurse
      file: { path: "${dir}/tree", state: directory, recurse: true, owner: daemon, group: daemon, mode: "u=rwX,g=rX,o=" }
    - name: boom
      fail: { msg: stop here }
`,
    });
    await fs.chmod(path.join(dir, 'tree/a'), 0o600);
    await fs.chmod(path.join(dir, 'tree/sub/b'), 0o4755);
    await fs.chown(path.join(dir, 'tree/sub/b'), 65534, 65534);
    await fs.chmod(path.join(dir, 'outside/target'), 0o604);
    await fs.symlink(path.join(dir, 'outside/target'), path.join(dir, 'tree/link'));
    const before = await attributes(dir);
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(1);
    expect(res.statuses).to.deep.equal(['recurse=changed', 'boom=failed']);
    expect(await attributes(dir)).to.deep.equal(before);
  }));
});
