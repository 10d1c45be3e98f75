// The helpers `runbook convert` writes for Jinja's filters and tests (engine/template/jinja-filters.ts): each gives
// what Ansible's filter gives, through runbook's real renderer.

import { expect } from 'chai';
import { renderString, renderValue } from '../../engine/template/render.js';

const value = (expr: string, ctx: Record<string, unknown> = {}) => renderValue(`{{${expr}}}`, ctx);

describe('Jinja filter helpers', () => {
  it('int, bool and string read values as Ansible does', () => {
    expect(value('int "42"')).to.equal(42);
    expect(value('int "4.7"')).to.equal(4);
    expect(value('int "x" 7')).to.equal(7);
    expect(value('bool "yes"')).to.equal(true);
    expect(value('bool "off"')).to.equal(false);
    expect(value('bool 1')).to.equal(true);
    expect(value('string n', { n: 5 })).to.equal('5');
  });

  it('to_json spaces like Python, to_nice_json sorts and indents by 4, to_nice_yaml is block style', () => {
    const m = { b: [1, 2], a: { c: 'x' } };
    expect(value('to_json m', { m })).to.equal('{"b": [1, 2], "a": {"c": "x"}}');
    expect(value('to_nice_json m', { m })).to.equal('{\n    "a": {\n        "c": "x"\n    },\n    "b": [\n        1,\n        2\n    ]\n}');
    expect(value('to_nice_yaml m', { m })).to.equal('a:\n    c: x\nb:\n  - 1\n  - 2\n');
  });

  it('dirname and basename', () => {
    expect(value('dirname "/etc/app/app.conf"')).to.equal('/etc/app');
    expect(value('basename "/etc/app/app.conf"')).to.equal('app.conf');
  });

  it('combine, shallow and recursive; union, difference, intersect keep the first order', () => {
    const ctx = { a: { x: 1, n: { p: 1 } }, b: { y: 2, n: { q: 2 } } };
    expect(value('combine a b', ctx)).to.deep.equal({ x: 1, n: { q: 2 }, y: 2 });
    expect(value('combine a b recursive=true', ctx)).to.deep.equal({ x: 1, n: { p: 1, q: 2 }, y: 2 });
    expect(value('union (list 1 2 2) (list 3 1)')).to.deep.equal([1, 2, 3]);
    expect(value('difference (list 1 2 3 2) (list 2)')).to.deep.equal([1, 3]);
    expect(value('intersect (list 1 2 3) (list 3 1)')).to.deep.equal([1, 3]);
    expect(() => value('combine a 5', ctx)).to.throw(/combine: expected mappings, got number/);
  });

  it('map(attribute=), selectattr, rejectattr and sort over a list of mappings', () => {
    const users = [{ name: 'bob', admin: false, uid: 3 }, { name: 'Al', admin: true, uid: 10 }, { name: 'cy', admin: true, uid: 2 }];
    expect(value('map users attribute="name"', { users })).to.deep.equal(['bob', 'Al', 'cy']);
    expect(value('map (list "a" "b") "upper"')).to.deep.equal(['A', 'B']);
    expect(value('map (selectattr users "admin") attribute="name"', { users })).to.deep.equal(['Al', 'cy']);
    expect(value('map (rejectattr users "admin") attribute="name"', { users })).to.deep.equal(['bob']);
    expect(value('map (selectattr users "uid" ">" 2) attribute="name"', { users })).to.deep.equal(['bob', 'Al']);
    expect(value('map (sort users attribute="name") attribute="name"', { users })).to.deep.equal(['Al', 'bob', 'cy']);
    expect(value('map (sort users attribute="uid" reverse=true) attribute="uid"', { users })).to.deep.equal([10, 3, 2]);
    expect(() => value('selectattr users "uid" "odd"', { users })).to.throw(/selectattr: unknown test 'odd'/);
  });

  it('#for loops over lists, mapping keys and pairs, with the loop variables and the template\'s variables in reach', () => {
    const ctx = { xs: ['a', 'b'], m: { k1: 'v1', k2: 'v2' }, sep: '-', empty: [] };
    expect(renderString('{{#for xs as |x|}}{{@position}}/{{@count}}{{x}}{{sep}}{{#if @last}}!{{/if}}{{/for}}', ctx)).to.equal('1/2a-2/2b-!');
    expect(renderString('{{#for m as |k|}}{{k}} {{/for}}', ctx)).to.equal('k1 k2 ');
    expect(renderString('{{#for (pairs m) as |k v|}}{{k}}={{v}};{{/for}}', ctx)).to.equal('k1=v1;k2=v2;');
    expect(renderString('{{#for empty as |x|}}{{x}}{{else}}none{{/for}}', ctx)).to.equal('none');
    expect(() => renderString('{{#for xs as |x|}}{{typo}}{{/for}}', ctx)).to.throw(/undefined variable 'typo'/);
  });

  it('list, dict, keys, values, unique, last, trim', () => {
    expect(value('dict a=1 b="x"')).to.deep.equal({ a: 1, b: 'x' });
    expect(value('length (list)')).to.equal(0);
    expect(value('keys m', { m: { a: 1, b: 2 } })).to.deep.equal(['a', 'b']);
    expect(value('values m', { m: { a: 1, b: 2 } })).to.deep.equal([1, 2]);
    expect(value('unique (list 1 2 1)')).to.deep.equal([1, 2]);
    expect(value('last (list 1 2 3)')).to.equal(3);
    expect(value('trim "  x "')).to.equal('x');
  });

  it('a helper name used alone as a variable fails loudly, naming the way to write the variable', () => {
    expect(() => renderString('{{values}}', { values: [1] })).to.throw(/'values' is a helper \(Jinja's values filter\) and takes a value; a variable named values is written this.values/);
    expect(renderString('{{this.values}} {{join values "+"}}', { values: [1, 2] })).to.equal('1,2 1+2');
  });

  it("add is Python's +: numbers add, texts and lists join, a text and a number is an error; ternary reads Python's truthiness", () => {
    expect(value('add 1 2')).to.equal(3);
    expect(value('add a b', { a: [1], b: [2, 3] })).to.deep.equal([1, 2, 3]);
    expect(value('add "php" v', { v: '8.2' })).to.equal('php8.2');
    expect(() => value('add "v" 2')).to.throw(/add: cannot add str and int/);
    expect(value('ternary x "y" "n"', { x: 'no' })).to.equal('y');
    expect(value('ternary x "y" "n" "none"', { x: null })).to.equal('none');
    expect(value('ternary x "y" "n"', { x: [] })).to.equal('n');
  });
});
