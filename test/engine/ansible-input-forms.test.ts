// Ansible's input forms (#17): ansible.builtin.X / ansible.posix.X names, renamed modules (apt → package), argument
// aliases (dest for path), key=value strings, yes/no, symbolic modes and `~` paths; the same play run by
// ansible-playbook leaves the same modes; every mistake is refused at validate with file:line:col.

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jsonEvents, runCli } from '../helpers/cli.js';

const PLAY = (root: string) => `- hosts: localhost
  gather_facts: no
  become: no
  tasks:
    - name: a directory, key=value words and a symbolic mode
      ansible.builtin.file: path=${root}/conf.d state=directory mode=u=rwx,g=rx,o=
    - name: a file, through Ansible's long name
      ansible.builtin.copy:
        dest: ${root}/conf.d/app.conf
        content: "a=1\\n"
    - name: executable for everyone, relative to what it is
      file: { dest: "${root}/conf.d/app.conf", mode: a+x }
    - name: a line in a new file, the path given as dest
      ansible.builtin.lineinfile: { dest: "${root}/conf.d/extra.conf", line: "b=2", create: yes, mode: "0666" }
    - name: take write away from group and others
      ansible.builtin.file: dest=${root}/conf.d/extra.conf mode=go-w
`;

const exec = promisify(execFile);
const modeOf = async (p: string) => ((await fs.stat(p)).mode & 0o7777).toString(8);

describe('Ansible input forms', () => {
  let dir: string;
  before(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-ansible-forms-')); });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('runs Ansible-named modules, aliases, key=value words and symbolic modes; a second run changes nothing', async () => {
    const root = path.join(dir, 'ours');
    await fs.mkdir(root);
    await fs.writeFile(path.join(dir, 'ours.yml'), PLAY(root));
    const first = await runCli(['play', 'ours.yml', '--format', 'json'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(await modeOf(path.join(root, 'conf.d'))).to.equal('750');
    expect(await modeOf(path.join(root, 'conf.d/app.conf'))).to.equal('755');
    expect(await modeOf(path.join(root, 'conf.d/extra.conf'))).to.equal('644');
    expect(await fs.readFile(path.join(root, 'conf.d/app.conf'), 'utf8')).to.equal('a=1\n');
    expect(await fs.readFile(path.join(root, 'conf.d/extra.conf'), 'utf8')).to.equal('b=2\n');
    const second = await runCli(['play', 'ours.yml', '--format', 'json'], { cwd: dir });
    expect(second.code, second.stderr).to.equal(0);
    expect(jsonEvents(second.stdout).find((e) => e.event === 'recap')!.hosts.localhost).to.include({ changed: 0, ok: 5 });
  });

  it('leaves the modes ansible-playbook leaves', async function () {
    if (!existsSync('/usr/bin/ansible-playbook')) this.skip();
    this.timeout(120_000);
    const root = path.join(dir, 'theirs');
    await fs.mkdir(root);
    await fs.writeFile(path.join(dir, 'theirs.yml'), PLAY(root));
    await exec('/usr/bin/ansible-playbook', ['-i', 'localhost,', '-c', 'local', 'theirs.yml'], { cwd: dir, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    for (const p of ['conf.d', 'conf.d/app.conf', 'conf.d/extra.conf']) expect(await modeOf(path.join(root, p)), p).to.equal(await modeOf(path.join(dir, 'ours', p)));
  });

  it('expands ~ in target paths to the login user\'s home on the target', async () => {
    const home = path.join(dir, 'home');
    await fs.mkdir(home);
    await fs.writeFile(path.join(dir, 'home.yml'), `- hosts: localhost
  gather_facts: no
  tasks:
    - copy: { dest: ~/.profile-extra, content: "x\\n", mode: "u=rw,go=r" }
    - ansible.builtin.lineinfile: path=~/.profile-extra line=y
`);
    const r = await runCli(['play', 'home.yml'], { cwd: dir, env: { HOME: home } });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await fs.readFile(path.join(home, '.profile-extra'), 'utf8')).to.equal('x\ny\n');
    expect(await modeOf(path.join(home, '.profile-extra'))).to.equal('644');
  });

  it('refuses at validate, at file:line:col, what has no twin or is written wrong', async () => {
    await fs.writeFile(path.join(dir, 'bad.yml'), `- hosts: localhost
  tasks:
    - ansible.builtin.known_hosts: { name: example.org, key: "example.org ssh-ed25519 AAAA" }
    - community.general.ufw: { rule: allow }
    - ansible.builtin.file: { path: /tmp/a, dest: /tmp/b }
    - ansible.builtin.service: name=nginx started
    - file: { path: /tmp/a, mode: "u=rwz" }
    - apt: name=nginx state=present update_cache=yes
`);
    const r = await runCli(['validate', 'bad.yml'], { cwd: dir });
    expect(r.code).to.equal(2);
    const out = r.stdout + r.stderr;
    expect(out).to.include("bad.yml:3:7");
    expect(out).to.include("unknown module 'ansible.builtin.known_hosts' (an Ansible module runbook has no twin for: use lineinfile on ~/.ssh/known_hosts)");
    expect(out).to.include("bad.yml:4:7");
    expect(out).to.include("unknown module 'community.general.ufw' (an Ansible module runbook has no twin for: use firewalld, or command: ufw ...)");
    expect(out).to.include("'dest' and 'path' are the same argument of file ('dest' is Ansible's alias of 'path'): give one");
    expect(out).to.include("module service takes its arguments as a mapping or as key=value words (name, state, enabled, daemon_reload), got 'started'");
    expect(out).to.match(/bad\.yml:7:\d+.*mode/);
    expect(out).not.to.match(/bad\.yml:8/);
  });
});
