// find on a lab host through the CLI: real files with real ages, sizes and contents; the registered `files` drive a
// later task; read-only in every mode (check mode included), and a missing folder is skipped, not fatal.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const PLAYBOOK = `
- hosts: node1
  gather_facts: false
  tasks:
    - name: old logs
      find: { paths: [/srv/rbfind, /srv/rbfind-missing], patterns: ["*.log"], age: 2d, recurse: true }
      register: old
    - name: configs naming the old server
      find: { paths: [/srv/rbfind/etc], contains: "host = db-old" }
      register: stale
    - name: big files
      find: { paths: [/srv/rbfind], size: 1m, recurse: true }
      register: big
    - name: write what was found
      copy:
        dest: /srv/rbfind-report.txt
        content: "old:{{#each old.files}} {{this.path}}{{/each}}\\nstale:{{#each stale.files}} {{this.path}}{{/each}}\\nbig:{{#each big.files}} {{this.path}} {{this.size}}{{/each}}\\nskipped: {{json old.skipped_paths}}\\n"
`;

describe('find module on a lab host', function () {
  this.timeout(120_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout.trim();
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '--format', 'json', ...args], { cwd: dir });

  before(async function () {
    lab = await acquireLab(1, this);
    const made = await lab.exec('node1', ['sh', '-c', [
      'rm -rf /srv/rbfind /srv/rbfind-report.txt && mkdir -p /srv/rbfind/sub /srv/rbfind/etc',
      'touch -d "5 days ago" /srv/rbfind/a.log /srv/rbfind/sub/b.log /srv/rbfind/.hidden.log',
      'touch /srv/rbfind/new.log',
      'touch -d "5 days ago" /srv/rbfind/old.txt',
      'head -c 2097152 /dev/zero > /srv/rbfind/sub/big.bin',
      'printf "x = 1\\nhost = db-old\\n" > /srv/rbfind/etc/a.conf; printf "# host = db-old\\n" > /srv/rbfind/etc/b.conf',
    ].join(' && ')]);
    expect(made.code, made.stderr).to.equal(0);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-find-'));
    await fs.writeFile(path.join(dir, 'site.yml'), PLAYBOOK);
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await sh('rm -rf /srv/rbfind /srv/rbfind-report.txt');
  });

  it('registers what matches; a later task uses it; find itself never changes anything', async () => {
    const listing = await sh('find /srv/rbfind -printf "%p %T@\\n" | sort');
    const res = await play();
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    const tasks = jsonEvents(res.stdout).filter((e) => e.event === 'task');
    expect(tasks.map((e) => e.status)).to.deep.equal(['ok', 'ok', 'ok', 'changed']);
    const report = (await lab.readFile('node1', '/srv/rbfind-report.txt'))!.split('\n');
    expect(report[0].split(' ').slice(1).sort()).to.deep.equal(['/srv/rbfind/a.log', '/srv/rbfind/sub/b.log']);
    expect(report[1]).to.equal('stale: /srv/rbfind/etc/a.conf');
    expect(report[2]).to.equal('big: /srv/rbfind/sub/big.bin 2097152');
    expect(report[3]).to.match(/^skipped: \{"\/srv\/rbfind-missing":".*No such file or directory.*"\}$/);
    expect(await sh('find /srv/rbfind -printf "%p %T@\\n" | sort')).to.equal(listing);
  });

  it('runs in check mode too (read-only), and a second run changes nothing', async () => {
    const check = await play('--check');
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    const again = await play();
    expect(jsonEvents(again.stdout).find((e) => e.event === 'recap')!.hosts.node1).to.include({ changed: 0, ok: 4 });
  });
});
