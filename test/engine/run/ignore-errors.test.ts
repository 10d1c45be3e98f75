// ignore_errors is counted as Ansible counts it: ok and ignored in the recap, never failed; audit says "ignored"
// (#12 item 7).

import { expect } from 'chai';
import { runCli } from '../../helpers/cli.js';
import { playJson, withProject, writeFiles } from './local-play.js';

const site = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: probe that fails
      command: "false"
      check_mode: false
      ignore_errors: true
    - name: next
      command: "true"
      changed_when: false
      check_mode: false
`;

describe('ignore_errors in the recap and the audit (#12 item 7)', () => {
  it('recap: failed 0, ignored 1, the run exits 0; human output says ignored', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': site });
    const res = await playJson(dir);
    expect(res.code, res.stdout).to.equal(0);
    expect(res.statuses).to.deep.equal(['probe that fails=failed', 'next=ok']);
    expect(res.events.find((e) => e.task === 'probe that fails')!.ignored).to.equal(true);
    expect(res.recap.localhost).to.include({ ok: 2, failed: 0, ignored: 1 });
    const human = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(human.stdout).to.match(/^ignored\s+localhost \| probe that fails/m);
    expect(human.stdout).to.match(/localhost : ok=2 changed=0 failed=0 skipped=0 unreachable=0 ignored=1 rolled_back=0/);
  }));

  it('audit lists the failure as ignored, not as an error', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': site, 'inv.yml': 'all:\n  hosts:\n    localhost: { connection: local }\n' });
    const res = await runCli(['audit', 'site.yml', '-i', 'inv.yml'], { cwd: dir });
    expect(res.stdout).to.contain('localhost: 0 drifted, 1 ignored');
    expect(res.stdout).to.match(/ {2}ignored {2}probe that fails: /);
    expect(res.stdout).not.to.contain('error(s)');
  }));
});
