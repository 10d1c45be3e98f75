// Jinja2 → Handlebars (engine/convert): each template of the table renders, through runbook's renderer, exactly what
// Jinja2 with Ansible's filters and Ansible's whitespace rules renders (the oracle is Python's jinja2 and Ansible's
// own filter plugins, run here); conditions convert to the spellings docs/dsl.md documents; and what does not
// convert names the construct and its line.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { convertCondition, convertTemplate } from '../../../engine/convert/jinja-template.js';
import { helperNames, renderString } from '../../../engine/template/render.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = `
import sys, json, jinja2
from ansible.plugins.filter.core import FilterModule as Core
from ansible.plugins.filter.mathstuff import FilterModule as Math
from ansible.plugins.test.core import TestModule as Tests
d = json.load(sys.stdin)
e = jinja2.Environment(trim_blocks=True, undefined=jinja2.StrictUndefined)
e.filters.update(Core().filters()); e.filters.update(Math().filters()); e.tests.update(Tests().tests())
n = lambda x: len(x) - len(x.rstrip("\\n"))
out = []
for t in d["templates"]:
    r = e.from_string(t).render(**d["c"])
    out.append(r + "\\n" * max(0, n(t) - n(r)))   # Ansible's template module keeps the template's final newlines
sys.stdout.write(json.dumps(out))
`;

const reserved = helperNames();
const ctx = {
  servers: ['a.pool', 'b.pool'], opts: { makestep: '1.0 3', rtcsync: '' }, name: 'web', port: 8080, empty: [],
  users: [{ name: 'bob', admin: false, mail: 'b@x' }, { name: 'al', admin: true, mail: 'a@x' }], path: '/etc/app/app.conf',
  extra: { a: 1 }, words: ['x', 'y'], flag: 'yes', count: '12',
};

const TEMPLATES = [
  'list:\n{% for s in servers %}\nserver {{ s }} iburst\n{% endfor %}\ndone\n',
  '{% if port > 1024 %}\nhigh\n{% elif port == 1 %}\none\n{% else %}\nlow\n{% endif %}\n',
  '  {% if name is defined %}\nindented tag\n  {% endif %}\nend\n',
  '{# a comment #}\nA={{ name | upper }}\n{% set p = port | string %}\nP={{ p }}\n{% for k, v in opts.items() %}{{ k }}{% if v %} {{ v }}{% endif %};{% endfor %}\n',
  '{{ users | selectattr("admin") | map(attribute="name") | join(", ") }}\n{{ servers | length }} {{ (empty | default([1])) | length }}\n',
  '{% for u in users | sort(attribute="name") %}{{ loop.index }}:{{ u.name }}{% if not loop.last %},{% endif %}{% endfor %}\n\n{% for x in empty %}\nx\n{% else %}\nnone\n{% endfor %}\n',
  '{{ "on" if port else "off" }} {{ missing | default("dflt") }} {{ servers | union(["c"]) | join(" ") }} {{ servers | difference(["a.pool"]) | first }}\n',
  '{{ path | dirname }} {{ path | basename }} {{ extra | combine({"b": 2}) | to_json }} {{ count | int > 10 }}\n{{ extra | to_nice_json }}\n',
  '{%- if flag | bool -%}\n   yes  \n{%- endif %}\n{{ name ~ "-" ~ port }} {{ "a" in words or "x" in words }} {{ name | lower == "web" and not (port < 10) }}\n',
  'x{% if name %}\n{% endif %}\n\n{% for w in words %}{{ w }}\n{% endfor %}end',
  '{{ words | first == "x" }} {% for w in words %}{{ loop.first }}{{ w is defined }}{% endfor %}\n',
  '{% for u in users %}\n  - {{ u.name }}{% if u.admin %} (admin){% endif %}\n\n{% endfor %}\n',
  "{{ '0.' + name + '.pool' }} {{ port + 1 }} {{ (words + servers) | join(',') }} {{ (port > 1) | ternary('big', 'small') }} {{ empty | ternary('y', 'n') }} {{ flag | ternary(1, 2) }}\n",
];

describe('convert: Jinja templates → Handlebars', () => {
  let expected: string[] | undefined;
  before(() => {
    // Ansible's Python (Debian's ansible package) is the oracle; one run renders every template.
    if (!existsSync(PYTHON)) return;
    try {
      expected = JSON.parse(execFileSync(PYTHON, ['-c', ORACLE], { input: JSON.stringify({ templates: TEMPLATES, c: ctx }) }).toString());
    } catch { expected = undefined; }
  });

  TEMPLATES.forEach((template, i) => {
    it(`template ${i + 1} renders as Jinja2 renders it`, function () {
      if (!expected) this.skip();
      const converted = convertTemplate(template, reserved);
      expect(converted.ok, JSON.stringify(converted)).to.equal(true);
      expect(renderString((converted as { text: string }).text, ctx)).to.equal(expected![i]);
    });
  });

  it('keeps the layout of block tags on their own lines', () => {
    const converted = convertTemplate('{% for s in servers %}\nserver {{ s }}\n{% endfor %}\n', reserved);
    expect(converted).to.deep.equal({ ok: true, text: '{{#for servers as |s|}}\nserver {{s}}\n{{/for}}\n' });
  });

  it('escapes text Handlebars would read', () => {
    const converted = convertTemplate('{% raw %}{{ not a template }}{% endraw %} {{ name }}', reserved);
    expect(converted.ok && renderString(converted.text, ctx)).to.equal('{{ not a template }} web');
  });

  it('conditions become the Handlebars expressions of docs/dsl.md', () => {
    const cases: Record<string, string> = {
      "ansible_os_family == 'Debian'": 'eq facts.os_family "Debian"',
      "ansible_distribution == 'Ubuntu' and ansible_facts['distribution_major_version'] == '12'": 'and (eq facts.distribution "Ubuntu") (eq facts.distribution_major_version "12")',
      'ansible_system == "Linux"': 'eq facts.system "Linux"',
      "ansible_default_ipv4.address == ansible_facts['default_ipv4']['address'] and ansible_lsb.codename == 'jammy'": 'and (eq facts.default_ipv4_route.address facts.default_ipv4_route.address) (eq facts.lsb.codename "jammy")',
      "ansible_env.HOME == ansible_user_dir": 'eq facts.env.HOME facts.user_dir',
      'x is defined and x | length > 0': 'and (defined x) (gt (length x) 0)',
      'result is changed or not (y is not defined)': 'or result.changed (not (not (defined y)))',
      "'web' in group_names": 'in "web" group_names',
      'ansible_facts["hostname"] != inventory_hostname': 'ne facts.hostname inventory_hostname',
      'enabled | default(true) | bool': 'bool (default enabled true)',
      'hostvars[item].port >= 1 < 9': 'and (ge (lookup (lookup hostvars item) "port") 1) (lt 1 9)',
      'length': 'this.length',
    };
    for (const [jinja, handlebars] of Object.entries(cases)) {
      const converted = convertCondition(jinja, reserved);
      expect(converted, jinja).to.deep.equal({ ok: true, text: handlebars });
    }
  });

  it('names what it cannot convert, at its line', () => {
    const problems = (text: string) => { const r = convertTemplate(text, reserved); return r.ok ? [] : r.problems; };
    expect(problems('a\n{{ x | ipaddr("address") }}')).to.deep.equal([{ line: 2, column: 8, message: "the filter 'ipaddr'" }]);
    expect(problems('{% macro m() %}x{% endmacro %}')[0].message).to.equal('the tag {% macro %}');
    expect(problems('{{ a ** 2 }}')[0].message).to.equal('arithmetic (**)');
    expect(problems('{{ ansible_mounts }}')[0].message).to.match(/the Ansible fact 'ansible_mounts'/);
    expect(problems('{% if x %}{% set y = 1 %}{% endif %}')[0].message).to.match(/set %} inside \{% if %}/);
    expect(problems('{{ x | }}')[0].message).to.match(/^Jinja syntax runbook convert does not read/);
  });
});
