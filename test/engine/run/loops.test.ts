// Loops as in Ansible: with_dict / dict2items, with_subelements, with_flattened, with_together, with_nested,
// with_indexed_items, with_first_found, with_sequence, with_fileglob, loop_control (index_var, label, pause,
// loop_var), an empty loop (skipped), and the errors a mapping given to `loop` or an unknown with_* lookup gets (#17).
// Items and statuses are also compared with Ansible in test/conformance/cases/with-*.yml.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { playJson, withProject, writeFiles } from './local-play.js';

const play = (dir: string, tasks: string) => `- hosts: localhost
  gather_facts: false
  vars:
    users: { alice: { uid: 7 }, bob: { uid: 8 } }
    teams: [{ name: ops, members: [ann, al] }, { name: dev, members: [dan] }]
  tasks:
${tasks.replaceAll('DIR', dir)}`;

const lines = async (file: string) => (await fs.readFile(file, 'utf8')).trim().split('\n');

describe('loops', () => {
  it('with_* lookups give the items Ansible gives, and index_var / label / loop_var work', () => withProject(async (dir) => {
    const log = (text: string) => `shell: "echo '${text}' >> DIR/log"`;
    await writeFiles(dir, {
      'files/found.txt': 'x\n',
      'site.yml': play(dir, `    - name: dict
      ${log('{{ item.key }}={{ item.value.uid }}')}
      with_dict: "{{ users }}"
    - name: dict2items with index and label
      ${log('{{ i }}:{{ user.key }}')}
      loop: "{{ dict2items users }}"
      loop_control: { index_var: i, label: "{{ user.key }}", loop_var: user, pause: 0 }
    - name: subelements
      ${log('{{ item.[0].name }}/{{ item.[1] }}')}
      with_subelements: ["{{ teams }}", members]
    - name: flattened
      ${log('f{{ item }}')}
      with_flattened: [1, [2, [3]]]
    - name: together
      ${log('{{ item.[0] }}-{{ item.[1] }}')}
      with_together: [[1, 2], [a]]
    - name: nested
      ${log('{{ item.[0] }}{{ item.[1] }}')}
      with_nested: [[x, y], [1, 2]]
    - name: indexed
      ${log('{{ item.[0] }}={{ item.[1] }}')}
      with_indexed_items: [p, q]
    - name: items flattens one level
      ${log('i{{ item }}')}
      with_items: [[1, 2], 3]
    - name: first found
      ${log('{{ item }}')}
      with_first_found: [missing.txt, found.txt]
`),
    });
    const res = await playJson(dir);
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(await lines(path.join(dir, 'log'))).to.deep.equal([
      'alice=7', 'bob=8', '0:alice', '1:bob', 'ops/ann', 'ops/al', 'dev/dan', 'f1', 'f2', 'f3', '1-a', '2-',
      'x1', 'x2', 'y1', 'y2', '0=p', '1=q', 'i1', 'i2', 'i3', path.join(dir, 'files/found.txt'),
    ]);
    const labelled = res.events.find((e) => e.event === 'task' && e.task === 'dict2items with index and label');
    expect(labelled!.msg.split('\n').map((l: string) => l.split(']')[0])).to.deep.equal(['[alice', '[bob']);
  }));

  it('a mapping given to loop is refused with how to write it: at validate (literal) and at run time (from a variable)', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play(dir, '    - name: m\n      debug: { msg: "{{ item }}" }\n      loop: { a: 1 }\n') });
    const literal = await playJson(dir);
    expect(literal.code).to.equal(2);
    expect(literal.stderr).to.include("site.yml:9:7: task 'm': 'loop' must be a list, got a mapping: to loop over a mapping write `loop: \"{{ dict2items my_map }}\"`");
    await writeFiles(dir, { 'site.yml': play(dir, '    - name: m\n      debug: { msg: "{{ item }}" }\n      loop: "{{ users }}"\n') });
    const templated = await playJson(dir);
    expect(templated.code).to.equal(1);
    expect(templated.events.find((e) => e.event === 'task')!.msg).to.include('loop must be a list, got a mapping: to loop over a mapping write');
  }));

  it('with_subelements names the missing key, and skip_missing skips it', () => withProject(async (dir) => {
    const task = (flags: string) => `    - name: s\n      shell: "echo {{ item.[1] }} >> ${dir}/log"\n      with_subelements: ["{{ teams }}", owners${flags}]\n`;
    await writeFiles(dir, { 'site.yml': play(dir, task('')) });
    const res = await playJson(dir);
    expect(res.code).to.equal(1);
    expect(res.events.find((e) => e.event === 'task')!.msg).to.include("with_subelements: an element has no 'owners' (add {skip_missing: true}");
    await writeFiles(dir, { 'site.yml': play(dir, task(', { skip_missing: true }')) });
    expect((await playJson(dir)).code).to.equal(0);
  }));

  it("with_sequence refuses what Ansible's sequence lookup refuses, in its words", () => withProject(async (dir) => {
    const cases: Array<[string, string]> = [
      ['start=5 end=1', 'to count backwards make stride negative'],
      ['start=1 end=3 count=2', "can't specify both count and end in with_sequence"],
      ['start=1', 'must specify count or end in with_sequence'],
      ['start=1 end=3 format=%d-%d', 'bad formatting string: %d-%d'],
      ['010', "can't parse end=010 as integer"],
      ['start=1 end=2 step=1', 'unrecognized arguments to with_sequence: step'],
    ];
    for (const [term, message] of cases) {
      await writeFiles(dir, { 'site.yml': play(dir, `    - name: s\n      debug: { msg: "{{ item }}" }\n      with_sequence: "${term}"\n`) });
      const res = await playJson(dir);
      expect(res.code, term).to.equal(1);
      expect(res.events.find((e) => e.event === 'task')!.msg, term).to.include(`with_sequence: ${message}`);
    }
  }));

  it('an empty loop is skipped and registers what Ansible registers', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play(dir, `    - name: none
      debug: { msg: "{{ item }}" }
      loop: []
      register: r
    - name: show
      copy: { dest: "${dir}/reg", content: "{{ r.skipped }} {{ r.skipped_reason }} {{ length r.results }}" }
`) });
    const res = await playJson(dir);
    expect(res.code).to.equal(0);
    expect(res.events.find((e) => e.event === 'task' && e.task === 'none')!.status).to.equal('skipped');
    expect(await fs.readFile(path.join(dir, 'reg'), 'utf8')).to.equal('true No items in the list 0');
  }));

  it('a with_* lookup runbook does not run is refused at validate with where and what to write', () => withProject(async (dir) => {
    await writeFiles(dir, { 'site.yml': play(dir, '    - name: pick\n      debug: { msg: "{{ item }}" }\n      with_random_choice: [a, b]\n') });
    const res = await playJson(dir);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.include("site.yml:9:7: task 'pick': 'with_random_choice' is a lookup runbook does not run; write `loop:` with the list, or use one of with_list, with_items,");
  }));
});
