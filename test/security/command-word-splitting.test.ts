// Security item 2: in `command:`, a templated value is always exactly one argv element: quotes in the value
// cannot split it into several arguments (`find D -name '{{pat}}'` once ran `-exec touch ...`).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('security: a templated value is one argv element of command', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-words-'));
    await fs.mkdir(path.join(dir, 'D'));
    await fs.writeFile(path.join(dir, 'D', 'file'), '');
  });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  for (const [where, cmd] of [
    ['inside single quotes', "find D -name '{{pat}}'"],
    ['inside double quotes', 'find D -name "{{pat}}"'],
    ['unquoted', 'find D -name {{pat}}'],
  ] as const) {
    it(`a value ${where} with quotes and spaces stays one argument`, async () => {
      const pat = `x' -exec touch PWN ; -name 'y" -o -exec touch PWN ; -name "z`;
      await fs.writeFile(path.join(dir, 'vars.yml'), `pat: ${JSON.stringify(pat)}\n`);
      await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    - command:
        cmd: ${JSON.stringify(cmd)}
        chdir: "${dir}"
      register: found
    - command:
        cmd: ${JSON.stringify(cmd.replace('find D -name', 'printf [%s]'))}
      register: printed
    - copy: { dest: "${dir}/printed", content: "{{printed.stdout}}" }
`);
      const res = await runCli(['play', 'site.yml', '-v'], { cwd: dir });
      expect(res.code, res.stderr + res.stdout).to.equal(0);
      expect(await fs.stat(path.join(dir, 'PWN')).then(() => true, () => false), 'find ran -exec').to.equal(false);
      // printf repeats its format once per argument: one [...] means exactly one argv element.
      expect(await fs.readFile(path.join(dir, 'printed'), 'utf8')).to.equal(`[${pat}]`);
    });
  }
});
