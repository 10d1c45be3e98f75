// Template variable roots found by the pre-flight check.

import { expect } from 'chai';
import { templateRoots } from '../../engine/load/preflight.js';

describe('preflight templateRoots', () => {
  const roots = (t: string, cond = false) => templateRoots(t, cond).map((r) => r.path);
  it('finds variables, not helpers, data vars, or #each bodies', () => {
    expect(roots('{{a}} {{b.c}} {{join list ","}} {{@index}} {{#each items}}{{name}}{{/each}}')).to.deep.equal(['a', 'b.c', 'list', 'items']);
  });
  it('skips the first argument of default', () => {
    expect(roots('{{default maybe "x"}} {{default other fallback}}')).to.deep.equal(['fallback']);
  });
  it('reads conditions written without braces', () => {
    expect(roots('eq facts.os_family "Debian"', true)).to.deep.equal(['facts.os_family']);
    expect(roots('result.changed', true)).to.deep.equal(['result.changed']);
    expect(roots('and (eq x 1) (not y)', true)).to.deep.equal(['x', 'y']);
  });
});
