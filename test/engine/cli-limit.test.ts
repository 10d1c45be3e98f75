// --limit as Ansible users expect it: a pattern matching no host is exit 2 with the nearest names; a failed run
// writes failed.txt and the recap says how to retry only those hosts with -l @file.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('cli: --limit', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-limit-'));
    // Three local pseudo-hosts: each writes under its own folder; `web2` is told to fail.
    await fs.writeFile(path.join(dir, 'hosts.yml'), 'all:\n  vars: { broken: false }\n  children:\n    web:\n      hosts:\n        web1: { connection: local }\n        web2: { connection: local, broken: true }\n    db:\n      hosts:\n        db1: { connection: local }\n');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/out-{{inventory_hostname}}.txt", content: "x" }\n    - command: { argv: ["false"] }\n      when: broken\n`);
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a limit that matches nothing is exit 2 naming the pattern and the nearest names; nothing runs', async () => {
    const res = await runCli(['play', 'site.yml', '-i', 'hosts.yml', '-l', 'wbe*'], { cwd: dir });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain("--limit 'wbe*' matches no host in the inventory");
    const typo = await runCli(['play', 'site.yml', '-i', 'hosts.yml', '-l', 'web3'], { cwd: dir });
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.match(/web3/);
    await fs.access(path.join(dir, '.runbook')).then(() => expect.fail('a run started'), () => undefined);
  });

  it('a failed run writes failed.txt; the recap names the hosts and the retry command; -l @file runs only them', async () => {
    const res = await runCli(['play', 'site.yml', '-i', 'hosts.yml'], { cwd: dir });
    expect(res.code).to.equal(1);
    const run = /RECAP run (\S+)/.exec(res.stdout)![1];
    const retry = `.runbook/runs/${run}/failed.txt`;
    expect(await fs.readFile(path.join(dir, retry), 'utf8')).to.equal('web2\n');
    expect(res.stdout).to.contain('failed: web2');
    expect(res.stdout).to.contain(`retry only those: runbook play site.yml -i hosts.yml -l @${retry}`);
    const again = await runCli(['play', 'site.yml', '-i', 'hosts.yml', '-l', `@${retry}`, '--format', 'json'], { cwd: dir });
    expect(jsonEvents(again.stdout).find((e) => e.event === 'run_start')!.hosts).to.deep.equal(['web2']);
  });
});
