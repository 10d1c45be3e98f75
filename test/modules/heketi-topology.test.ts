// heketi_topology through the real CLI against the heketi stand-in (lab/stand-ins/heketi-server.ts: heketi is not packaged
// for this machine) on 127.0.0.1: JWT auth, the 202/queue protocol, additions, idempotence, check mode, drift,
// failures rolled back, `runbook rollback`, the secret never printed; removals (prune, state: absent, rollback) by
// heketi's protocol (disable, remove so bricks migrate, delete), which the stand-in enforces as heketi does.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { startHeketiStandIn, type HeketiStandIn } from '../../lab/stand-ins/heketi-server.js';

const KEY = 'My$ecretAdminKey-42';

describe('heketi_topology against the heketi stand-in (REST API, JWT, async queue)', function () {
  this.timeout(60_000);
  let dir: string;
  let heketi: HeketiStandIn;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-heketi-'));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 20 });
    await fs.writeFile(path.join(dir, 'inventory.yml'), [
      'all:',
      '  hosts:',
      '    localhost: { connection: local }',
      '  children:',
      '    gluster:',
      '      hosts:',
      '        gluster1: { address: 10.0.0.11, heketi_zone: 1, heketi_devices: [/dev/vdb1] }',
      '        gluster2: { address: 10.0.0.12, heketi_zone: 2, heketi_devices: [/dev/vdb1] }',
      '',
    ].join('\n'));
  });
  afterEach(async () => {
    await heketi.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function play(extraTask = '', args: string[] = [], key = KEY) {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: topology\n      heketi_topology: { url: "${heketi.url}", key: "{{heketi_admin_key}}", group: gluster, write_topology: topology.json }\n${extraTask}`);
    return runCli(['play', 'site.yml', '-i', 'inventory.yml', '--format', 'json', '-e', `heketi_admin_key=${key}`, ...args], { cwd: dir });
  }
  const nodes = () => Object.values(heketi.state().nodes);
  const ev = (stdout: string, task = 'topology') => jsonEvents(stdout).find((e) => e.event === 'task' && e.task === task)!;

  it('adds the cluster, nodes and devices, then changes nothing; writes topology.json; never prints the key', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(ev(res.stdout).msg).to.equal('create cluster #1 (2 node(s)); add node gluster1 (zone 1, storage 10.0.0.11) with devices /dev/vdb1; add node gluster2 (zone 2, storage 10.0.0.12) with devices /dev/vdb1; write the topology to topology.json');
    const st = heketi.state();
    expect(Object.keys(st.clusters)).to.have.length(1);
    expect(nodes().map((n) => `${n.hostnames.manage[0]}/${n.zone}/${n.hostnames.storage[0]}`).sort()).to.deep.equal(['gluster1/1/10.0.0.11', 'gluster2/2/10.0.0.12']);
    expect(Object.values(st.devices).map((d) => d.name)).to.deep.equal(['/dev/vdb1', '/dev/vdb1']);
    const topo = JSON.parse(await fs.readFile(path.join(dir, 'topology.json'), 'utf8'));
    expect(topo.clusters[0].nodes[1]).to.deep.equal({ node: { hostnames: { manage: ['gluster2'], storage: ['10.0.0.12'] }, zone: 2 }, devices: ['/dev/vdb1'] });
    const again = await play();
    expect(ev(again.stdout).status).to.equal('ok');
    expect(res.stdout + res.stderr + again.stdout + again.stderr).to.not.contain(KEY);
  });

  it('--check shows the exact additions and changes nothing', async () => {
    await play();
    await fs.writeFile(path.join(dir, 'inventory.yml'), (await fs.readFile(path.join(dir, 'inventory.yml'), 'utf8')).replace('heketi_zone: 2, heketi_devices: [/dev/vdb1]', 'heketi_zone: 2, heketi_devices: [/dev/vdb1, /dev/vdc]'));
    const before = JSON.stringify(heketi.state());
    const fileBefore = await fs.readFile(path.join(dir, 'topology.json'), 'utf8');
    const res = await play('', ['--check', '--detect-drift']);
    expect(res.code).to.equal(4);
    // The topology file is a planned change like the device: shown, not written.
    expect(ev(res.stdout).msg).to.equal('would add device /dev/vdc to gluster2; write the topology to topology.json');
    expect(JSON.stringify(heketi.state())).to.equal(before);
    expect(await fs.readFile(path.join(dir, 'topology.json'), 'utf8')).to.equal(fileBefore);
  });

  it('--check against a heketi that does not answer says so and plans the whole topology; a run fails and writes nothing', async () => {
    // A port nothing listens on (the stand-in's, closed): what a heketi whose Deployment does not exist yet gives.
    const url = heketi.url;
    await heketi.close();
    const site = `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: topology\n      heketi_topology: { url: "${url}", key: "{{heketi_admin_key}}", group: gluster, write_topology: topology.json }\n`;
    await fs.writeFile(path.join(dir, 'site.yml'), site);
    const run = (...args: string[]) => runCli(['play', 'site.yml', '-i', 'inventory.yml', '--format', 'json', '-e', `heketi_admin_key=${KEY}`, ...args], { cwd: dir });
    const check = await run('--check');
    expect(check.code, check.stdout).to.equal(0);
    expect(ev(check.stdout)).to.include({ status: 'changed', msg: `would load the whole topology: heketi at ${url} is not reachable: fetch failed (ECONNREFUSED), so what it has cannot be read (its deployment may not exist yet) and all of it is planned as new; create cluster #1 (2 node(s)); add node gluster1 (zone 1, storage 10.0.0.11) with devices /dev/vdb1; add node gluster2 (zone 2, storage 10.0.0.12) with devices /dev/vdb1; write the topology to topology.json` });
    const res = await run();
    expect(res.code).to.equal(1);
    expect(ev(res.stdout)).to.include({ status: 'failed', msg: `heketi at ${url} is not reachable: fetch failed (ECONNREFUSED)` });
    expect(await fs.stat(path.join(dir, 'topology.json')).catch(() => null)).to.equal(null);
    // apply refused before any call: the rollback has nothing to undo and does not claim it reverted the plan.
    const events = jsonEvents(res.stdout);
    expect(events.filter((e) => e.event === 'rollback').flatMap((e) => e.steps)).to.deep.equal([]);
    expect(events.find((e) => e.event === 'recap')!.hosts.localhost).to.include({ failed: 1, rolled_back: 0 });
    const later = await runCli(['rollback', events.find((e) => e.event === 'run_start')!.run], { cwd: dir });
    expect(later.stdout + later.stderr).to.not.include('reverted');
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 20 });
  });

  it('reports a node whose zone differs as drift with the fix, and does not pretend to change it', async () => {
    await play();
    const st = JSON.parse(await fs.readFile(heketi.stateFile, 'utf8'));
    await heketi.close();
    for (const n of Object.values(st.nodes) as Array<{ hostnames: { manage: string[] }; zone: number }>) if (n.hostnames.manage[0] === 'gluster2') n.zone = 3;
    await fs.writeFile(path.join(dir, 'heketi.json'), JSON.stringify(st));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 20 });
    const check = await play('', ['--check', '--detect-drift']);
    expect(check.code).to.equal(4);
    expect(ev(check.stdout).msg).to.contain('node gluster2: zone is 3, wanted 2 — heketi cannot change a node in place');
    const run = await play();
    expect(run.code).to.equal(1);
    expect(ev(run.stdout).status).to.equal('failed');
  });

  it('a wrong key is a clear 401 error', async () => {
    const res = await play('', [], 'not-the-key');
    expect(res.code).to.equal(1);
    expect(ev(res.stdout).msg).to.contain("heketi refused the credentials for user 'admin' (401): Invalid JWT token: signature is invalid (client and server secrets may not match)");
    expect(nodes()).to.have.length(0);
  });

  it('a device heketi cannot add fails the task and rolls back everything the run added', async () => {
    await fs.writeFile(path.join(dir, 'inventory.yml'), (await fs.readFile(path.join(dir, 'inventory.yml'), 'utf8')).replace('heketi_zone: 2, heketi_devices: [/dev/vdb1]', 'heketi_zone: 2, heketi_devices: [/dev/fail1]'));
    expect([Object.keys(heketi.state().clusters).length, nodes().length], 'heketi starts empty').to.deep.equal([0, 0]);
    const res = await play();
    expect(res.code, 'the play fails').to.equal(1);
    expect(ev(res.stdout).msg).to.contain('Unable to execute command on gluster2');
    expect(jsonEvents(res.stdout).find((e) => e.event === 'rollback')!.steps[0].status).to.equal('reverted');
    const st = heketi.state();
    expect([Object.keys(st.clusters).length, nodes().length, Object.keys(st.devices).length]).to.deep.equal([0, 0, 0]);
  });

  it('`runbook rollback` deletes devices, then nodes, then the cluster the run added', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    // The run really added the topology: rollback has something to undo.
    const added = heketi.state();
    expect([Object.keys(added.clusters).length, nodes().length, Object.keys(added.devices).length].every((n) => n > 0), JSON.stringify(added)).to.equal(true);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    const st = heketi.state();
    expect([Object.keys(st.clusters).length, nodes().length, Object.keys(st.devices).length]).to.deep.equal([0, 0, 0]);
    expect(await fs.readFile(path.join(dir, '.runbook/runs', run, 'journal.jsonl'), 'utf8')).to.not.contain(KEY);
  });

  /** The play with other module arguments (prune, state) for the same inventory. */
  async function playWith(extra: string) {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: topology\n      heketi_topology: { url: "${heketi.url}", key: "{{heketi_admin_key}}", group: gluster, ${extra} }\n`);
    return runCli(['play', 'site.yml', '-i', 'inventory.yml', '--format', 'json', '-e', `heketi_admin_key=${KEY}`], { cwd: dir });
  }
  const dropFromInventory = async (from: string, to: string) => {
    const file = path.join(dir, 'inventory.yml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(from, to));
  };

  it('prune removes an unlisted device and node by heketi\'s protocol (online devices cannot be deleted)', async () => {
    await dropFromInventory('heketi_zone: 1, heketi_devices: [/dev/vdb1]', 'heketi_zone: 1, heketi_devices: [/dev/vdb1, /dev/vdc]');
    expect((await play()).code).to.equal(0);
    await dropFromInventory('heketi_zone: 1, heketi_devices: [/dev/vdb1, /dev/vdc]', 'heketi_zone: 1, heketi_devices: [/dev/vdb1]');
    await dropFromInventory('        gluster2: { address: 10.0.0.12, heketi_zone: 2, heketi_devices: [/dev/vdb1] }\n', '');
    const res = await playWith('prune: true');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(ev(res.stdout).msg).to.equal('delete device /dev/vdc from gluster1 (prune); delete node gluster2 and its 1 device(s) (prune)');
    const st = heketi.state();
    expect(nodes().map((n) => `${n.hostnames.manage[0]}:${n.state}`)).to.deep.equal(['gluster1:online']);
    expect(Object.values(st.devices).map((d) => `${d.name}:${d.state}`)).to.deep.equal(['/dev/vdb1:online']);
    expect(ev((await playWith('prune: true')).stdout).status, 'second prune').to.equal('ok');
  });

  it('prune migrates the bricks of the device it removes to another node\'s device', async () => {
    await dropFromInventory('heketi_zone: 1, heketi_devices: [/dev/vdb1]', 'heketi_zone: 1, heketi_devices: [/dev/vdb1, /dev/vdc]');
    expect((await play()).code).to.equal(0);
    await heketi.close();
    const st = JSON.parse(await fs.readFile(heketi.stateFile, 'utf8'));
    const vdc = Object.values(st.devices as Record<string, { id: string; name: string; bricks: unknown[] }>).find((d) => d.name === '/dev/vdc')!;
    vdc.bricks = [{ id: 'b1', volume: 'v1', size: 2048, path: `/var/lib/heketi/mounts/vg_${vdc.id}/brick_b1/brick` }];
    await fs.writeFile(heketi.stateFile, JSON.stringify(st));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 20 });
    await dropFromInventory('heketi_zone: 1, heketi_devices: [/dev/vdb1, /dev/vdc]', 'heketi_zone: 1, heketi_devices: [/dev/vdb1]');
    const res = await playWith('prune: true');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const after = heketi.state();
    const holder = Object.values(after.devices).find((d) => d.bricks.length > 0)!;
    expect([Object.keys(after.devices).length, after.nodes[holder.node].hostnames.manage[0], holder.bricks[0].volume]).to.deep.equal([2, 'gluster2', 'v1']);
  });

  it('a removal interrupted after the disable step resumes from the state heketi reports', async () => {
    expect((await play()).code).to.equal(0);
    await heketi.close();
    const st = JSON.parse(await fs.readFile(heketi.stateFile, 'utf8'));
    const gluster2 = Object.values(st.nodes as Record<string, { hostnames: { manage: string[] }; state: string; devices: string[] }>).find((n) => n.hostnames.manage[0] === 'gluster2')!;
    gluster2.state = 'offline';
    st.devices[gluster2.devices[0]].state = 'failed';
    await fs.writeFile(heketi.stateFile, JSON.stringify(st));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 20 });
    await dropFromInventory('        gluster2: { address: 10.0.0.12, heketi_zone: 2, heketi_devices: [/dev/vdb1] }\n', '');
    const res = await playWith('prune: true');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(nodes().map((n) => n.hostnames.manage[0])).to.deep.equal(['gluster1']);
  });

  it('state: absent removes the nodes, their devices and the emptied cluster', async () => {
    expect((await play()).code).to.equal(0);
    const res = await playWith('state: absent');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(ev(res.stdout).msg).to.equal('delete node gluster1 and its 1 device(s); delete node gluster2 and its 1 device(s)');
    const st = heketi.state();
    expect([Object.keys(st.clusters).length, nodes().length, Object.keys(st.devices).length]).to.deep.equal([0, 0, 0]);
  });
});
