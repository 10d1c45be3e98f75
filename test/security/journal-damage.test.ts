// Security item 8: a damaged journal line in the middle stops rollback (with its line number) and shows in
// `runbook runs`; only a torn LAST line (a crash mid-write) may be ignored.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('security: damaged journal', () => {
  let dir: string;
  let target: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-journal-'));
    target = path.join(dir, 'target');
    await fs.mkdir(target);
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - name: first
      copy: { dest: "${target}/a.txt", content: "a\\n" }
    - name: second
      copy: { dest: "${target}/b.txt", content: "b\\n" }
    - name: third
      copy: { dest: "${target}/c.txt", content: "c\\n" }
`);
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  async function playAndJournal(): Promise<{ run: string; journal: string }> {
    const res = await runCli(['play', 'site.yml', '--format', 'json'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    return { run, journal: path.join(dir, '.runbook', 'runs', run, 'journal.jsonl') };
  }

  it('refuses to roll back past a damaged middle line, naming the line, and touches nothing', async () => {
    const { run, journal } = await playAndJournal();
    const lines = (await fs.readFile(journal, 'utf8')).split('\n');
    lines[2] = lines[2].slice(0, 20) + '#garbage#' + lines[2].slice(30); // line 3: the second change entry
    await fs.writeFile(journal, lines.join('\n'));

    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code).to.equal(1);
    expect(rb.stderr).to.contain(`${journal}:3: damaged journal line`);
    // Nothing was reverted: all three files are still there.
    for (const f of ['a.txt', 'b.txt', 'c.txt']) expect(await fs.readFile(path.join(target, f), 'utf8')).to.match(/^[abc]\n$/);

    const runs = await runCli(['runs'], { cwd: dir });
    expect(runs.stdout).to.contain(run).and.to.contain('journal damaged at line 3');
  });

  it('still ignores a torn last line (a crash mid-write) and rolls back the rest', async () => {
    const { run, journal } = await playAndJournal();
    await fs.appendFile(journal, '{"type":"change","seq":9,"host":"localh');
    const rb = await runCli(['rollback', run], { cwd: dir });
    expect(rb.code, rb.stderr + rb.stdout).to.equal(0);
    for (const f of ['a.txt', 'b.txt', 'c.txt']) expect(await fs.stat(path.join(target, f)).then(() => true, () => false)).to.equal(false);
  });
});
