// Variables through the CLI: every level is a template resolved lazily against the host's merged view (#12 item 1),
// precedence as Ansible's, cycles named by their chain, undefined names inside derived variables found by validate.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('variables (lazy, layered)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-vars-'));
    await fs.mkdir(path.join(dir, 'inv/group_vars'), { recursive: true });
    await fs.mkdir(path.join(dir, 'inv/host_vars'), { recursive: true });
    await fs.writeFile(path.join(dir, 'inv/hosts.yml'), 'all:\n  children:\n    web:\n      hosts:\n        localhost: { connection: local }\n');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const write = (file: string, text: string) => fs.writeFile(path.join(dir, file), text);
  const read = (file: string) => fs.readFile(path.join(dir, file), 'utf8');
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', 'inv', ...args], { cwd: dir });

  it('renders derived play vars, vars_files, block and task vars, and -e flows into what derives from it', async () => {
    await write('vars.yml', 'url: "https://x.example/{{ base }}/{{ flavour }}"\n');
    await write('site.yml', `- hosts: all
  gather_facts: false
  vars:
    version: "1.2"
    repo: "https://x.example/{{ version }}/pool"
    base: "1.0"
    flavour: "{{ 'plain' }}"
    out: "${dir}/out"
  vars_files: [vars.yml]
  tasks:
    - name: a block
      vars: { prefix: "{{ out }}/{{ version }}" }
      block:
        - name: write derived
          vars: { file: "{{ prefix }}.txt" }
          copy: { dest: "{{ file }}", content: "{{ repo }} {{ url }}\\n" }
`);
    await fs.mkdir(path.join(dir, 'out'));
    const r = await play('-e', 'base=9.99');
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await read('out/1.2.txt')).to.equal('https://x.example/1.2/pool https://x.example/9.99/plain\n');
  });

  it('renders group_vars and host_vars that use other variables, against the host\'s final view', async () => {
    await write('inv/group_vars/all.yml', 'base_version: "3.1"\npkg: "v{{ base_version }}"\n');
    await write('inv/group_vars/web.yml', 'web_pkg: "{{ pkg }}-web"\n');
    await write('inv/host_vars/localhost.yml', 'base_version: "4.0"\n');
    await write('site.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: write\n      copy: { dest: "${dir}/out.txt", content: "{{ pkg }} {{ web_pkg }} {{ hostvar 'localhost' 'web_pkg' }}\\n" }\n`);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await read('out.txt')).to.equal('v4.0 v4.0-web v4.0-web\n');
  });

  it('puts a registered result above task vars of the same name, as Ansible does', async () => {
    await write('site.yml', `- hosts: all\n  gather_facts: false\n  vars: { r: { stdout: play } }\n  tasks:
    - { name: register, command: echo registered, register: r }
    - name: write
      vars: { r: { stdout: task } }
      copy: { dest: "${dir}/out.txt", content: "{{ r.stdout }}\\n" }\n`);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await read('out.txt')).to.equal('registered\n');
  });

  it('names the chain of a cycle', async () => {
    await write('site.yml', `- hosts: all\n  gather_facts: false\n  vars: { a: "x{{ b }}", b: "{{ c }}", c: "{{ a }}" }\n  tasks:\n    - name: use a\n      command: echo {{ a }}\n`);
    const r = await play();
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/site\.yml:5:7: variable cycle: a → b → c → a in task 'use a' on host 'localhost'/);
  });

  it('validate -i finds an undefined name inside a derived variable, before anything runs', async () => {
    await write('site.yml', `- hosts: all\n  gather_facts: false\n  vars:\n    repo: "https://x/{{ versoin }}"\n    url: "{{ repo }}/pool"\n  tasks:\n    - name: fetch\n      command: touch ${dir}/ran {{ url }}\n`);
    const v = await runCli(['validate', 'site.yml', '-i', 'inv'], { cwd: dir });
    expect(v.code).to.equal(2);
    expect(v.stderr).to.include(`site.yml:7:7: undefined variable 'versoin' in the value of variable 'repo' ← 'url', used in task 'fetch'`);
    const p = await play();
    expect(p.code).to.equal(2);
    expect(await fs.stat(path.join(dir, 'ran')).then(() => true, () => false)).to.equal(false);
  });

  it('hostvar is strict: an undefined variable of another host is an error naming host and variable (#12 item 3)', async () => {
    await write('site.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: read\n      command: touch ${dir}/ran {{ hostvar "localhost" "no_such_var" }}\n    - name: unknown host\n      command: echo {{ hostvar "nohost" "x" }}\n      ignore_errors: true\n`);
    const r = await play();
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include(`site.yml:4:7: undefined variable 'no_such_var' of host 'localhost' in task 'read' on host 'localhost'`);
    expect(await fs.stat(path.join(dir, 'ran')).then(() => true, () => false)).to.equal(false);
    await write('site.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: unknown host\n      command: echo {{ hostvar "nohost" "x" }}\n`);
    expect((await play()).stdout).to.include(`hostvar: unknown host 'nohost' in task 'unknown host'`);
  });
});
