// Jinja habits are caught at validate (#12 item 9): exit 2, file:line:col, the expression shown and the Handlebars
// spelling to write; the spellings suggested really work.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { handlebarsSpelling } from '../../engine/template/jinja-habits.js';
import { runCli } from '../helpers/cli.js';

describe('Jinja habits', () => {
  it('translates the common expressions', () => {
    expect(handlebarsSpelling("os == 'Debian'")).to.equal('eq os "Debian"');
    expect(handlebarsSpelling('d | length > 0')).to.equal('gt (length d) 0');
    expect(handlebarsSpelling('name | upper')).to.equal('upper name');
    expect(handlebarsSpelling("x.y | default('a')")).to.equal('default x.y "a"');
    expect(handlebarsSpelling('x is not defined or y != 2')).to.equal('or (not (defined x)) (ne y 2)');
    expect(handlebarsSpelling('eq x "a and b"')).to.equal(undefined);
  });

  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-jinja-')); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('validate refuses them with the position, the expression and the Handlebars spelling', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars: { os: Debian, d: [1], name: x }
  tasks:
    - name: a
      debug: { msg: "{{ name | upper }}" }
      when: os == 'Debian'
    - name: b
      debug: { msg: hi }
      when: d | length > 0
    - name: c
      debug: { msg: hi }
      when: name is defined
`);
    const r = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("site.yml:6:7: task 'a': Jinja syntax in 'debug': {{ name | upper }} — runbook templates are Handlebars: write {{upper name}}");
    expect(r.stderr).to.include("site.yml:7:7: task 'a': Jinja syntax in 'when': os == 'Debian' — runbook conditions are Handlebars: write eq os \"Debian\"");
    expect(r.stderr).to.include("site.yml:10:7: task 'b': Jinja syntax in 'when': d | length > 0 — runbook conditions are Handlebars: write gt (length d) 0");
    expect(r.stderr).to.include("site.yml:13:7: task 'c': Jinja syntax in 'when': name is defined — runbook conditions are Handlebars: write defined name");
  });

  it('the suggested spellings run', async () => {
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost
  gather_facts: false
  vars: { os: Debian, d: [1], name: x }
  tasks:
    - name: a
      copy: { dest: "${dir}/out", content: "{{upper name}} {{default nope \\"a\\"}} {{default d.x \\"b\\"}}\\n" }
      when: and (eq os "Debian") (gt (length d) 0) (defined name) (not (defined nope))
`);
    const r = await runCli(['play', 'site.yml'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'out'), 'utf8')).to.equal('X a b\n');
  });
});
