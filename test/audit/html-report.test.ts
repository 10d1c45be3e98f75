// The audit page in a real browser: Debian's headless Chromium loads the self-contained report (no network), runs
// its filters, and renders it. DOM assertions on the dumped DOM, and a screenshot that must be a real PNG.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium with a fresh profile and no background traffic; the whole process group is killed after. */
function chromium(profile: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
      '--metrics-recording-only', `--user-data-dir=${profile}`, ...args,
    ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const kill = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } };
    const timer = setTimeout(() => { kill(); reject(new Error(`chromium timed out: ${stderr.slice(-500)}`)); }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); kill(); resolve({ code, stdout, stderr }); });
  });
}

describe('audit HTML report in headless Chromium', function () {
  this.timeout(180_000);
  let dir: string;
  let report: string;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // eslint-disable-next-line no-console
      console.warn('\n  *** SKIPPED: chromium is not installed (npm test installs it on Debian as root) ***\n');
      this.skip();
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-audit-html-'));
    // Three local hosts in two groups, each with two files; then web2's config drifts.
    await fs.writeFile(path.join(dir, 'inv.yml'), [
      'all:', '  vars: { connection: local }', '  children:',
      '    web: { hosts: { web1: {}, web2: {} } }', '    db: { hosts: { db1: {} } }', '',
    ].join('\n'));
    await fs.writeFile(path.join(dir, 'site.yml'), [
      '- hosts: all', '  gather_facts: false', '  tasks:',
      `    - name: app config\n      copy: { dest: "${dir}/{{inventory_hostname}}.conf", content: "listen <80> & \\"serve\\"\\n" }`,
      `    - name: motd\n      copy: { dest: "${dir}/{{inventory_hostname}}.motd", content: "hello\\n" }`, '',
    ].join('\n'));
    const first = await runCli(['play', 'site.yml', '-i', 'inv.yml'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    await fs.writeFile(path.join(dir, 'web2.conf'), 'listen 8080\n');
    const audit = await runCli(['audit', 'site.yml', '-i', 'inv.yml', '--report', 'audit.html'], { cwd: dir });
    expect(audit.code, audit.stdout + audit.stderr).to.equal(4);
    report = path.join(dir, 'audit.html');
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('is self-contained: no external scripts, styles, images or links', async () => {
    const html = await fs.readFile(report, 'utf8');
    expect(html).to.not.match(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).to.not.match(/@import|url\(/i);
  });

  it('renders the matrix: every host, the drifted cell with its diff, metadata, escaped content', async () => {
    const res = await chromium(path.join(dir, 'profile1'), ['--dump-dom', `file://${report}`]);
    expect(res.code, res.stderr.slice(-1000)).to.equal(0);
    const dom = res.stdout;
    expect(dom).to.contain('<dd id="summary">3 host(s), 2 task(s), 1 drifted</dd>');
    for (const h of ['web1', 'web2', 'db1']) expect(dom).to.match(new RegExp(`<tr data-host="${h}" data-groups="[^"]*"><th>${h}</th>`));
    expect((dom.match(/<td class="drift" data-status="drift">/g) ?? []).length).to.equal(1);
    expect((dom.match(/<td class="ok" data-status="ok">/g) ?? []).length).to.equal(5);
    // The drifted cell is web2's app config, with the file's diff, HTML-escaped (never interpreted).
    const row = /<tr data-host="web2"[\s\S]*?<\/tr>/.exec(dom)![0];
    expect(row).to.contain('<span class="del">- listen 8080</span>');
    expect(row).to.contain('<span class="add">+ listen &lt;80&gt; &amp; "serve"</span>');
    expect(dom).to.not.contain('hidden=""');
  });

  it('filters by status and group from the address, in the page\'s own script', async () => {
    const drift = await chromium(path.join(dir, 'profile2'), ['--dump-dom', `file://${report}?status=drift`]);
    expect(drift.code).to.equal(0);
    expect(drift.stdout).to.match(/<tr data-host="web1" data-groups="web" hidden="">/);
    expect(drift.stdout).to.match(/<tr data-host="db1" data-groups="db" hidden="">/);
    expect(drift.stdout).to.match(/<tr data-host="web2" data-groups="web">/);
    const db = await chromium(path.join(dir, 'profile3'), ['--dump-dom', `file://${report}?group=db`]);
    expect(db.stdout).to.match(/<tr data-host="db1" data-groups="db">/);
    expect(db.stdout).to.match(/<tr data-host="web2" data-groups="web" hidden="">/);
  });

  it('takes a screenshot: a real PNG of the asked size', async () => {
    const shot = path.join(dir, 'audit.png');
    const res = await chromium(path.join(dir, 'profile4'), ['--hide-scrollbars', '--window-size=1200,800', `--screenshot=${shot}`, `file://${report}`]);
    expect(res.code, res.stderr.slice(-1000)).to.equal(0);
    const png = await fs.readFile(shot);
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(png.readUInt32BE(16), 'width').to.equal(1200);
    expect(png.readUInt32BE(20), 'height').to.equal(800);
    expect(png.length).to.be.greaterThan(10_000); // a rendered page (about 30 KB), not a blank one (about 3 KB)
  });
});
