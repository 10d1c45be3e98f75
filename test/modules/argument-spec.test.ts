// Ansible's argument spec check in Ansible's words (the role-level comparison with ansible-playbook is
// test/conformance/cases/role-argument-specs.yml): conversions, lists and their elements, nested options, choices.

import { expect } from 'chai';
import { argumentSpecErrors, type OptionSpec } from '../../modules/lib/argument-spec.js';

const check = (spec: Record<string, OptionSpec>, values: Record<string, unknown>) => argumentSpecErrors(spec, (n) => ({ found: n in values, value: values[n] }));

describe('argument spec', () => {
  it('converts as Ansible does: "80" is an int, "no" a bool, "a,b" a list, 1 a float', () => {
    expect(check({ a: { type: 'int' }, b: { type: 'bool' }, c: { type: 'list', elements: 'str' }, d: { type: 'float' }, e: { type: 'str' } }, { a: '80', b: 'no', c: 'a,b', d: 1, e: 5 })).to.deep.equal([]);
  });

  it('lists missing required options first (sorted), then type errors, then choices', () => {
    expect(check({ z: { required: true }, a: { required: true }, n: { type: 'int' }, c: { choices: ['x', 'y'] } }, { n: 1.5, c: 'w' })).to.deep.equal([
      'missing required arguments: a, z',
      "argument 'n' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int",
      'value of c must be one of: x, y, got: w',
    ]);
  });

  it('checks list elements, choices of a list, and nested options', () => {
    expect(check({ ports: { type: 'list', elements: 'int' } }, { ports: [80, 'http'] })[0]).to.equal("argument 'ports' is of type <class 'list'> and we were unable to convert to list: <class 'str'> cannot be converted to an int");
    expect(check({ modes: { type: 'list', choices: ['a', 'b'] } }, { modes: ['a', 'c'] })).to.deep.equal(['value of modes must be one or more of: a, b. Got no match for: c']);
    expect(check({ site: { type: 'dict', options: { name: { required: true }, port: { type: 'int' } } } }, { site: { port: 'x' } })).to.deep.equal([
      'missing required arguments: name found in site.',
      "argument 'site.port' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int",
    ]);
  });

  it('a value that is null passes any type, as in Ansible', () => {
    expect(check({ a: { type: 'int', required: true } }, { a: null })).to.deep.equal([]);
  });
});
