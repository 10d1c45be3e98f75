// uri through the CLI on this machine (local connection) against the conformance case's HTTP server on loopback
// (started here, stopped by its PID): the URL password and a credential header never appear in any output or in the
// journal; check mode sends nothing and writes nothing; dest written is the one change (changed), a rerun answers
// 304 (ok), and a later failure rolls dest back.

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { playJson, withProject, writeFiles } from '../engine/run/local-play.js';
import { repoRoot } from '../helpers/paths.js';

const PORT = 18414;
const SERVER = (parse(readFileSync(path.join(repoRoot, 'test/conformance/cases/uri.yml'), 'utf8')) as { files: Record<string, string> }).files['server.py'];

/** Every file under dir but the sealed entries (0600, kept for rollback), read as text; the sealed files' modes. */
async function runFiles(dir: string): Promise<{ text: string; sealedModes: string[] }> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const sealed = files.filter((f) => f.split(path.sep).includes('sealed'));
  const text = (await Promise.all(files.filter((f) => !sealed.includes(f)).map((f) => fs.readFile(f, 'utf8')))).join('\n');
  return { text, sealedModes: await Promise.all(sealed.map(async (f) => ((await fs.stat(f)).mode & 0o777).toString(8))) };
}

async function portOpen(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((done) => net.connect(PORT, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); done(true); }).once('error', () => done(false)));
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the test server did not open port ${PORT} in 10 s`);
}

describe('uri module (local connection, a server on loopback)', function () {
  this.timeout(120_000);
  let server: ChildProcess | undefined;
  let www: string;

  before(async () => {
    www = await fs.mkdtemp('/tmp/runbook-uri-www-');
    await writeFiles(www, { 'server.py': SERVER, 'data.json': '{"name": "web"}\n' });
    server = spawn('python3', [path.join(www, 'server.py'), String(PORT), www], { stdio: 'ignore' });
    await portOpen();
  });
  after(async () => {
    if (server?.pid) process.kill(server.pid);
    await fs.rm(www, { recursive: true, force: true });
  });

  it('never shows or journals url_password and credential headers; check mode sends nothing; dest is the change and is rolled back', () => withProject(async (dir) => {
    const dest = path.join(dir, 'out/data.json');
    await writeFiles(dir, {
      'out/.keep': '',
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - name: auth
      uri: { url: "http://127.0.0.1:${PORT}/auth", url_username: admin, url_password: s3cret, force_basic_auth: true, headers: { X-Api-Key: hdr-value-9q7 } }
      register: a
    - name: post
      uri: { url: "http://127.0.0.1:${PORT}/echo", method: POST, body: "x", headers: { Authorization: "Bearer tok-4f2e9" } }
    - name: download
      uri: { url: "http://127.0.0.1:${PORT}/data.json", dest: "${dest}", status_code: [200, 304] }
    - name: show
      debug: { msg: "{{a.status}} {{a.json.user}}" }
    - name: stop
      fail: { msg: "stop" }
      when: defined stop
`,
    });
    const check = await playJson(dir, ['--check']);
    expect(check.statuses.slice(0, 3), check.stdout + check.stderr).to.deep.equal(['auth=skipped', 'post=skipped', 'download=skipped']);
    await fs.access(dest).then(() => expect.fail('check mode wrote dest'), () => undefined);

    const first = await playJson(dir, ['-e', 'stop=1']);
    expect(first.code, first.stdout + first.stderr).to.equal(1);
    expect(first.statuses.slice(1)).to.deep.equal(['post=ok', 'download=changed', 'show=ok', 'stop=failed']);
    expect(first.events.find((e) => e.task === 'show')!.msg).to.equal('200 admin');
    await fs.access(dest).then(() => expect.fail('rollback left dest'), () => undefined);

    const second = await playJson(dir);
    expect(second.statuses.slice(1, 3)).to.deep.equal(['post=ok', 'download=changed']);
    expect(await fs.readFile(dest, 'utf8')).to.equal('{"name": "web"}\n');
    const third = await playJson(dir);
    expect(third.statuses.slice(1, 3), 'an unchanged dest answers 304').to.deep.equal(['post=ok', 'download=ok']);

    const journal = await runFiles(path.join(dir, '.runbook'));
    const everything = [check, first, second, third].map((r) => r.stdout + r.stderr).join('\n') + journal.text;
    for (const secret of ['s3cret', 'tok-4f2e9', 'hdr-value-9q7']) expect(everything, secret).not.to.contain(secret);
    expect(journal.sealedModes.length, 'the requests with credentials are sealed entries').to.be.greaterThan(0);
    expect([...new Set(journal.sealedModes)]).to.deep.equal(['600']);
  }));
});
