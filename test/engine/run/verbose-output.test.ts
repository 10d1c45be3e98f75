// -v shows what each command printed (stdout, stderr; no_log hides it); the JSON task event carries the registered
// result, and none for a no_log task (#16).

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
});
