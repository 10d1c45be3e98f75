// heketi_storage through the real CLI against the heketi stand-in on 127.0.0.1 (heketi is not packaged here): the
// volume heketidbstorage created once (replica 3, one brick per node), the backup registered after it exists and
// holding it, the storage addresses registered for the Endpoints, heketi's "No space" with too few nodes, and a failed
// run's rollback deleting the volume it created.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { startHeketiStandIn, type HeketiStandIn } from '../../lab/stand-ins/heketi-server.js';

const KEY = 'Storage-Admin-Key-7';

describe('heketi_storage against the heketi stand-in (setup-openshift-heketi-storage)', function () {
  this.timeout(60_000);
  let dir: string;
  let heketi: HeketiStandIn;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-heketi-storage-'));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 10 });
  });
  afterEach(async () => {
    await heketi.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function play(nodes: number, extraTask = '') {
    const hosts = Array.from({ length: nodes }, (_, i) => `        g${i + 1}: { address: 10.0.0.${11 + i}, heketi_devices: [/dev/vdb] }`);
    await fs.writeFile(path.join(dir, 'inventory.yml'), ['all:', '  hosts:', '    localhost: { connection: local }', '  children:', '    gluster:', '      hosts:', ...hosts, ''].join('\n'));
    await fs.writeFile(path.join(dir, 'site.yml'), [
      '- hosts: localhost', '  gather_facts: false', '  tasks:',
      `    - name: topology\n      heketi_topology: { url: "${heketi.url}", key: "{{heketi_admin_key}}", group: gluster }`,
      `    - name: storage\n      heketi_storage: { url: "${heketi.url}", key: "{{heketi_admin_key}}" }\n      register: db_volume`,
      '    - name: show\n      debug: { msg: "{{db_volume.volume.name}} {{db_volume.volume.hosts}}" }',
      extraTask, '',
    ].join('\n'));
    return runCli(['play', 'site.yml', '-i', 'inventory.yml', '--format', 'json', '-e', `heketi_admin_key=${KEY}`], { cwd: dir });
  }
  const volumes = () => Object.values((heketi.state() as { volumes?: Record<string, { name: string; size: number; bricks: unknown[] }> }).volumes ?? {});
  const ev = (stdout: string, task: string) => jsonEvents(stdout).find((e) => e.event === 'task' && e.task === task)!;

  it('creates heketidbstorage once (replica 3 on three nodes) and registers its hosts and a backup that holds it', async () => {
    const res = await play(3);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(ev(res.stdout, 'storage')).to.include({ status: 'changed', msg: 'create heketi volume heketidbstorage (2 GiB, replicate 3)' });
    expect(ev(res.stdout, 'show').msg).to.equal('heketidbstorage 10.0.0.11,10.0.0.12,10.0.0.13');
    expect(volumes().map((v) => `${v.name} ${v.size} ${v.bricks.length}`)).to.deep.equal(['heketidbstorage 2 3']);
    const backup = JSON.parse(Buffer.from(ev(res.stdout, 'storage').result.db as string, 'base64').toString('utf8'));
    expect(Object.values(backup.volumes).map((v) => (v as { name: string }).name)).to.deep.equal(['heketidbstorage']);
    const again = await play(3);
    expect(ev(again.stdout, 'storage').status).to.equal('ok');
    expect(volumes()).to.have.length(1);
    expect(res.stdout + res.stderr + again.stdout).to.not.contain(KEY);
  });

  it('fails with heketi\'s "No space" when fewer nodes than replicas have room, creating nothing', async () => {
    const res = await play(2);
    expect(res.code).to.equal(1);
    expect(ev(res.stdout, 'storage')).to.include({ status: 'failed', msg: 'heketi POST /volumes failed (500): No space' });
    expect(volumes()).to.have.length(0);
  });

  it('a failed run rolls back: the volume it created is deleted first, so heketi lets the devices and nodes go', async () => {
    const res = await play(3, '    - name: boom\n      fail: { msg: stop here }');
    expect(res.code).to.equal(1);
    const steps = jsonEvents(res.stdout).find((e) => e.event === 'rollback')!.steps.map((s: { task: string; status: string }) => `${s.task}: ${s.status}`);
    expect(steps).to.deep.equal(['storage: reverted', 'topology: reverted']);
    expect(volumes()).to.have.length(0);
    expect(Object.keys(heketi.state().devices)).to.have.length(0);
    expect(Object.keys(heketi.state().nodes)).to.have.length(0);
  });
});
