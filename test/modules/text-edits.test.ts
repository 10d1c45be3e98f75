// blockinfile's and ini_file's pure edits against what Ansible wrote: test/fixtures/text-edits/ansible-recorded.json
// holds file shapes (text before, args) and the file ansible-playbook 2.14.18 (community.general 6.6.2) left, recorded
// with `-c local`; the newer options the installed Ansible lacks are checked against their upstream code by hand below.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { editBlock, type BlockEdit } from '../../modules/lib/block-edit.js';
import { editIni, type IniEdit } from '../../modules/lib/ini-edit.js';
import { fixturesDir } from '../helpers/paths.js';

interface Recorded {
  kind: 'ini' | 'block';
  original: string | null;
  args: Record<string, unknown>;
  ansible: { changed: boolean; text: string | null };
}

const recorded = JSON.parse(readFileSync(path.join(fixturesDir, 'text-edits', 'ansible-recorded.json'), 'utf8')) as Recorded[];

const blockDefaults = { marker: '# {mark} ANSIBLE MANAGED BLOCK', marker_begin: 'BEGIN', marker_end: 'END', state: 'present' as const, block: '' };
const iniDefaults = { exclusive: true, no_extra_spaces: false, allow_no_value: false, state: 'present' as const };

function edit(c: Recorded): { text: string; changed: boolean } {
  if (c.kind === 'block') {
    const text = editBlock(c.original ?? undefined, { ...blockDefaults, ...(c.args as Partial<BlockEdit>) });
    return { text, changed: text !== c.original };
  }
  const values = (c.args.values as string[] | undefined) ?? (c.args.value !== undefined ? [c.args.value as string] : []);
  return editIni(c.original ?? undefined, { ...iniDefaults, ...(c.args as Partial<IniEdit>), values });
}

describe('blockinfile and ini_file edits, byte for byte as Ansible wrote them', () => {
  it('the recording covers both modules with many shapes', () => {
    expect(recorded.filter((c) => c.kind === 'ini').length).to.be.greaterThan(30);
    expect(recorded.filter((c) => c.kind === 'block').length).to.be.greaterThan(20);
  });
  recorded.forEach((c, index) => {
    it(`${index} ${c.kind} ${JSON.stringify(c.args)} on ${JSON.stringify(c.original)}`, () => {
      const result = edit(c);
      expect(result.changed, 'changed').to.equal(c.ansible.changed);
      // Unchanged: Ansible leaves the file alone (a BOM, CRLF or a missing file stay as they were).
      if (c.ansible.changed) expect(result.text).to.equal(c.ansible.text);
    });
  });
});

describe('options newer than the installed Ansible (upstream code read by hand)', () => {
  const block = (original: string, args: Partial<BlockEdit>) => editBlock(original, { ...blockDefaults, block: 'b', ...args });
  it('prepend_newline: a blank line before the block unless the previous line is blank or it starts the file', () => {
    expect(block('a\n', { prepend_newline: true })).to.equal('a\n\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\n');
    expect(block('a\n\n', { prepend_newline: true })).to.equal('a\n\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\n');
    expect(block('a\n', { prepend_newline: true, insertbefore: 'BOF' })).to.equal('# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\na\n');
  });
  it('append_newline: a blank line after the block unless the next line is blank or it ends the file', () => {
    expect(block('a\n', { append_newline: true, insertbefore: 'BOF' })).to.equal('# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\n\na\n');
    expect(block('a\n', { append_newline: true })).to.equal('a\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\n');
  });
  it('a second run with both is unchanged', () => {
    const once = block('a\nc\n', { append_newline: true, prepend_newline: true, insertafter: '^a' });
    expect(once).to.equal('a\n\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\n\nc\n');
    expect(block(once, { append_newline: true, prepend_newline: true, insertafter: '^a' })).to.equal(once);
  });
  it('ignore_spaces: an active line with the same value stays as written; a commented one is still replaced', () => {
    const ini = (original: string, value: string) => editIni(original, { ...iniDefaults, section: 's', option: 'k', values: [value], ignore_spaces: true });
    expect(ini('[s]\nk=v\n', 'v')).to.deep.equal({ text: '[s]\nk=v\n', changed: false });
    expect(ini('[s]\nk=v\n', 'w')).to.deep.equal({ text: '[s]\nk = w\n', changed: true });
    expect(ini('[s]\n#k=v\n', 'v')).to.deep.equal({ text: '[s]\nk = v\n', changed: true });
  });
  it('modify_inactive_option false: a commented-out line stays, the value goes after the last setting', () => {
    const ini = (original: string, modify: boolean) => editIni(original, { ...iniDefaults, section: 's', option: 'k', values: ['v'], modify_inactive_option: modify });
    expect(ini('[s]\n# k = old\nx = 1\n', false).text).to.equal('[s]\n# k = old\nx = 1\nk = v\n');
    expect(ini('[s]\n# k = old\nx = 1\n', true).text).to.equal('[s]\nk = v\nx = 1\n');
  });
  it('an invalid insertafter pattern is a module error naming it', () => {
    expect(() => block('a\n', { insertafter: '(' })).to.throw(/invalid insertafter \/\(\//);
  });
});
