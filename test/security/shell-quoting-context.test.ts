// Security item 1: a templated value in a shell line is quoted for the shell context where it sits ("...", '...',
// unquoted, {{& x}}), so a value from a target (a fact, a registered output) never runs as code on the controller.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { renderShellString } from '../../engine/template/render.js';

const HOSTILE = `a'b"c $(touch PWN) \`touch PWN\` \\$HOME ; touch PWN # \n touch PWN '`;

describe('security: shell quoting follows the shell context of each template', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-quote-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  async function play(cmd: string, value: string): Promise<{ code: number | null; out: string; pwned: boolean; stderr: string }> {
    // The value comes from a registered command output, like a fact set by a compromised target.
    await fs.writeFile(path.join(dir, 'value.txt'), value);
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  tasks:
    - command: { argv: [cat, value.txt], chdir: "${dir}" }
      register: fact
    - shell:
        cmd: ${JSON.stringify(cmd)}
        chdir: "${dir}"
      delegate_to: localhost
`);
    const res = await runCli(['play', 'site.yml'], { cwd: dir });
    const out = await fs.readFile(path.join(dir, 'out'), 'utf8').catch(() => '');
    const pwned = await fs.stat(path.join(dir, 'PWN')).then(() => true, () => false);
    return { code: res.code, out, pwned, stderr: res.stderr + res.stdout };
  }

  for (const [where, cmd] of [
    ['unquoted', 'printf %s {{fact.stdout}} > out'],
    ['inside double quotes', 'printf %s "{{fact.stdout}}" > out'],
    ['inside single quotes', "printf %s '{{fact.stdout}}' > out"],
    ['written {{& x}}', 'printf %s "{{& fact.stdout}}" > out'],
    ['inside $(...) inside double quotes', 'printf %s "$(printf %s "{{fact.stdout}}")" > out'],
  ] as const) {
    it(`a hostile value ${where} runs nothing and arrives intact`, async () => {
      const res = await play(cmd, HOSTILE);
      expect(res.code, res.stderr).to.equal(0);
      expect(res.pwned, 'the value ran as code').to.equal(false);
      // The registered stdout has its trailing newline stripped; the value is otherwise byte for byte.
      expect(res.out).to.equal(HOSTILE.replace(/\n+$/, ''));
    });
  }

  it('double-quoted text around the value keeps its own expansions', () => {
    expect(renderShellString('echo "$HOME/{{x}}"', { x: '$USER' })).to.equal('echo "$HOME/\\$USER"');
    expect(renderShellString("echo 'a{{x}}b'", { x: "it's" })).to.equal("echo 'ait'\\''sb'");
    expect(renderShellString('echo {{{x}}}', { x: '$HOME' })).to.equal('echo $HOME');
  });

  for (const [where, cmd, message] of [
    ['inside backticks', 'echo `echo {{x}}`', 'inside `...`'],
    ['inside a comment', 'echo hi # {{x}}', 'inside a shell comment'],
    ['inside a here-document', 'cat <<EOF > out\n{{x}}\nEOF', 'inside a here-document'],
  ] as const) {
    it(`a template ${where} is refused at validate (exit 2, file:line:col, nothing run)`, async () => {
      await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars: { x: hi }
  tasks:
    - command: { argv: [touch, "${dir}/ran"] }
    - shell: ${JSON.stringify(cmd)}
`);
      const res = await runCli(['play', 'site.yml'], { cwd: dir });
      expect(res.code, res.stderr + res.stdout).to.equal(2);
      expect(res.stderr + res.stdout).to.contain(`site.yml:6:`).and.to.contain(message);
      expect(await fs.stat(path.join(dir, 'ran')).then(() => true, () => false)).to.equal(false);
    });
  }
});
