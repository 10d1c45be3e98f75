// Ad-hoc commands through the CLI: results grouped by identical output, ping, key=value args, check mode that
// changes nothing, and an ad-hoc change journaled like a play's so `runbook rollback` undoes it.

import { expect } from 'chai';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { foldHostNames } from '../../engine/cli/adhoc-output.js';

describe('cli: runbook exec and runbook ping', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-exec-'));
    await fs.writeFile(path.join(dir, 'inv.yml'), 'all:\n  hosts:\n    node1: { connection: local }\n    node2: { connection: local }\n    node3: { connection: local }\n    db1: { connection: local, flavour: db }\n  vars: { flavour: web }\n');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('folds host names: node1-3, db1', () => {
    expect(foldHostNames(['node3', 'node1', 'db1', 'node2', 'node10'])).to.equal('db1, node1-3, node10');
  });

  it('groups hosts whose output is identical; different output is its own block', async () => {
    const res = await runCli(['exec', 'all', '-i', 'inv.yml', '-a', 'echo {{flavour}}'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain('node1-3 | CHANGED | rc=0\nweb\n');
    expect(res.stdout).to.contain('db1 | CHANGED | rc=0\ndb\n');
    expect(res.stdout).to.contain('ok=0 changed=4 failed=0 unreachable=0 skipped=0');
  });

  it('ping answers pong on every matching host; an unknown pattern is exit 2', async () => {
    const res = await runCli(['ping', 'node*', '-i', 'inv.yml'], { cwd: dir });
    expect(res.code).to.equal(0);
    expect(res.stdout).to.contain('node1-3 | OK\nping: pong\n');
    const bad = await runCli(['ping', 'nodeZ', '-i', 'inv.yml'], { cwd: dir });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("no host or group named 'nodeZ'");
  });

  it('key=value args; --check changes nothing; the change is journaled and `runbook rollback` undoes it', async () => {
    const file = path.join(dir, 'adhoc.txt');
    const check = await runCli(['exec', 'node1', '-i', 'inv.yml', '-m', 'copy', '-a', `dest=${file} content="two words"`, '--check'], { cwd: dir });
    expect(check.code, check.stderr).to.equal(0);
    expect(existsSync(file)).to.equal(false);
    const res = await runCli(['exec', 'node1', '-i', 'inv.yml', '-m', 'copy', '-a', `dest=${file} content="two words"`, '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(await fs.readFile(file, 'utf8')).to.equal('two words');
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stderr + rb.stdout).to.equal(0);
    expect(existsSync(file)).to.equal(false);
  });

  it('-a that is neither key=value nor a mapping is refused for a module without a free form', async () => {
    const res = await runCli(['exec', 'node1', '-i', 'inv.yml', '-m', 'copy', '-a', 'just some words'], { cwd: dir });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain('give key=value words or a {mapping} for module copy');
  });
});
