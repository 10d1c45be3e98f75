// #19 saved plans: `runbook plan` saves a check run, `runbook show` prints it, `runbook apply` applies exactly it:
// an unchanged plan ends as a direct run would; a host that drifted after the plan stops ("drifted since the plan")
// and is rolled back while the others apply; a changed playbook is refused; no secret in clear in the plan file.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { writeLabInventory } from '../helpers/playbook-run.js';

const hosts = ['node1', 'node2'];
const base = '/tmp/saved-plans';
const secret = 'plan-s3cret-Kx81';
const site = `- hosts: all
  gather_facts: false
  tasks:
    - name: app config
      copy: { dest: ${base}/app.conf, content: "mode=new\\n" }
    - name: db config
      copy: { dest: ${base}/db.conf, content: "password={{ db_password }}\\n", mode: "0600" }
`;

describe('lab: saved plans, show and apply (#19)', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir = '';
  const cli = (...args: string[]) => runCli(args, { cwd: dir, timeoutMs: 120_000 });
  const read = async (h: string, f: string) => (await lab.readFile(h, `${base}/${f}`))?.trim();

  before(async function () {
    lab = await acquireLab(2, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-plans-'));
    await writeLabInventory(dir, lab, { fleet: { vars: { db_password: secret }, hosts: { node1: {}, node2: {} } } });
    await fs.writeFile(path.join(dir, 'site.yml'), site);
  });
  beforeEach(async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), site);
    await Promise.all(hosts.map((h) => lab.exec(h, ['sh', '-c', `rm -rf ${base} && mkdir -p ${base} && printf 'mode=old\\n' > ${base}/app.conf && printf 'password=old\\n' > ${base}/db.conf`])));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await Promise.all(hosts.map((h) => lab.exec(h, ['rm', '-rf', base])));
  });

  it('plan changes nothing, holds no secret in clear, and show prints it like --check --diff', async () => {
    const plan = await cli('plan', 'site.yml', '-i', 'inv', '-o', 'change.plan');
    expect(plan.code, plan.stdout + plan.stderr).to.equal(0);
    expect(plan.stderr).to.contain('plan saved to change.plan: 4 change(s) on 2 host(s)');
    expect(await read('node1', 'app.conf')).to.equal('mode=old');
    const text = await fs.readFile(path.join(dir, 'change.plan'), 'utf8');
    expect(text).to.not.contain(secret);
    expect((await fs.stat(path.join(dir, 'change.plan'))).mode & 0o777).to.equal(0o600);
    const saved = JSON.parse(text);
    expect(saved.entries.filter((e: { changes: string[] }) => e.changes.length > 0)).to.have.length(4);
    const show = await cli('show', 'change.plan');
    expect(show.code).to.equal(0);
    expect(show.stdout).to.contain('would change node1 | app config').and.to.contain('+mode=new').and.to.contain('-mode=old');
    expect(show.stdout).to.not.contain(secret);
  });

  it('apply of an unchanged plan ends as a direct run would; a second run changes nothing', async () => {
    expect((await cli('plan', 'site.yml', '-i', 'inv', '-o', 'change.plan')).code).to.equal(0);
    const apply = await cli('apply', 'change.plan', '--format', 'json');
    expect(apply.code, apply.stdout + apply.stderr).to.equal(0);
    const recap = jsonEvents(apply.stdout).find((e) => e.event === 'recap')!.hosts;
    for (const h of hosts) {
      expect(recap[h]).to.include({ changed: 2, failed: 0 });
      expect(await read(h, 'app.conf')).to.equal('mode=new');
      expect(await read(h, 'db.conf')).to.equal(`password=${secret}`);
    }
    const again = await cli('play', 'site.yml', '-i', 'inv', '--format', 'json');
    expect(again.code).to.equal(0);
    for (const h of hosts) expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts[h].changed).to.equal(0);
  });

  it('a host that drifted after the plan stops and is rolled back; the other applies', async () => {
    expect((await cli('plan', 'site.yml', '-i', 'inv', '-o', 'change.plan')).code).to.equal(0);
    await lab.exec('node2', ['sh', '-c', `printf 'password=changed-by-hand\\n' > ${base}/db.conf`]);
    const apply = await cli('apply', 'change.plan', '--format', 'json');
    expect(apply.code).to.equal(1);
    const failure = jsonEvents(apply.stdout).find((e) => e.event === 'task' && e.status === 'failed')!;
    expect(failure).to.include({ host: 'node2', task: 'db config' });
    expect(failure.msg).to.contain('drifted since the plan: the copy target on node2 is no longer what the plan saw');
    expect(await read('node1', 'app.conf')).to.equal('mode=new');
    expect(await read('node1', 'db.conf')).to.equal(`password=${secret}`);
    // node2: its first change rolled back, the hand-made change left alone.
    expect(await read('node2', 'app.conf')).to.equal('mode=old');
    expect(await read('node2', 'db.conf')).to.equal('password=changed-by-hand');
  });

  it('a plan made from another version of the playbook is refused; nothing is touched', async () => {
    expect((await cli('plan', 'site.yml', '-i', 'inv', '-o', 'change.plan')).code).to.equal(0);
    await fs.writeFile(path.join(dir, 'site.yml'), site.replace('mode=new', 'mode=newer'));
    const apply = await cli('apply', 'change.plan');
    expect(apply.code).to.equal(2);
    expect(apply.stderr).to.match(/refusing the plan made .*: the playbook's files \(.*\) changed since; make a new plan with `runbook plan`/);
    expect(await read('node1', 'app.conf')).to.equal('mode=old');
  });
});
