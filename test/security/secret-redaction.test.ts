// Security item 12: a secret is masked in every output wherever its value appears: no_log tasks' JSON `changes`,
// rollback messages and journal lines; task-level secret vars; values rendered from templates; names such as
// aws_secret_access_key, db_pass, apikey; short passwords; indented keys in --diff and in the HTML audit.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

async function everything(dir: string): Promise<string> {
  // Every file runbook left under the project (journal, run records, reports), as text.
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'sealed') await walk(p); } else out.push(`${p}\n${await fs.readFile(p, 'utf8')}`);
    }
  };
  await walk(path.join(dir, '.runbook'));
  return out.join('\n');
}

describe('security: secrets are masked by value in every output', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-redact-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('a no_log command: not in JSON changes, not in the rollback message, not in the journal', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - name: call the API
      shell: echo curl -u admin:Hidden-Cred-41 > /dev/null
      no_log: true
    - name: breaks
      shell: echo Hidden-Cred-41 >&2; exit 3
      no_log: true
`);
    for (const format of ['json', 'human']) {
      const res = await runCli(['play', 'site.yml', '--format', format, '-v'], { cwd: dir });
      expect(res.code).to.equal(1);
      expect(res.stdout + res.stderr).to.contain('cannot be undone').and.not.to.contain('Hidden-Cred-41');
    }
    expect(await everything(dir)).to.not.contain('Hidden-Cred-41');
  });

  it('task-level, templated, newly named and short secrets are masked wherever they appear', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars:
    base: Zorglub
    apikey: "{{base}}-77-key"
    db_pass: q7x
  tasks:
    - command: echo {{apikey}} {{db_pass}} {{aws_secret_access_key}}
      vars: { aws_secret_access_key: AKIAtasklevel99 }
      register: out
    - command: echo {{out.stdout}} again
    - shell: echo Zorglub-77-key; exit 1
`);
    const res = await runCli(['play', 'site.yml', '--format', 'json', '-v'], { cwd: dir });
    const human = await runCli(['play', 'site.yml', '-v'], { cwd: dir });
    for (const text of [res.stdout + res.stderr, human.stdout + human.stderr, await everything(dir)]) {
      expect(text).to.contain('********');
      for (const secret of ['Zorglub-77-key', 'AKIAtasklevel99', 'q7x']) expect(text).to.not.contain(secret);
    }
  });

  it('an indented secret key in a file: masked in --diff and in the HTML audit', async () => {
    const conf = path.join(dir, 'app.yml');
    await fs.writeFile(conf, 'db:\n  password: old-Pw-1\n');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - copy: { dest: "${conf}", content: "db:\\n  password: new-Pw-2\\n  api_token = tok-Val-3\\n" }
`);
    const diff = await runCli(['play', 'site.yml', '--check', '--diff'], { cwd: dir });
    expect(diff.code, diff.stdout + diff.stderr).to.equal(0);
    expect(diff.stdout).to.contain('password: ********');
    const audit = await runCli(['audit', 'site.yml', '--report', 'audit.html'], { cwd: dir });
    const html = await fs.readFile(path.join(dir, 'audit.html'), 'utf8');
    expect(html, audit.stdout + audit.stderr).to.contain('password');
    for (const text of [diff.stdout + diff.stderr, html]) {
      for (const secret of ['old-Pw-1', 'new-Pw-2', 'tok-Val-3']) expect(text).to.not.contain(secret);
    }
  });
});
