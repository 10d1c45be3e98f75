// Security item 5: a controller-side `src` built from a template (which may hold a target's facts or output) must
// resolve inside the project (the playbook's folder); a path written literally in the playbook is the operator's.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: controller src paths from templates stay inside the project', () => {
  let dir: string;
  let project: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-src-'));
    project = path.join(dir, 'project');
    await fs.mkdir(path.join(project, 'files'), { recursive: true });
    await fs.mkdir(path.join(project, 'templates'), { recursive: true });
    await fs.writeFile(path.join(dir, 'controller-secret'), 'controller private data\n');
    await fs.writeFile(path.join(project, 'files', 'motd'), 'hello\n');
    await fs.writeFile(path.join(project, 'templates', 'motd.hbs'), 'hello {{inventory_hostname}}\n');
    await fs.symlink(path.join(dir, 'controller-secret'), path.join(project, 'files', 'link-out'));
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  async function play(fact: string, task: string) {
    await fs.writeFile(path.join(project, 'fact.txt'), fact);
    await fs.writeFile(path.join(project, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - command: { argv: [cat, "${project}/fact.txt"] }
      register: fact
    - ${task}
`);
    return runCli(['play', 'site.yml', '--format', 'json'], { cwd: project });
  }
  const exists = (p: string) => fs.stat(p).then(() => true, () => false);

  for (const [what, fact] of [
    ['a relative path climbing out', '../controller-secret'],
    ['an absolute path', '/CONTROLLER/controller-secret'],
    ['a project symlink pointing out', 'files/link-out'],
  ] as const) {
    for (const module of ['copy', 'template'] as const) {
      it(`${module}: ${what} from a fact is refused, nothing copied`, async () => {
        const stolen = path.join(dir, 'stolen');
        const res = await play(fact.replace('/CONTROLLER', dir), `${module}: { src: "{{fact.stdout}}", dest: "${stolen}" }`);
        expect(res.code, res.stdout + res.stderr).to.equal(1);
        const failed = jsonEvents(res.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
        expect(failed.msg).to.contain('outside the project').and.to.contain('write the path literally');
        expect(await exists(stolen)).to.equal(false);
      });
    }
  }

  it('a templated path inside the project, and a literal path outside it, still work', async () => {
    const res = await play('motd', `copy: { src: "files/{{fact.stdout}}", dest: "${dir}/a" }
    - template: { src: "{{fact.stdout}}.hbs", dest: "${dir}/b" }
    - copy: { src: "${dir}/controller-secret", dest: "${dir}/c" }`);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'a'), 'utf8')).to.equal('hello\n');
    expect(await fs.readFile(path.join(dir, 'b'), 'utf8')).to.equal('hello localhost\n');
    expect(await fs.readFile(path.join(dir, 'c'), 'utf8')).to.equal('controller private data\n');
  });
});
