// Python's re on RE2 (engine/template/python-regex.ts) and the version test: what cannot be run exactly is refused
// with the reason; Ansible's error texts for bad versions; Jinja's string escapes in `runbook convert`.

import { expect } from 'chai';
import { pythonMatches, pythonSub, pythonTest } from '../../engine/template/python-regex.js';
import { versionCompare } from '../../engine/template/version-compare.js';
import { pythonUnescape } from '../../engine/convert/jinja-ast.js';
import { convertCondition, convertTemplate } from '../../engine/convert/jinja-template.js';

describe('Python regular expressions on RE2', () => {
  it('refuses what RE2 cannot run exactly, naming it', () => {
    expect(() => pythonSub('(a)\\1', 'x', 'aa')).to.throw(/the backreference \\1/);
    expect(() => pythonTest('a(?=b)', 'ab', {}, 'search')).to.throw(/lookaround/);
    expect(() => pythonTest('(?x) a', 'a', {}, 'search')).to.throw(/verbose mode/);
    expect(() => pythonTest('(?P<n>a)(?P=n)', 'aa', {}, 'search')).to.throw(/named backreference/);
  });

  it("reproduces Python's `$` before a final newline, and refuses it where it cannot", () => {
    expect(pythonSub('(\\d+)$', '<\\1>', 'port 80\n')).to.equal('port <80>\n');
    expect(() => pythonSub('x$', 'y', 'a\nx\n')).to.throw(/before the final newline/);
    expect(pythonSub('x$', 'y', 'a\nx\n', { multiline: true })).to.equal('a\ny\n');
  });

  it('translates named groups, \\Z, {,n} and octal escapes', () => {
    expect(pythonMatches('(?P<word>\\w+)\\Z', 'ab cd')[0].groups).to.deep.equal(['cd']);
    expect(pythonSub('a{,2}', '-', 'aaa')).to.equal('---');
    expect(pythonTest('\\0', 'a\u0000', {}, 'search')).to.equal(true);
  });
});

describe('the version test', () => {
  it("fails as Ansible fails: mixed parts, empty values, unknown operators and types", () => {
    expect(() => versionCompare('1.2a', '1.2.3', '>=')).to.throw("Version comparison failed: '<' not supported between instances of 'str' and 'int'");
    expect(() => versionCompare('', '1')).to.throw('Input version value cannot be empty');
    expect(() => versionCompare('1', '1', '=>')).to.throw(/Invalid operator type \(=>\)/);
    expect(() => versionCompare('1.x', '1.0', 'eq', { strict: true })).to.throw("Version comparison failed: invalid version number '1.x'");
    expect(() => versionCompare('1.0', '1.0', 'eq', { version_type: 'semver' })).to.throw(/version_type 'semver' is not one runbook compares/);
  });
});

describe("Jinja's string escapes in runbook convert", () => {
  it('keeps unknown escapes as Python does', () => {
    expect(pythonUnescape('\\d+ \\\\1 \\x41 \\u0042 \\n \\\' \\.')).to.equal('\\d+ \\1 A B \n \' \\.');
  });

  it("reads `{{ }}` strings of a YAML value as written (Ansible doubles their backslashes first), template files and conditions by Python's rules", () => {
    const jinja = "{{ x | regex_replace('(a)', '\\1') }}";
    expect(convertTemplate(jinja, [], true)).to.deep.equal({ ok: true, text: '{{regex_replace x "(a)" "\\1"}}' });
    expect(convertTemplate(jinja, [], false)).to.deep.equal({ ok: true, text: '{{regex_replace x "(a)" "\x01"}}' });
    expect(convertCondition("x is match('\\\\d')", [])).to.deep.equal({ ok: true, text: 'is x "match" "\\d"' });
  });
});
