// gluster_volume against real glusterd (Debian's glusterfs-server) on three lab peers: create replica 3 arbiter 1 (check
// mode first changes nothing), rerun changed=0, options set and reset, stop, bricks added and removed, delete refused
// at validate without force, and rollback (a created volume is deleted, an option gets its old value back).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

interface VolumeInfo { status: string; bricks: string[]; options: Record<string, string>; replicaCount: string }

describe('gluster_volume with real glusterd peers on the lab', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;
  const peers = ['node1', 'node2', 'node3'];

  before(async function () {
    lab = await acquireLab(3, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-gluster-volume-'));
    const hostsFile = `127.0.0.1 localhost\n${lab.hosts.map((h) => `${h.address} ${h.name}`).join('\n')}\n`;
    for (const h of peers) {
      await lab.writeFile(h, '/etc/hosts', hostsFile);
      const r = await lab.exec(h, ['sh', '-c', 'mkdir -p /bricks; systemctl stop firewalld; systemctl start glusterd || exit 1; for i in $(seq 1 100); do gluster --xml pool list >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1']);
      expect(r.code, `glusterd on ${h}: ${r.stderr}`).to.equal(0);
    }
    for (const h of ['node2', 'node3']) expect((await lab.exec('node1', ['gluster', '--mode=script', 'peer', 'probe', h])).code).to.equal(0);
    const ready = await lab.exec('node1', ['sh', '-c', 'for i in $(seq 1 100); do [ "$(gluster peer status | grep -c "Peer in Cluster (Connected)")" = 2 ] && exit 0; sleep 0.2; done; exit 1']);
    expect(ready.code, 'peers in cluster').to.equal(0);
  });
  after(async () => {
    // Leave no volume and an empty pool for whoever uses these hosts next.
    if (lab) {
      for (const v of ['gv0', 'gv1', 'gv2']) {
        await lab.exec('node1', ['gluster', '--mode=script', 'volume', 'stop', v, 'force']);
        await lab.exec('node1', ['gluster', '--mode=script', 'volume', 'delete', v]);
      }
      for (const n of ['node2', 'node3']) await lab.exec('node1', ['gluster', '--mode=script', 'peer', 'detach', n, 'force']);
      for (const h of peers) await lab.exec(h, ['rm', '-rf', '/bricks']);
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = async (tasks: string, extra: string[] = [], file = 'site.yml') => {
    await fs.writeFile(path.join(dir, file), `- hosts: node1\n  gather_facts: false\n  tasks:\n${tasks}`);
    return runCli(['play', file, '-i', lab.inventoryPath, '--format', 'json', ...extra], { cwd: dir, timeoutMs: 200_000 });
  };
  const task = (stdout: string, name = 'volume') => jsonEvents(stdout).find((e) => e.event === 'task' && e.task === name)!;
  const info = async (name: string): Promise<VolumeInfo | null> => {
    const out = (await lab.exec('node1', ['gluster', '--xml', 'volume', 'info', name])).stdout;
    if (!out.includes('<volume>')) return null;
    const options: Record<string, string> = {};
    for (const m of out.matchAll(/<option>\s*<name>([^<]+)<\/name>\s*<value>([^<]*)<\/value>/g)) options[m[1]] = m[2];
    return {
      status: /<statusStr>([^<]+)</.exec(out)![1],
      bricks: [...out.matchAll(/<name>([^<]+:\/[^<]+)<\/name>/g)].map((m) => m[1]),
      options,
      replicaCount: /<replicaCount>(\d+)</.exec(out)![1],
    };
  };
  const gv0 = (extra: string) => `    - name: volume\n      gluster_volume: { name: gv0, bricks: [node1:/bricks/gv0, node2:/bricks/gv0, node3:/bricks/gv0], replicas: 3, arbiters: 1, force: true${extra} }\n`;

  it('creates a replica 3 arbiter 1 volume (check mode first changes nothing), then a rerun changes nothing', async () => {
    const check = await play(gv0(', options: { performance.cache-size: 64MB, network.ping-timeout: 20 }'), ['--check']);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    expect(task(check.stdout).msg).to.equal('would create volume gv0 (replica 3 arbiter 1) with bricks node1:/bricks/gv0, node2:/bricks/gv0, node3:/bricks/gv0; set performance.cache-size to 64MB; set network.ping-timeout to 20; start volume gv0');
    expect(await info('gv0')).to.equal(null);
    const res = await play(gv0(', options: { performance.cache-size: 64MB, network.ping-timeout: 20 }'));
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(task(res.stdout).status).to.equal('changed');
    const v = (await info('gv0'))!;
    expect(v).to.include({ status: 'Started', replicaCount: '3' });
    expect(v.bricks).to.deep.equal(['node1:/bricks/gv0', 'node2:/bricks/gv0', 'node3:/bricks/gv0']);
    expect(v.options['performance.cache-size']).to.equal('64MB');
    expect((await lab.exec('node1', ['gluster', 'volume', 'info', 'gv0'])).stdout).to.contain('Brick3: node3:/bricks/gv0 (arbiter)');
    const again = await play(gv0(', options: { performance.cache-size: 64MB, network.ping-timeout: 20 }'));
    expect(task(again.stdout).status, again.stdout).to.equal('ok');
  });

  it('sets and resets options and stops the volume; a later failure rolls the options and the run state back', async () => {
    const tasks = gv0(', state: stopped, options: { performance.cache-size: 128MB, network.ping-timeout: null }');
    const failed = await play(`${tasks}    - name: boom\n      fail: { msg: stop here }\n`);
    expect(failed.code).to.equal(1);
    expect(task(failed.stdout).msg).to.equal('set performance.cache-size to 128MB (was 64MB); reset network.ping-timeout (was 20); stop volume gv0');
    const back = (await info('gv0'))!;
    expect(back.status).to.equal('Started');
    expect(back.options).to.include({ 'performance.cache-size': '64MB', 'network.ping-timeout': '20' });
    const res = await play(tasks);
    expect(res.code, res.stdout).to.equal(0);
    const v = (await info('gv0'))!;
    expect(v.status).to.equal('Stopped');
    expect(v.options['performance.cache-size']).to.equal('128MB');
    expect(v.options).to.not.have.property('network.ping-timeout');
    expect(task((await play(tasks)).stdout).status).to.equal('ok');
  });

  it('adds a brick (no rebalance) and removes it again, each rerun changing nothing', async () => {
    const vol = (bricks: string[]) => `    - name: volume\n      gluster_volume: { name: gv1, bricks: ${JSON.stringify(bricks)}, force: true }\n`;
    expect((await play(vol(['node1:/bricks/gv1']))).code).to.equal(0);
    const grow = await play(vol(['node1:/bricks/gv1', 'node2:/bricks/gv1']));
    expect(task(grow.stdout).msg).to.equal('add bricks node2:/bricks/gv1');
    expect((await info('gv1'))!.bricks).to.deep.equal(['node1:/bricks/gv1', 'node2:/bricks/gv1']);
    expect(task((await play(vol(['node1:/bricks/gv1', 'node2:/bricks/gv1']))).stdout).status).to.equal('ok');
    const rebalance = await lab.exec('node1', ['gluster', 'volume', 'rebalance', 'gv1', 'status']);
    expect(rebalance.stdout + rebalance.stderr).to.not.match(/in progress|completed/);
    const shrink = await play(vol(['node1:/bricks/gv1']));
    expect(task(shrink.stdout).msg).to.equal('remove bricks node2:/bricks/gv1 (force: data on them stays behind)');
    expect((await info('gv1'))!.bricks).to.deep.equal(['node1:/bricks/gv1']);
    expect(task((await play(vol(['node1:/bricks/gv1']))).stdout).status).to.equal('ok');
  });

  it('refuses state: absent without force at validate (exit 2, file:line:col), deletes with it; a created volume is deleted by rollback', async () => {
    const refused = await play('    - name: volume\n      gluster_volume: { name: gv1, state: absent }\n', [], 'bad.yml');
    expect(refused.code).to.equal(2);
    expect(refused.stderr + refused.stdout).to.match(/bad\.yml:5:\d+: .*force/);
    expect(await info('gv1')).to.not.equal(null);
    const del = await play('    - name: volume\n      gluster_volume: { name: gv1, state: absent, force: true }\n');
    expect(task(del.stdout).msg).to.equal('stop volume gv1; delete volume gv1 (bricks node1:/bricks/gv1)');
    expect(await info('gv1')).to.equal(null);
    const created = await play('    - name: volume\n      gluster_volume: { name: gv2, bricks: [node1:/bricks/gv2, node2:/bricks/gv2], replicas: 2, force: true }\n    - name: boom\n      fail: { msg: stop here }\n');
    expect(created.code).to.equal(1);
    expect(jsonEvents(created.stdout).find((e) => e.event === 'rollback')!.steps[0]).to.include({ module: 'gluster_volume', status: 'reverted' });
    expect(await info('gv2')).to.equal(null);
  });
});
