// debug, set_fact, fail and include_vars through the CLI on the local connection (#16): what the operator sees,
// where the variables land (precedence, hostvars, another host's hostvar), check mode, no_log.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('debug, set_fact, fail, include_vars (CLI, local connection)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-varmods-'));
    await fs.writeFile(path.join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { connection: local }\n    h2: { connection: local }\n');
    await fs.mkdir(path.join(dir, 'vars'));
    await fs.writeFile(path.join(dir, 'vars/app.yml'), 'app_port: 8080\napp_url: "http://{{ inventory_hostname }}:{{ app_port }}"\n');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const site = (tasks: string, vars = '{ who: world }') => fs.writeFile(path.join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  vars: ${vars}\n  tasks:\n${tasks}`);
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', 'inv.yml', ...args], { cwd: dir });

  it('debug shows its message at default verbosity, as data in JSON, and never changes anything', async () => {
    await site(`    - { name: greet, debug: { msg: "hello {{ who }} from {{ inventory_hostname }}" } }
    - { name: show, debug: { var: who } }
    - { name: quiet, debug: { msg: "s3cr3t {{ who }}" }, no_log: true }\n`);
    const human = await play();
    expect(human.code, human.stdout + human.stderr).to.equal(0);
    expect(human.stdout).to.include('ok           h1 | greet (debug) hello world from h1');
    expect(human.stdout).to.include('ok           h2 | show (debug) who: world');
    expect(human.stdout).to.not.include('s3cr3t');
    expect(human.stdout).to.match(/h1 +: ok=3 changed=0 failed=0/);
    const json = await play('--format', 'json');
    const events = jsonEvents(json.stdout).filter((e) => e.event === 'task');
    expect(events.find((e) => e.task === 'greet' && e.host === 'h2')!.data).to.deep.equal({ msg: 'hello world from h2' });
    expect(events.find((e) => e.task === 'show')!.data).to.deep.equal({ who: 'world' });
    expect(json.stdout).to.not.include('s3cr3t');
    const check = await play('--check');
    expect(check.stdout).to.include('h1 | greet (debug) hello world from h1');
  });

  it('set_fact: later tasks, hostvars and another host see it; it ranks above task vars and below -e', async () => {
    await site(`    - name: set on h1 only
      set_fact: { token: "t-{{ inventory_hostname }}", level: fact }
      when: eq inventory_hostname "h1"
    - name: h2 reads h1's fact, everyone reads its own
      vars: { level: task }
      copy: { dest: "${dir}/{{ inventory_hostname }}.txt", content: "{{ hostvar 'h1' 'token' }} {{ hostvars.h1.level }} {{ level }}\\n" }\n`);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'h1.txt'), 'utf8')).to.equal('t-h1 fact fact\n');
    expect(await fs.readFile(path.join(dir, 'h2.txt'), 'utf8')).to.equal('t-h1 fact task\n');
    const extra = await play('-e', 'level=extra');
    expect(await fs.readFile(path.join(dir, 'h1.txt'), 'utf8')).to.equal('t-h1 extra extra\n');
    expect(extra.code).to.equal(0);
  });

  it('include_vars loads the first existing file, values are templates, name nests them; validate knows the names', async () => {
    await site(`    - { name: load, include_vars: { file: [vars/missing.yml, vars/app.yml] } }
    - { name: load nested, include_vars: { file: vars/app.yml, name: app } }
    - name: write
      copy: { dest: "${dir}/{{ inventory_hostname }}.txt", content: "{{ app_url }} {{ app.app_port }}\\n" }\n`, '{ app_port: 1 }');
    const v = await runCli(['validate', 'site.yml', '-i', 'inv.yml'], { cwd: dir });
    expect(v.code, v.stderr).to.equal(0);
    const r = await play();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'h2.txt'), 'utf8')).to.equal('http://h2:8080 8080\n');
  });

  it('fail stops the host with the rendered message; the others go on', async () => {
    await site(`    - { name: refuse, fail: { msg: "{{ inventory_hostname }} is not supported" }, when: eq inventory_hostname "h2" }
    - { name: after, debug: { msg: done } }\n`);
    const r = await play();
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('failed       h2 | refuse (fail) h2 is not supported');
    expect(r.stdout).to.include('ok           h1 | after (debug) done');
    expect(r.stdout).to.not.include('h2 | after');
  });
});
