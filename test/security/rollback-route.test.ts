// Security item 6: rollback reaches a host only the way the journal recorded (connection kind, address:port, user,
// host key). A host gone from the inventory, or now pointing elsewhere, is refused, never run on the controller.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

describe('security: rollback takes only the recorded route', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  const file = '/tmp/runbook-route-test.txt';
  before(async function () { lab = await acquireLab(2, this); });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-route-'));
    await lab.exec('node1', ['rm', '-f', file]);
    await lab.exec('node2', ['sh', '-c', `printf 'node2 own\\n' > ${file}`]);
    await fs.writeFile(file, 'controller own\n');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(file, { force: true });
  });

  function inventory(hosts: Record<string, string>): string {
    return JSON.stringify({ all: { vars: { key: lab.keyPath, known_hosts: lab.knownHostsPath }, hosts: Object.fromEntries(Object.entries(hosts).map(([h, a]) => [h, { address: a }])) } });
  }

  async function runOnNode1(): Promise<string> {
    await fs.writeFile(path.join(dir, 'hosts.yml'), inventory({ node1: lab.hosts[0].address }));
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node1\n  gather_facts: false\n  tasks:\n    - copy: { dest: ${file}, content: "from the run\\n", force: true }\n`);
    const res = await runCli(['play', 'site.yml', '-i', 'hosts.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(await lab.readFile('node1', file)).to.equal('from the run\n');
    return jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
  }

  it('a host missing from the inventory is refused; the controller\'s own file is untouched', async () => {
    const run = await runOnNode1();
    await fs.writeFile(path.join(dir, 'hosts.yml'), inventory({}));
    const rb = await runCli(['rollback', run, '--format', 'json'], { cwd: dir });
    expect(rb.code).to.equal(1);
    const steps = jsonEvents(rb.stdout).find((e) => e.event === 'rollback')!.steps;
    expect(steps[0].msg).to.contain(`host 'node1' is not in the inventory`).and.to.contain(`ssh:${lab.hosts[0].address}:22`);
    expect(await fs.readFile(file, 'utf8')).to.equal('controller own\n');
    expect(await lab.readFile('node1', file)).to.equal('from the run\n');
  });

  it('a host whose inventory entry now points at another machine is refused; neither machine is touched', async () => {
    const run = await runOnNode1();
    await fs.writeFile(path.join(dir, 'hosts.yml'), inventory({ node1: lab.hosts[1].address }));
    const rb = await runCli(['rollback', run, '--format', 'json'], { cwd: dir });
    expect(rb.code).to.equal(1);
    const steps = jsonEvents(rb.stdout).find((e) => e.event === 'rollback')!.steps;
    expect(steps[0].msg).to.contain(`journal reached it as ssh:${lab.hosts[0].address}:22`).and.to.contain(`now says ssh:${lab.hosts[1].address}:22`);
    expect(await lab.readFile('node2', file)).to.equal('node2 own\n');
    expect(await lab.readFile('node1', file)).to.equal('from the run\n');
  });

  it('the same route rolls back', async () => {
    const run = await runOnNode1();
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    expect(await lab.readFile('node1', file)).to.equal(null);
  });
});
