// #19 slices: `play --slice I/N` run side by side in their own folders (as the Kubernetes Job's pods do), joined by
// `runbook merge`, give the same recap as one run, and `runbook rollback` of the merged run undoes every slice.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli, type CliResult } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { writeLabInventory } from '../helpers/playbook-run.js';

const hosts = ['node1', 'node2', 'node3', 'node4'];
const base = '/tmp/slices-test';
const site = `- hosts: all
  gather_facts: false
  tasks:
    - name: config
      copy: { dest: ${base}/app.conf, content: "host={{ inventory_hostname }}\\n" }
    - name: data folder
      file: { path: ${base}/data, state: directory, mode: "0750" }
    - name: probe
      command: cat ${base}/app.conf
      changed_when: false
`;

describe('lab: slices merged into one run (#19)', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir = '';
  let singleRecap: Record<string, unknown> = {};
  let converged: Record<string, string> = {};
  const cli = (args: string[], cwd = dir) => runCli(args, { cwd, timeoutMs: 120_000 });
  const recapOf = (r: CliResult) => jsonEvents(r.stdout).find((e) => e.event === 'recap')!;
  const runIdOf = (r: CliResult) => jsonEvents(r.stdout).find((e) => e.event === 'run_start')!.run as string;
  const states = async () => Object.fromEntries(await Promise.all(hosts.map(async (h) => [h, (await lab.exec(h, ['sh', '-c', `cat ${base}/app.conf 2>/dev/null; test -d ${base}/data && echo data`])).stdout.trim()])));
  const reset = () => Promise.all(hosts.map((h) => lab.exec(h, ['sh', '-c', `rm -rf ${base} && mkdir -p ${base} && echo old > ${base}/app.conf`])));

  before(async function () {
    lab = await acquireLab(4, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-slices-'));
    await writeLabInventory(dir, lab, { fleet: { hosts: Object.fromEntries(hosts.map((h) => [h, {}])) } });
    await fs.writeFile(path.join(dir, 'site.yml'), site);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await Promise.all(hosts.map((h) => lab.exec(h, ['rm', '-rf', base])));
  });

  it('two slices side by side, merged: the recap and the rollback of one run', async () => {
    await reset();
    const single = await cli(['play', 'site.yml', '-i', 'inv', '--format', 'json']);
    expect(single.code, single.stdout).to.equal(0);
    converged = await states();
    singleRecap = recapOf(single).hosts;
    expect((await cli(['rollback', runIdOf(single)])).code).to.equal(0);
    const original = await states();
    expect(original).to.deep.equal(Object.fromEntries(hosts.map((h) => [h, 'old'])));

    // Each slice in a folder of its own, the playbook and inventory given by path: exactly what a Job's pod runs.
    const sliceDirs = await Promise.all([1, 2].map(async (i) => fs.mkdir(path.join(dir, `slice-${i}`), { recursive: true }).then(() => path.join(dir, `slice-${i}`))));
    const runs = await Promise.all([1, 2].map((i) => cli(['play', path.join(dir, 'site.yml'), '-i', path.join(dir, 'inv'), '--slice', `${i}/2`, '--format', 'json'], sliceDirs[i - 1])));
    for (const r of runs) expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(runs.map((r) => recapOf(r).hosts).map(Object.keys)).to.deep.equal([['node1', 'node2'], ['node3', 'node4']]);
    expect(await states()).to.deep.equal(converged);

    const runDirs = runs.map((r, i) => path.join(sliceDirs[i], '.runbook', 'runs', runIdOf(r)));
    const merged = await cli(['merge', ...runDirs, '--format', 'json', '--junit', 'merged.xml', '--audit', 'merged.html']);
    expect(merged.code, merged.stdout + merged.stderr).to.equal(0);
    const recap = jsonEvents(merged.stdout)[0];
    expect(recap.hosts).to.deep.equal(recapOf(single).hosts);
    expect(recap.status).to.equal('ok');
    const junit = await fs.readFile(path.join(dir, 'merged.xml'), 'utf8');
    for (const h of hosts) expect(junit).to.contain(`${h}`);
    expect(await fs.readFile(path.join(dir, 'merged.html'), 'utf8')).to.contain('node4');

    const rollback = await cli(['rollback', recap.run, '--format', 'json']);
    expect(rollback.code, rollback.stdout + rollback.stderr).to.equal(0);
    expect(jsonEvents(rollback.stdout).filter((e) => e.event === 'rollback').map((e) => e.host).sort()).to.deep.equal(hosts);
    expect(await states()).to.deep.equal(original);
  });

  it('the Kubernetes Job run here (its ConfigMaps and Secret written out, its pods as processes) merges the same', async () => {
    await reset();
    const jobDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-k8s-job-'));
    try {
      const job = await cli(['k8s-job', 'site.yml', '--slices', '2', '-i', 'inv', '--ssh-key', lab.keyPath, '--known-hosts', lab.knownHostsPath, '--run-locally', jobDir]);
      expect(job.code, job.stdout + job.stderr).to.equal(0);
      expect(job.stdout).to.contain('slice 2/2 (JOB_COMPLETION_INDEX=1): exit 0');
      expect(await states()).to.deep.equal(converged);
      const runDirs = await Promise.all([1, 2].map(async (i) => {
        const runs = path.join(jobDir, 'results', `slice-${i}`, '.runbook', 'runs');
        return path.join(runs, (await fs.readdir(runs))[0]);
      }));
      const merged = await cli(['merge', ...runDirs, '--format', 'json']);
      expect(merged.code, merged.stderr).to.equal(0);
      const recap = jsonEvents(merged.stdout)[0];
      expect(recap.hosts).to.deep.equal(singleRecap);
      expect((await cli(['rollback', recap.run])).code).to.equal(0);
      expect(await states()).to.deep.equal(Object.fromEntries(hosts.map((h) => [h, 'old'])));
    } finally {
      await fs.rm(jobDir, { recursive: true, force: true });
    }
  });

  it('merge names a missing slice; --slice refuses run_once at its line', async () => {
    const one = await cli(['play', 'site.yml', '-i', 'inv', '--slice', '1/3', '--format', 'json']);
    expect(one.code).to.equal(0);
    const m = await cli(['merge', path.join('.runbook', 'runs', runIdOf(one))]);
    expect(m.code).to.equal(2);
    expect(m.stderr).to.contain('slices 2/3, 3/3 missing: merge needs the run folders of all 3 slices');
    await fs.writeFile(path.join(dir, 'once.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: once\n      command: "true"\n      run_once: true\n');
    const r = await cli(['play', 'once.yml', '-i', 'inv', '--slice', '1/2']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/once\.yml:4:7: task 'once': run_once cannot be split across --slice runs/);
  });
});
