// Security item 17 (part): inventory names that are Object.prototype keys (`constructor`, `__proto__`,
// `toString`) are ordinary names: no crash, no vanished host, no variable inherited from the prototype.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: prototype-named groups, hosts and vars', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-proto-'));
    await fs.mkdir(path.join(dir, 'inv', 'host_vars'), { recursive: true });
    await fs.writeFile(path.join(dir, 'inv', 'hosts.yml'), `all:
  children:
    constructor:
      hosts:
        __proto__: { connection: local, label: proto-host }
        toString: { connection: local, label: tostring-host }
    hasOwnProperty:
      hosts:
        plain: { connection: local, label: plain-host }
`);
    await fs.writeFile(path.join(dir, 'inv', 'host_vars', '__proto__.yml'), 'extra: from-host-vars\n');
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('`runbook inventory` shows every group and host, with their own vars', async () => {
    const res = await runCli(['inventory', '-i', 'inv', '--host', '__proto__'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain('proto-host').and.to.contain('from-host-vars');
    const all = await runCli(['inventory', '-i', 'inv', '--graph'], { cwd: dir });
    expect(all.code, all.stderr).to.equal(0);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'plain']) expect(all.stdout).to.contain(name);
  });

  it('a play on the group `constructor` runs on both its hosts, `__proto__` included', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: constructor
  gather_facts: false
  tasks:
    - name: mark
      copy: { dest: "${dir}/mark-{{label}}", content: "host {{inventory_hostname}}\\n" }
`);
    const res = await runCli(['play', 'site.yml', '-i', 'inv', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(Object.keys(jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts).sort()).to.deep.equal(['__proto__', 'toString']);
    expect(await fs.readFile(path.join(dir, 'mark-proto-host'), 'utf8')).to.equal("host __proto__\n");
    expect(await fs.readFile(path.join(dir, 'mark-tostring-host'), 'utf8')).to.equal("host toString\n");
  });

  it('a host named `plain` in group `hasOwnProperty` is targeted by name and by group', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: hasOwnProperty\n  gather_facts: false\n  tasks:\n    - command: { argv: ["true"] }\n');
    const res = await runCli(['play', 'site.yml', '-i', 'inv', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(Object.keys(jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts)).to.deep.equal(['plain']);
  });
});
