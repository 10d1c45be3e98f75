// Symbolic modes as chmod and Ansible read them, applied to a current mode (file or directory).

import { expect } from 'chai';
import { applySymbolicMode, isSymbolicMode } from '../../modules/lib/symbolic-mode.js';
import { parseMode } from '../../modules/lib/file-state.js';

describe('symbolic modes', () => {
  const cases: Array<[string, number, boolean, number]> = [
    ['u=rw,go=r', 0o777, false, 0o644],
    ['go-w', 0o666, false, 0o644],
    ['+x', 0o644, false, 0o755],
    ['a+X', 0o644, false, 0o644],
    ['a+X', 0o600, true, 0o711],
    ['u+x,g=u', 0o640, false, 0o760],
    ['o=', 0o777, false, 0o770],
    ['u=rwx,g=rx,o=', 0o755, true, 0o750],
    ['u+s,o+t', 0o755, true, 0o5755],
    ['g-s', 0o2755, true, 0o755],
    ['=r', 0o777, false, 0o444],
  ];
  for (const [symbolic, current, directory, expected] of cases) {
    it(`${symbolic} on ${current.toString(8)}${directory ? ' (directory)' : ''} is ${expected.toString(8)}`, () => {
      expect(applySymbolicMode(symbolic, current, directory).toString(8)).to.equal(expected.toString(8));
    });
  }

  it('tells symbolic modes from octal ones and from nonsense; a new file starts from 0644, a directory from 0755', () => {
    expect(['u=rw', 'go-w', '+x', 'a=rwX,o-w'].every(isSymbolicMode)).to.equal(true);
    expect(['0644', 'u=rwz', 'rw', '', 'u=rw,,'].some(isSymbolicMode)).to.equal(false);
    expect(parseMode('go-w', { exists: false })).to.equal(0o644);
    expect(parseMode('g+w', { exists: false }, 'directory')).to.equal(0o775);
    expect(parseMode('g+w', { exists: true, mode: 0o600, type: 'file' })).to.equal(0o620);
    expect(() => parseMode('u=rwz')).to.throw('invalid mode "u=rwz"');
  });
});
