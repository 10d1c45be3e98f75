// `runbook completion bash` in a real bash: commands, subcommands, flags of the command being typed, files after.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cliEntry } from '../helpers/paths.js';

/** What bash offers for `words` (the last one being completed), using the generated script. */
function complete(words: string[]): string[] {
  const script = `eval "$("${process.execPath}" "${cliEntry}" completion bash)"
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_runbook; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('cli: shell completion', function () {
  this.timeout(30_000);
  it('bash completes commands, subcommands and the flags of the command being typed', () => {
    expect(complete(['runbook', 'pl'])).to.deep.equal(['plan', 'play']);
    expect(complete(['runbook', 'va'])).to.deep.equal(['validate', 'vault']);
    expect(complete(['runbook', 'play', '--inv'])).to.deep.equal(['--inventory']);
    expect(complete(['runbook', 'play', 'site.yml', '--che'])).to.deep.equal(['--check']);
    expect(complete(['runbook', 'play', 'site.yml', '--list-'])).to.deep.equal(['--list-hosts', '--list-tags', '--list-tasks']);
    expect(complete(['runbook', 'play', 'site.yml', '--st'])).to.deep.equal(['--start-at-task', '--step']);
    expect(complete(['runbook', 'vault', 'en'])).to.deep.equal(['encrypt', 'encrypt-string']);
    expect(complete(['runbook', 'vault', 'rekey', '--new-vault-p'])).to.deep.equal(['--new-vault-password-file']);
    expect(complete(['runbook', 'exec', 'web', '-'])).to.include.members(['--module', '-m', '--args', '-a']);
    // A positional argument completes file names.
    expect(complete(['runbook', 'play', '/et'])).to.deep.equal(['/etc']);
  });

  it('zsh gets the same through bashcompinit; fish gets complete lines; other shells are refused', () => {
    const run = (shell: string) => spawnSync(process.execPath, [cliEntry, 'completion', shell], { encoding: 'utf8' });
    expect(run('zsh').stdout).to.match(/^# runbook completion for zsh[\s\S]*bashcompinit[\s\S]*complete -o filenames/);
    expect(run('fish').stdout).to.contain("complete -c runbook -n '__fish_use_subcommand' -a 'play'");
    expect(run('fish').stdout).to.contain("complete -c runbook -n '__fish_seen_subcommand_from play' -l inventory -s i");
    const bad = run('tcsh');
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain("unknown shell 'tcsh'");
  });
});
