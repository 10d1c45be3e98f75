// -v shows what each command printed (stdout, stderr; no_log hides it); -vv the command lines each module ran (secrets
// masked, none for no_log); the JSON task event carries the registered result and those command lines, and neither
// for a no_log task (#16).

import { expect } from 'chai';
import { runCli } from '../../helpers/cli.js';
import { playJson, withProject, writeFiles } from './local-play.js';

const site = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: talk
      shell: "echo hello; echo oops >&2"
    - name: quiet
      shell: "echo hush-secret-out"
      no_log: true
`;

describe('-v output and the registered result in JSON events', () => {
  it('-v prints stdout and stderr of a command, never those of a no_log task; without -v they are not shown', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': site });
    const verbose = await runCli(['play', 'site.yml', '-v'], { cwd: dir });
    expect(verbose.code, verbose.stdout).to.equal(0);
    expect(verbose.stdout).to.match(/talk \(shell\)[^\n]*\n {4}stdout: hello\n {4}stderr: oops\n/);
    expect(verbose.stdout).not.to.contain('hush-secret-out');
    const quiet = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(quiet.stdout).not.to.contain('stdout: hello');
  }));

  it('the JSON task event has the registered result; a no_log task has none', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': site });
    const res = await playJson(dir);
    expect(res.events.find((e) => e.task === 'talk')!.result).to.include({ rc: 0, stdout: 'hello', stderr: 'oops' });
    expect(res.events.find((e) => e.task === 'quiet')!.result).to.equal(undefined);
    expect(res.stdout).not.to.contain('hush-secret-out');
  }));

  it('-vv shows the command lines each module ran, secrets masked, none of a no_log task; -v does not; JSON carries them', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': `- hosts: localhost
  gather_facts: false
  vars:
    api_token: s3cr3t-value-123
  tasks:
    - name: talk
      command: echo hello
    - name: with token
      command: "echo {{ api_token }}"
    - name: quiet
      command: echo hush-secret-out
      no_log: true
    - name: look
      stat: { path: /etc/hostname }
` });
    const vv = await runCli(['play', 'site.yml', '-vv'], { cwd: dir });
    expect(vv.code, vv.stdout + vv.stderr).to.equal(0);
    expect(vv.stdout).to.match(/talk \(command\)[^\n]*\n {4}\$ echo hello\n {4}stdout: hello\n/);
    expect(vv.stdout).to.match(/look \(stat\)[^\n]*\n {4}\$ stat .*-- \/etc\/hostname\n/);
    expect(vv.stdout).to.contain('$ echo ********\n');
    expect(vv.stdout).not.to.contain('s3cr3t-value-123');
    expect(vv.stdout).not.to.contain('hush-secret-out');
    const v = await runCli(['play', 'site.yml', '-v'], { cwd: dir });
    expect(v.stdout).not.to.contain('$ echo hello');
    const res = await playJson(dir);
    expect(res.events.find((e) => e.task === 'talk')!.commands).to.deep.equal(['echo hello']);
    expect(res.events.find((e) => e.task === 'with token')!.commands).to.deep.equal(['echo ********']);
    expect(res.events.find((e) => e.task === 'quiet')!.commands).to.equal(undefined);
    expect(res.stdout).not.to.contain('s3cr3t-value-123');
  }));
});
