// A fresh `runbook lab up 3`, driven only through the CLI as a user would (no test helper touches the hosts): the
// host modules (modprobe through the lab's module tree, sysctl, fstab with a real bind mount, firewalld started
// through its unit, service) and a real 3-peer gluster pool started through `service: glusterd` converge, and a
// second run changes nothing. Also: `lab inventory --path`, `lab status` naming the stand-ins, and `lab down`.

import { expect } from 'chai';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { isRoot } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';

describe('a fresh lab through the CLI: host modules, firewalld and a gluster pool on systemd hosts', function () {
  this.timeout(600_000);
  const name = `lf${process.pid % 100000}`;
  let inventory = '';

  before(async function () {
    if (!isRoot()) {
      console.warn('\n  *** SKIPPED: lab tests need root on Linux; CI runs as root ***\n');
      this.skip();
    }
    const up = await runCli(['lab', 'up', '3', '--name', name], { timeoutMs: 120_000 });
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    const inv = await runCli(['lab', 'inventory', '--path', '--name', name]);
    expect(inv.code, inv.stderr).to.equal(0);
    inventory = inv.stdout.trim();
  });
  after(async () => {
    if (isRoot() && !process.env.RUNBOOK_KEEP_LAB) await runCli(['lab', 'down', '--name', name], { timeoutMs: 60_000 });
  });

  const play = () => runCli(['play', path.join(repoRoot, 'playbooks/lab-fleet.yml'), '-i', inventory, '--format', 'json'], { timeoutMs: 300_000 });
  const onHost = async (host: string, command: string) => {
    const r = await runCli(['lab', 'ssh', host, '--name', name, '--', command]);
    return r.stdout.trim();
  };

  it('prints the inventory path with --path, and lab status names the stand-ins', async () => {
    expect(inventory).to.equal(`/run/runbook-lab/${name}/inventory.yml`);
    const status = await runCli(['lab', 'status']);
    expect(status.stdout).to.contain(`lab '${name}' (3 hosts`);
    expect(status.stdout).to.match(/stand-in: modprobe, lsmod, \/sys\/module/);
    expect(status.stdout).to.match(new RegExp(`node1 +10\\.213\\.\\d+\\.10 +systemd up  sshd up`));
  });

  it('converges on the first run: every change is real on the hosts', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const recap = jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts;
    for (const h of ['node1', 'node2', 'node3']) {
      expect(recap[h].failed, h).to.equal(0);
      // Booted (not starting), systemd as PID 1; the units the play manages are checked one by one below.
      expect(await onHost(h, 'systemctl is-system-running; cat /proc/1/comm'), await onHost(h, 'systemctl --failed --no-pager')).to.match(/^(running|degraded)\nsystemd$/);
      expect(await onHost(h, 'lsmod | grep -c ^dm_snapshot; cat /sys/module/dm_snapshot/initstate'),
        await onHost(h, 'findmnt /sys/module; ls -la /var/lib/runbook-lab/modules/sys-module/dm_snapshot; systemctl status --no-pager runbook-lab-module-tree 2>&1 | tail -5'))
        .to.equal('1\nlive');
      expect(await onHost(h, 'sysctl -n net.ipv4.ip_forward; cat /etc/sysctl.d/90-lab.conf')).to.equal('1\nnet.ipv4.ip_forward = 1');
      expect(await onHost(h, 'findmnt -n -o TARGET,FSTYPE /bricks; grep " /bricks " /etc/fstab')).to.match(/^\/bricks\s+\S+\n\/srv\/bricks\/data \/bricks none defaults,bind 0 0$/);
      expect(await onHost(h, 'systemctl is-active firewalld glusterd; systemctl is-enabled firewalld glusterd')).to.equal('active\nactive\nenabled\nenabled');
      expect(await onHost(h, 'firewall-cmd --state; firewall-cmd --zone=public --list-ports')).to.equal('running\n24007-24008/tcp 49152-49251/tcp');
    }
    const pool = await onHost('node1', 'gluster pool list');
    expect(pool.split('\n').filter((l) => /\bConnected\b/.test(l))).to.have.length(3);
  });

  it('changes nothing on the second run', async () => {
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const recap = jsonEvents(res.stdout).find((e) => e.event === 'recap')!.hosts;
    const changed = jsonEvents(res.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => `${e.host}: ${e.task}`);
    for (const h of ['node1', 'node2', 'node3']) expect(recap[h], `${h}; changed: ${changed.join(', ')}`).to.include({ changed: 0, failed: 0 });
  });
});
