// gluster_peer against real glusterd (Debian's glusterfs-server) running as peers on lab hosts: probe 3, re-run
// changes nothing, a peer addressed by another of its names is not re-probed, grow to 4, shrink to 3, a failed probe
// is reported from opRet/opErrstr and rolls back the peers this run probed, `runbook rollback` detaches them.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

describe('gluster_peer with real glusterd peers on the lab', function () {
  this.timeout(300_000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await acquireLab(4, this);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-gluster-'));
    const hostsFile = `127.0.0.1 localhost\n${lab.hosts.map((h) => `${h.address} ${h.name}`).join('\n')}\n`;
    for (const h of lab.hosts.slice(0, 4)) {
      await lab.writeFile(h.name, '/etc/hosts', hostsFile);
      const r = await lab.exec(h.name, ['sh', '-c', 'systemctl stop firewalld; systemctl start glusterd || exit 1; for i in $(seq 1 100); do gluster --xml pool list >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1']);
      expect(r.code, `glusterd on ${h.name}: ${r.stderr}`).to.equal(0);
    }
  });
  after(async () => {
    // Leave the pool empty for whoever uses these hosts next.
    if (lab) for (const n of ['node2', 'node3', 'node4']) await lab.exec('node1', ['gluster', '--mode=script', 'peer', 'detach', n, 'force']);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const play = async (peers: string[], state = 'present', extra: string[] = []) => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: node1\n  tasks:\n    - name: pool\n      gluster_peer: { peers: ${JSON.stringify(peers)}, state: ${state}, wait_timeout: 30 }\n`);
    return runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...extra], { cwd: dir, timeoutMs: 200_000 });
  };
  const pool = async () => {
    const out = (await lab.exec('node1', ['gluster', '--xml', 'pool', 'list'])).stdout;
    return [...out.matchAll(/<hostname>([^<]+)<\/hostname>/g)].map((m) => m[1]).filter((h) => h !== 'localhost').sort();
  };
  const task = (stdout: string) => jsonEvents(stdout).find((e) => e.event === 'task' && e.task === 'pool')!;

  it('probes the missing peers, then a re-run changes nothing', async () => {
    const res = await play(['node1', 'node2', 'node3']);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(task(res.stdout).msg).to.equal('probe node2; probe node3');
    expect(await pool()).to.include.members(['node2', 'node3']);
    const state = (await lab.exec('node2', ['gluster', 'peer', 'status'])).stdout;
    expect(state).to.contain('State: Peer in Cluster (Connected)');
    const again = await play(['node1', 'node2', 'node3']);
    expect(task(again.stdout).status).to.equal('ok');
  });

  it('does not re-probe a peer addressed by another of its names', async () => {
    // Teach the pool node2's address as a second name, as operators do when probing by IP from another node.
    await lab.exec('node3', ['gluster', '--mode=script', 'peer', 'probe', lab.hosts[1].address]);
    const res = await play(['node1', lab.hosts[1].address, 'node3'], 'present', ['--check', '--detect-drift']);
    expect(res.code, res.stdout).to.equal(0);
  });

  it('grows to 4 and shrinks to 3', async () => {
    const grow = await play(['node1', 'node2', 'node3', 'node4']);
    expect(grow.code, grow.stdout).to.equal(0);
    expect(task(grow.stdout).msg).to.equal('probe node4');
    expect(await pool()).to.include('node4');
    const shrink = await play(['node4'], 'absent');
    expect(shrink.code, shrink.stdout).to.equal(0);
    expect(task(shrink.stdout).msg).to.match(/^detach node4 \([0-9a-f-]{36}\)$/);
    expect(await pool()).to.not.include('node4');
  });

  it('reports a failed probe from opRet/opErrstr (exit code 0) and rolls back what this run probed', async () => {
    await lab.exec('node4', ['systemctl', 'stop', 'glusterd']);
    try {
      // Start from a pool without node3 so the run probes node3 (succeeds) and node4 (fails).
      await lab.exec('node1', ['gluster', '--mode=script', 'peer', 'detach', 'node3']);
      const res = await play(['node3', 'node4']);
      expect(res.code).to.equal(1);
      expect(task(res.stdout).msg).to.match(/peer probe node4 failed \(opErrno \d+\): .+/);
      const rb = jsonEvents(res.stdout).find((e) => e.event === 'rollback')!;
      expect(rb.steps[0]).to.include({ module: 'gluster_peer', status: 'reverted' });
      expect(await pool()).to.not.include('node3');
    } finally {
      await lab.exec('node4', ['systemctl', 'start', 'glusterd']);
    }
  });

  it('`runbook rollback` detaches only the peers the run probed', async () => {
    const res = await play(['node2', 'node3']);
    expect(res.code, res.stdout).to.equal(0);
    expect(task(res.stdout).msg).to.equal('probe node3');
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    const rb = await runCli(['rollback', run], { cwd: dir, timeoutMs: 120_000 });
    expect(rb.code, rb.stdout + rb.stderr).to.equal(0);
    const after = await pool();
    expect(after).to.include('node2');
    expect(after).to.not.include('node3');
  });
});
