// Ansible's inventory forms: INI (ranges, :vars, :children, Python-literal values), ansible_* variable names, host
// lists, dynamic inventory scripts; `runbook inventory --list` compared with `ansible-inventory --list`.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostVars, loadInventory } from '../../engine/inventory/load-inventory.js';
import { readScriptInventory } from '../../engine/inventory/script-inventory.js';
import { emptyInventory } from '../../engine/inventory/inventory-model.js';
import { expandHostRanges } from '../../engine/inventory/host-ranges.js';
import { parsePythonLiteral } from '../../engine/inventory/python-literal.js';
import { shlexSplit } from '../../engine/inventory/shlex.js';
import { runCli } from '../helpers/cli.js';

const INI = [
  '# a comment',
  '; another comment',
  'loner ansible_host=10.0.0.9',
  '[web]',
  'web[01:03].example.com ansible_user=deploy http_port=80 flag=yes num=1.5 q="a b" l="[1, 2]" zero=010 t=True',
  'db-[a:c]:2222 # the db hosts',
  '',
  '[web:vars]',
  'ntp=time.example.com',
  "quoted='single quoted'",
  'enabled=True',
  'nothing=None',
  '',
  '[dbs]',
  'db-a ansible_become=yes ansible_become_password=s3cret-pw ansible_python_interpreter=/usr/bin/python3',
  '',
  '[prod:children]',
  'web',
  'dbs',
  '',
  '[empty]',
  '',
].join('\n');

const ansibleInventory = existsSync('/usr/bin/ansible-inventory') ? '/usr/bin/ansible-inventory' : undefined;

describe('inventory: Ansible forms', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-inv-ansible-'));
    await fs.writeFile(path.join(dir, 'hosts'), INI);
    await fs.mkdir(path.join(dir, 'group_vars'));
    await fs.writeFile(path.join(dir, 'group_vars', 'web.yml'), 'from_group_vars: 1\n');
  });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('reads Python literals, shlex words and host ranges as Ansible does', () => {
    expect(parsePythonLiteral('80')).to.equal(80);
    expect(parsePythonLiteral('1.5')).to.equal(1.5);
    expect(parsePythonLiteral('yes')).to.equal('yes');
    expect(parsePythonLiteral('True')).to.equal(true);
    expect(parsePythonLiteral("'x y'")).to.equal('x y');
    expect(parsePythonLiteral('010')).to.equal('010');
    expect(parsePythonLiteral('[1, "a", (2, 3)]')).to.deep.equal([1, 'a', [2, 3]]);
    expect({ ...(parsePythonLiteral("{'a': 1, 'b': [None]}") as object) }).to.deep.equal({ a: 1, b: [null] });
    expect(parsePythonLiteral('__import__("os")')).to.equal('__import__("os")');
    expect(shlexSplit(`h a="x y" b='p q' c=d\\ e # comment`)).to.deep.equal(['h', 'a=x y', 'b=p q', 'c=d e']);
    expect(expandHostRanges('web[01:03]')).to.deep.equal(['web01', 'web02', 'web03']);
    expect(expandHostRanges('db-[a:c]')).to.deep.equal(['db-a', 'db-b', 'db-c']);
    expect(expandHostRanges('n[1:10:4]-[x:y]')).to.deep.equal(['n1-x', 'n1-y', 'n5-x', 'n5-y', 'n9-x', 'n9-y']);
    expect(() => expandHostRanges('n[1:1000000]')).to.throw('more than 10000 hosts');
  });

  it('reads an INI inventory: groups, children, vars, ports, Ansible variable names', async () => {
    const inv = await loadInventory([path.join(dir, 'hosts')]);
    const web = hostVars(inv, 'web02.example.com');
    expect(web).to.include({ user: 'deploy', ansible_user: 'deploy', http_port: 80, flag: 'yes', num: 1.5, q: 'a b', ntp: 'time.example.com', quoted: 'single quoted', enabled: true, from_group_vars: 1, zero: '010', t: true });
    expect(web.l).to.deep.equal([1, 2]);
    expect(web.nothing).to.equal(null);
    expect(hostVars(inv, 'db-b')).to.include({ port: 2222, ansible_port: 2222 });
    expect(hostVars(inv, 'db-a')).to.include({ become: true, become_password: 's3cret-pw' });
    expect(hostVars(inv, 'loner')).to.include({ address: '10.0.0.9' });
    expect(hostVars(inv, 'db-a').group_names).to.have.members(['web', 'dbs', 'prod']);
    expect(inv.notes).to.deep.equal(['ansible_python_interpreter is ignored: runbook runs no interpreter of its own on targets (commands and files only)']);
  });

  it('prints the JSON ansible-inventory --list prints', async function () {
    const ours = await runCli(['inventory', '-i', path.join(dir, 'hosts'), '--list']);
    expect(ours.code, ours.stderr).to.equal(0);
    expect(ours.stderr).to.include('note: ansible_python_interpreter is ignored');
    // Secrets stay masked in our output; everything else is byte for byte Ansible's.
    expect(ours.stdout).to.include('"ansible_become_password": "********"');
    if (!ansibleInventory) this.skip();
    const theirs = execFileSync(ansibleInventory, ['-i', path.join(dir, 'hosts'), '--list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(ours.stdout).to.equal(`${theirs.replace('"s3cret-pw"', '"********"').trimEnd()}\n`);
    const list = await runCli(['inventory', '-i', 'a,b:2200,', '--list']);
    const theirList = execFileSync(ansibleInventory, ['-i', 'a,b:2200,', '--list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(list.stdout).to.equal(`${theirList.trimEnd()}\n`);
  });

  it('reads YAML inventories written with Ansible names, with checked types', async () => {
    const file = path.join(dir, 'ansible.yml');
    await fs.writeFile(file, 'all:\n  vars: { ansible_user: admin }\n  hosts:\n    h1: { ansible_host: 10.1.1.1, ansible_port: 2201, ansible_ssh_private_key_file: ~/.ssh/k, ansible_connection: ssh }\n    h2: { address: 10.1.1.2, ansible_become: "no", ansible_become_user: app }\n');
    const inv = await loadInventory([file]);
    expect(hostVars(inv, 'h1')).to.include({ address: '10.1.1.1', port: 2201, key: '~/.ssh/k', user: 'admin', connection: 'ssh' });
    expect(hostVars(inv, 'h2')).to.include({ become: false, become_user: 'app' });
    await fs.writeFile(file, 'all:\n  hosts:\n    h1: { ansible_connection: winrm }\n');
    const error = await loadInventory([file]).catch((e) => e);
    expect(error.message).to.equal("host 'h1': 'ansible_connection' must be 'ssh' or 'local' (runbook has no other connection), got \"winrm\"");
    expect(error.location).to.deep.include({ file, line: 3, col: 31 });
  });

  it('lets templates use runbook\'s names for what the inventory set under Ansible\'s (validate passes)', async () => {
    await fs.writeFile(path.join(dir, 'uses-address.yml'), '- hosts: loner\n  gather_facts: no\n  tasks:\n    - debug: { msg: "{{ address }} {{ ansible_host }}" }\n');
    const r = await runCli(['validate', 'uses-address.yml', '-i', 'hosts'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  });

  it('reads the jump host Ansible users put in ansible_ssh_common_args', async () => {
    const file = path.join(dir, 'jump.ini');
    await fs.writeFile(file, [
      '[a]',
      `h1 ansible_ssh_common_args="-o ProxyJump=ops@bastion:2222"`,
      `h2 ansible_ssh_common_args='-o ProxyCommand="ssh -W %h:%p -q jump@10.9.9.9"'`,
      `h3 ansible_ssh_extra_args="-J gw"`,
      `h4 ansible_ssh_common_args="-o StrictHostKeyChecking=yes"`,
    ].join('\n'));
    const inv = await loadInventory([file]);
    expect(['h1', 'h2', 'h3', 'h4'].map((h) => hostVars(inv, h).jump_host)).to.deep.equal(['ops@bastion:2222', 'jump@10.9.9.9', 'gw', undefined]);
  });

  it('locates INI mistakes at file:line:col and refuses unsafe names', async () => {
    const cases: Array<[string, string, number]> = [
      ['[web]\nh1 port\n', "expected key=value after host 'h1', got 'port'", 2],
      ['[web:vars]\nx=1\n', "[web:vars] names group 'web', which no [web] section defines", 1],
      ['[a:children]\nb\n', "[a:children] names group 'b', which no [b] section defines", 2],
      ['[web]\nh1 ansible_port=99999\n', "host 'h1': 'ansible_port' must be a TCP port, 1-65535, got 99999", 2],
      ['[web]\n-h1\n', 'host name "-h1" starts with \'-\'', 2],
      ['[web:other]\n', "section [web:other] has an unknown type 'other'", 1],
      ['[we b]\n', "invalid section '[we b]'", 1],
    ];
    for (const [text, message, line] of cases) {
      const file = path.join(dir, 'bad.ini');
      await fs.writeFile(file, text);
      const error = await loadInventory([file]).catch((e) => e);
      expect(error.message, text).to.include(message);
      expect(error.location, text).to.deep.include({ file, line });
    }
    await fs.rm(path.join(dir, 'bad.ini'));
  });

  it('runs a dynamic inventory script (--list with _meta, --host without), bounded in time', async () => {
    const script = path.join(dir, 'dynamic.sh');
    const write = (body: string) => fs.writeFile(script, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    await write(`[ "$1" = --list ] && echo '{"web": {"hosts": ["w1"], "vars": {"tier": "front"}}, "db": ["d1"], "_meta": {"hostvars": {"w1": {"ansible_host": "10.2.0.1"}}}}'`);
    const inv = await loadInventory([script]);
    expect(hostVars(inv, 'w1')).to.include({ address: '10.2.0.1', tier: 'front' });
    expect(inv.groups.db.hosts).to.deep.equal(['d1']);
    await write(`case "$1" in --list) echo '{"web": ["w1"]}';; --host) echo '{"ansible_user": "u-'$2'"}';; esac`);
    expect(hostVars(await loadInventory([script]), 'w1')).to.include({ user: 'u-w1' });
    await write(`echo 'not json'`);
    expect((await loadInventory([script]).catch((e) => e)).message).to.include(`inventory script ${script} --list printed invalid JSON`);
    await write(`echo 'no cloud credentials' >&2; exit 3`);
    expect((await loadInventory([script]).catch((e) => e)).message).to.equal(`inventory script ${script} --list exited with code 3: no cloud credentials`);
    await write('exec sleep 30');
    const slow = await readScriptInventory(emptyInventory(), script, 300).catch((e) => e);
    expect(slow.message).to.equal(`inventory script ${script} --list did not finish within 0.3 s (killed)`);
  });

  it('reads a folder of mixed formats and a host list', async () => {
    const folder = path.join(dir, 'mixed');
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'a.ini'), '[ini_group]\ni1\n');
    await fs.writeFile(path.join(folder, 'b.yml'), 'yaml_group:\n  hosts: { y1: {} }\n');
    await fs.writeFile(path.join(folder, 'README.md'), '# not an inventory\n');
    const inv = await loadInventory([folder, 'x1,x2:2022,']);
    expect(Object.keys(inv.hosts)).to.include.members(['i1', 'y1', 'x1', 'x2']);
    expect(inv.groups.all.children).to.include.members(['ungrouped', 'ini_group', 'yaml_group']);
    expect(hostVars(inv, 'x2')).to.include({ port: 2022 });
  });
});
