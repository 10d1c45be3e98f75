// --slice I/N: slices are deterministic whatever the host order, cover every host exactly once, and are balanced.

import { expect } from 'chai';
import { parseSlice, sliceHosts } from '../../../engine/slice/slice-hosts.js';

describe('slice: hosts of slice I/N', () => {
  const hosts = Array.from({ length: 10 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`);

  it('covers every host once, sizes differ by at most one, the same for any input order', () => {
    const slices = [1, 2, 3, 4].map((index) => sliceHosts(hosts, { index, count: 4 }));
    expect(slices.flat()).to.deep.equal(hosts);
    expect(slices.map((s) => s.length)).to.deep.equal([2, 3, 2, 3]);
    expect(sliceHosts([...hosts].reverse(), { index: 2, count: 4 })).to.deep.equal(slices[1]);
  });

  it('more slices than hosts leaves some slices empty', () => {
    expect([1, 2, 3].map((index) => sliceHosts(['a', 'b'], { index, count: 3 }))).to.deep.equal([[], ['a'], ['b']]);
  });

  it('refuses a malformed --slice with the form to use', () => {
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseSlice(bad), bad).to.throw(/expected I\/N with 1 <= I <= N, e.g. --slice 2\/4/);
    expect(parseSlice('3/4')).to.deep.equal({ index: 3, count: 4 });
  });
});
