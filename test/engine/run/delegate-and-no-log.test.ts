// delegate_to uses the delegated host's merged vars, group vars included (#12 item 8); a no_log task's default name
// never shows its arguments (#12 item 5).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { playJson, withProject, writeFiles } from './local-play.js';

describe('delegate_to and no_log names', () => {
  it('delegate_to a host whose group says connection: local runs locally (#12 item 8)', () => withProject(async (dir) => {
    await writeFiles(dir, {
      'inv.yml': 'all:\n  hosts:\n    app: { connection: local }\n  children:\n    controllers:\n      vars: { connection: local, marker: from-group }\n      hosts:\n        ctl: {}\n',
      'site.yml': `- hosts: app\n  gather_facts: false\n  tasks:\n    - name: on ctl\n      copy: { dest: "${dir}/delegated", content: "done\\n" }\n      delegate_to: ctl\n`,
    });
    const res = await playJson(dir, ['-i', 'inv.yml']);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.statuses).to.deep.equal(['on ctl=changed']);
    expect(await fs.readFile(path.join(dir, 'delegated'), 'utf8')).to.equal('done\n');
  }));

  it('a nameless no_log task is shown without its arguments in human, JSON and JUnit output (#12 item 5)', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: { argv: [echo, s3cr3t-Token-99] }\n      no_log: true\n    - command: { argv: [sh, -c, "echo s3cr3t-Token-99; exit 3"] }\n      no_log: true\n' });
    for (const args of [[], ['--format', 'json'], ['--format', 'junit'], ['-v'], ['-vv']]) {
      const res = await runCli(['play', 'site.yml', ...args], { cwd: dir });
      expect(res.code).to.equal(1);
      expect(res.stdout + res.stderr, args.join(' ')).not.to.contain('s3cr3t');
      expect(res.stdout + res.stderr, args.join(' ')).to.contain('command (arguments hidden by no_log)');
    }
    const runs = path.join(dir, '.runbook', 'runs');
    for (const run of await fs.readdir(runs)) {
      for (const file of await fs.readdir(path.join(runs, run))) {
        expect(await fs.readFile(path.join(runs, run, file), 'utf8').catch(() => ''), file).not.to.contain('s3cr3t');
      }
    }
  }));

  it('no_log written as a template (real roles: no_log: "{{ mysql_hide_passwords }}") hides, whatever it renders; yes/no words still read as booleans', () => withProject(async (dir) => {
    // It was refused before ("'no_log' must be boolean"); hiding always is the safe reading (docs/ansible-differences.md).
    await writeFiles(dir, { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  vars: { hide: false }\n  tasks:\n    - command: { argv: [echo, s3cr3t-Token-77] }\n      no_log: "{{ hide }}"\n    - command: { argv: [echo, visible-77] }\n      no_log: no\n' });
    const res = await runCli(['play', 'site.yml', '-v'], { cwd: dir });
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.stdout + res.stderr).not.to.contain('s3cr3t');
    expect(res.stdout + res.stderr).to.contain('visible-77');
    const refused = await writeFiles(dir, { 'bad.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: "true"\n      no_log: maybe\n' }).then(() => runCli(['validate', 'bad.yml'], { cwd: dir }));
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain("bad.yml:5:15: task: 'no_log' must be boolean");
  }));
});
