// runbook.yml: found from the playbook's folder upward (or RUNBOOK_CONFIG); precedence flag > RUNBOOK_* > file >
// default; a bad file is exit 2 at file:line:col; `runbook config` shows each value and where it came from.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('project config: runbook.yml', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-config-'));
    await fs.mkdir(path.join(dir, 'plays/web'), { recursive: true });
    await fs.writeFile(path.join(dir, 'runbook.yml'), 'inventory: inventory/hosts.yml\nformat: json\nforks: 7\n');
    await fs.mkdir(path.join(dir, 'inventory'));
    await fs.writeFile(path.join(dir, 'inventory/hosts.yml'), 'all:\n  hosts:\n    from-config: { connection: local }\n');
    await fs.writeFile(path.join(dir, 'other.yml'), 'all:\n  hosts:\n    from-flag: { connection: local }\n');
    await fs.writeFile(path.join(dir, 'plays/web/site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      changed_when: false\n');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is found from the playbook folder upward and supplies the inventory and format', async () => {
    const res = await runCli(['play', 'plays/web/site.yml'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.hosts).to.deep.equal(['from-config']);
  });

  it('a flag beats RUNBOOK_* which beats the file', async () => {
    const flag = await runCli(['play', 'plays/web/site.yml', '-i', 'other.yml', '--format', 'json'], { cwd: dir, env: { RUNBOOK_INVENTORY: 'nope.yml' } });
    expect(jsonEvents(flag.stdout).find((e) => e.event === 'run_start')!.hosts).to.deep.equal(['from-flag']);
    const env = await runCli(['play', 'plays/web/site.yml'], { cwd: dir, env: { RUNBOOK_INVENTORY: 'other.yml', RUNBOOK_FORMAT: 'human' } });
    expect(env.code, env.stderr).to.equal(0);
    expect(env.stdout).to.match(/RECAP run .*\nfrom-flag\s+: ok=1/);
  });

  it('`runbook config` names each value\'s source', async () => {
    const res = await runCli(['config', 'plays/web/site.yml'], { cwd: dir, env: { RUNBOOK_FORKS: '3' } });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain(`config file: ${path.join(dir, 'runbook.yml')}`);
    expect(res.stdout).to.match(new RegExp(`inventory\\s+\\["${path.join(dir, 'inventory/hosts.yml')}"\\]\\s+\\(${path.join(dir, 'runbook.yml')}\\)`));
    expect(res.stdout).to.match(/forks\s+"3"\s+\(environment RUNBOOK_FORKS\)/);
    expect(res.stdout).to.match(/timeout\s+"10"\s+\(default\)/);
  });

  it('a bad setting is exit 2 at its file:line:col; nothing runs', async () => {
    await fs.writeFile(path.join(dir, 'bad.yml'), 'format: json\nforks: many\n');
    const res = await runCli(['play', 'plays/web/site.yml'], { cwd: dir, env: { RUNBOOK_CONFIG: path.join(dir, 'bad.yml') } });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain(`${path.join(dir, 'bad.yml')}:2:8: project config bad.yml: 'forks' must be integer`);
  });
});
