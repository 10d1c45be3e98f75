// Ansible's regex, version, text and list filters and its tests, converted by `runbook convert` and rendered by
// runbook's helpers, give what Ansible's own filter and test plugins give (the oracle: Debian's ansible, run here).

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { convertTemplate } from '../../../engine/convert/jinja-template.js';
import { helperNames, renderString } from '../../../engine/template/render.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = `
import sys, json, jinja2
from ansible.plugins.filter.core import FilterModule as Core
from ansible.plugins.filter.mathstuff import FilterModule as Math
from ansible.plugins.test.core import TestModule as Tests
from ansible.plugins.test.files import TestModule as Files
from ansible.plugins.test.mathstuff import TestModule as Sets
from ansible_collections.community.general.plugins.filter.json_query import FilterModule as Query
d = json.load(sys.stdin)
e = jinja2.Environment(undefined=jinja2.StrictUndefined)
for m in (Core, Math, Query): e.filters.update(m().filters())
for m in (Tests, Files, Sets): e.tests.update(m().tests())
out = []
for t in d["templates"]:
    try: out.append(e.from_string(t).render(**d["c"]))
    except Exception as x: out.append("ERROR")
sys.stdout.write(json.dumps(out))
`;

const ctx = {
  conf: 'nginx.conf', lines: 'a=1\nb=22\nc=333', version: '1.20.2', kernel: '5.10.0-23-amd64', path: '/etc/app/app.tar.gz',
  users: [{ name: 'bob', groups: ['wheel', 'adm'] }, { name: 'al', groups: ['adm'] }], nested: [1, [2, [3, [4]]], null, 'None'],
  words: ['Beta', 'alpha', 'Gamma'], numbers: [3, 1, 2], stdout: 'Docker version 24.0.7, build afdd53b', mixed: 'Hello World',
  text_with_newline: 'port 80\n', json_text: '{"a": [1, 2], "b": null}', yaml_text: 'a: yes\nb: [1, 2]\n', file_path: '/etc/hostname',
};

/** Jinja expressions; each is rendered as `{{ (expr) | to_json }}`. */
const EXPRESSIONS = [
  "conf | regex_replace('\\\\.conf$', '.d')", "conf | regex_replace('(?P<base>\\\\w+)\\\\.(\\\\w+)', '\\\\2:\\\\g<base>')",
  "lines | regex_replace('^(\\\\w)=', '\\\\1 -> ', multiline=true)", "'aXbxc' | regex_replace('x', '-', ignorecase=true)",
  "'abxd' | regex_replace('x*', '-')", "text_with_newline | regex_replace('(\\\\d+)$', '<\\\\1>')",
  "stdout | regex_search('version (\\\\d+)\\\\.(\\\\d+)')", "stdout | regex_search('version (?P<major>\\\\d+)\\\\.(\\\\d+)', '\\\\g<major>', '\\\\2')",
  "stdout | regex_search('podman')", "lines | regex_search('^b=(\\\\d+)$', '\\\\1', multiline=true)",
  "lines | regex_findall('\\\\d+')", "lines | regex_findall('(\\\\w)=(\\\\d+)')", "lines | regex_findall('(\\\\w)=\\\\d')", "lines | regex_findall('^B', ignorecase=true, multiline=true)",
  "'1.2.3 (a+b)*[x]' | regex_escape", "'a.b*c[d]^$' | regex_escape('posix_basic')",
  "version is version('1.20', '>=')", "version is version('1.3', '<')", "version is version('1.20.2', '==')", "version is version('1.20.02', 'eq')",
  "kernel is version('5.4', '>')", "'1.2.3' is version('1.2.3a', 'lt')", "'2.0b1' is version('2.0', '<', strict=true)", "'2.0' is version('2.0.0', '==', version_type='strict')",
  "version is not version('2', 'ge')", "version is version_compare('1.19.10', '>')",
  "mixed | capitalize", "'ansible managed\\nby me' | comment", "'x' | comment('c')", "'x' | comment('xml')", "'line' | comment(decoration='; ')",
  "\"it's a test\" | quote", "'plain-word' | quote", "'' | quote", "'hello' | hash('sha1')", "'hello' | hash('md5')",
  "path | splitext", "'.bashrc' | splitext", "'/a.b/c' | splitext", "json_text | from_json", "yaml_text | from_yaml",
  "nested | flatten", "nested | flatten(levels=1)", "nested | flatten(skip_nulls=false)", "words | min", "words | max", "numbers | max",
  "numbers | sum", "users | map(attribute='groups') | flatten | unique", "numbers | zip(words) | list", "[1, 2] | product(['a', 'b']) | list",
  "users | subelements('groups')", "words | select('match', '[A-Z]') | list", "words | reject('search', 'amm') | list", "numbers | select('odd') | list",
  "'abc' is match('b')", "'abc' is search('b')", "'abc' is regex('^a.c$')", "'ABC' is match('a', ignorecase=true)",
  "words is string", "conf is string", "numbers is mapping", "3 is integer", "'x' is lower", "'X' is upper", "[] is falsy", "'no' is truthy",
  "file_path is file", "'/etc' is directory", "'/no/such' is exists", "'/etc' is abs", "'x' in conf", "['wheel'] is subset(users[0].groups)",
  "(numbers[0] * 60 + numbers[1]) // 7 % 5", "3 * 5 // 2", "2 * 7 % 4 * 3", "10 - 2 + 3", "numbers[0] - 10 % 3", "7 / 2", "'ab' * 3", "-7 % 3", "mixed.split()", "'  a  b c ' .split(None, 1)",
  "stdout.split(', ')[0].split(' ') | last", "kernel | split('-')", "'x-y z(a' | title", "mixed.startswith('Hell')", "conf.endswith(('.yml', '.conf'))",
  "stdout.find('version')", "stdout.find('nope')", "' + '.join(words)", "users.1.name", "users.0.groups.1", "lines | indent(2)", "'a\\n\\nb\\n' | indent",
  "users | json_query('[*].name')", "users | json_query('[?name==`al`].groups[]')", "users | json_query('missing')", "users[0] | json_query('groups[-1]')",
  "words | map('regex_replace', '^(.)', '<\\\\1>') | list", "[['a', 'b'], ['c']] | map('join', '-') | list",
];

describe('convert: Ansible filters and tests render as Ansible renders them', () => {
  const reserved = helperNames();
  const templates = EXPRESSIONS.map((e) => `{{ (${e}) | to_json }}`);
  let expected: string[] | undefined;
  before(() => {
    if (!existsSync(PYTHON)) return;
    expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE], { input: JSON.stringify({ templates, c: ctx }) }).toString());
  });

  EXPRESSIONS.forEach((expression, i) => {
    it(expression, function () {
      if (!expected) this.skip();
      const converted = convertTemplate(templates[i], reserved);
      expect(converted.ok, JSON.stringify(converted)).to.equal(true);
      expect(renderString((converted as { text: string }).text, ctx), (converted as { text: string }).text).to.equal(expected![i]);
    });
  });
});
