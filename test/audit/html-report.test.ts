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
    // Two plays, each with a task named "app config": two columns. The config has twelve lines; the drift changes one.
    const lines = Array.from({ length: 12 }, (_, i) => (i === 7 ? 'listen <80> & \\"serve\\"' : `line${i + 1}`));
    await fs.writeFile(path.join(dir, 'site.yml'), [
      '- name: first', '  hosts: all', '  gather_facts: false', '  tasks:',
      `    - name: app config\n      copy: { dest: "${dir}/{{inventory_hostname}}.conf", content: "${lines.join('\\n')}\\n" }`,
      `    - name: motd\n      copy: { dest: "${dir}/{{inventory_hostname}}.motd", content: "hello\\n" }`,
      '- name: second', '  hosts: all', '  gather_facts: false', '  tasks:',
      `    - name: app config\n      copy: { dest: "${dir}/{{inventory_hostname}}.extra", content: "extra\\n" }`, '',
    ].join('\n'));
    const first = await runCli(['play', 'site.yml', '-i', 'inv.yml'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    const clean = await runCli(['audit', 'site.yml', '-i', 'inv.yml', '--save', 'baseline.json'], { cwd: dir });
    expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
    const conf = await fs.readFile(path.join(dir, 'web2.conf'), 'utf8');
    await fs.writeFile(path.join(dir, 'web2.conf'), conf.replace('listen <80> & "serve"', 'listen 8080'));
    const audit = await runCli(['audit', 'site.yml', '-i', 'inv.yml', '--baseline', 'baseline.json', '--report', 'audit.html'], { cwd: dir });
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

  it('renders the matrix: every host, a column per play and position, the drifted cell as one unified hunk, escaped', async () => {
    const res = await chromium(path.join(dir, 'profile1'), ['--dump-dom', `file://${report}`]);
    expect(res.code, res.stderr.slice(-1000)).to.equal(0);
    const dom = res.stdout;
    expect(dom).to.contain('<dd id="summary">3 host(s), 3 task(s), 1 drifted</dd>');
    for (const h of ['web1', 'web2', 'db1']) expect(dom).to.match(new RegExp(`<tr data-host="${h}" data-groups="[^"]*"><th>${h}</th>`));
    // The two tasks named "app config" are two columns, told apart by play and position.
    const headers = [...dom.matchAll(/<th data-task="([^"]+)"[^>]*><span class="play">([^<]+)<\/span> ([^<]+)<\/th>/g)].map((m) => `${m[2]} ${m[3]}`);
    expect(headers).to.deep.equal(['first #1 app config', 'first #2 motd', 'second #1 app config']);
    expect((dom.match(/<td class="drift new" data-status="drift"/g) ?? []).length).to.equal(1);
    expect((dom.match(/<td class="ok" data-status="ok"/g) ?? []).length).to.equal(8);
    // web2's config: one hunk, three lines of context either side of the changed line, HTML-escaped.
    const cell = /<td class="drift new"[\s\S]*?<\/td>/.exec(dom)![0];
    expect(cell).to.contain('data-task="1:');
    expect((cell.match(/class="hunk"/g) ?? []).length).to.equal(1);
    expect(cell).to.contain('<span class="hunk">@@ -5,7 +5,7 @@</span>');
    expect(cell).to.contain('<span class="del">-listen 8080</span>');
    expect(cell).to.contain('<span class="add">+listen &lt;80&gt; &amp; "serve"</span>');
    for (const context of ['line5', 'line7', 'line9', 'line11']) expect(cell).to.contain(`<span class="ctx"> ${context}</span>`);
    expect(cell).not.to.contain('line4');
    expect(cell).not.to.contain('line12');
    expect(dom).to.not.contain('hidden=""');
  });

  it('shows the comparison with the baseline: what drifted since, what was resolved', async () => {
    const dom = (await chromium(path.join(dir, 'profile5'), ['--dump-dom', `file://${report}`])).stdout;
    expect(dom).to.contain('<p id="baseline-summary">1 new drift, 0 resolved</p>');
    expect(dom).to.contain('<ul id="baseline-added"><li>web2 | first #1 app config</li></ul>');
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
