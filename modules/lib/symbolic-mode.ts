// Symbolic file modes as chmod and Ansible take them (`u=rw,go=r`, `go-w`, `+x`, `a+X`, `u+s`), applied to a file's
// current mode as Ansible's _symbolic_mode_to_octal does (an empty "who" is "a" less the umask, taken as 022).

/** One clause: who ([ugoa]*), then one or more operator + permissions ([-+=][rwxXst]* or [-+=][ugo]). */
const CLAUSE = /^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+$/;

/** True when `text` is a symbolic mode (every comma-separated clause valid). */
export function isSymbolicMode(text: string): boolean {
  return text.length > 0 && text.split(',').every((clause) => CLAUSE.test(clause));
}

/** The pattern schemas use for `mode`: octal (3-4 digits, optional leading 0) or symbolic. */
export const MODE_PATTERN = '^(0?[0-7]{3,4}|[ugoa]*([-+=]([rwxXst]*|[ugo]))+(,[ugoa]*([-+=]([rwxXst]*|[ugo]))+)*)$';

const UMASK = 0o022;
const SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 };
const SPECIAL: Record<string, number> = { u: 0o4000, g: 0o2000, o: 0o1000 };

/** The bits `perms` stand for, for one of u/g/o, given the mode before (for X and for copying u/g/o). */
function bitsFor(who: string, perms: string, before: number, directory: boolean, useUmask: boolean): number {
  if (/^[ugo]$/.test(perms)) return ((before >> SHIFT[perms]) & 7) << SHIFT[who];
  let bits = 0;
  for (const p of perms) {
    if (p === 'r') bits |= 4 << SHIFT[who];
    else if (p === 'w') bits |= 2 << SHIFT[who];
    else if (p === 'x' || (p === 'X' && (directory || (before & 0o111) !== 0))) bits |= 1 << SHIFT[who];
    else if (p === 's' && who !== 'o') bits |= SPECIAL[who];
    else if (p === 't' && who === 'o') bits |= SPECIAL.o;
  }
  return useUmask ? bits & ~UMASK : bits;
}

function applyOperator(who: string, operator: string, bits: number, mode: number): number {
  if (operator === '+') return mode | bits;
  if (operator === '-') return mode & ~bits;
  const mask = (7 << SHIFT[who]) | SPECIAL[who];
  return (mode & ~mask) | bits;
}

/** Apply a symbolic mode to `current` (the file's mode now; for a file still to be created, its default). */
export function applySymbolicMode(symbolic: string, current: number, directory: boolean): number {
  // As Ansible: X and u/g/o copies look at the mode the file had before, not at earlier clauses' result.
  const before = current & 0o7777;
  let mode = before;
  for (const clause of symbolic.split(',')) {
    const whoText = /^[ugoa]*/.exec(clause)![0];
    const useUmask = whoText === '';
    const who = whoText === '' || whoText.includes('a') ? 'ugo' : whoText;
    const operations = clause.slice(whoText.length).match(/[-+=][^-+=]*/g) ?? [];
    for (const operation of operations) {
      for (const w of who) mode = applyOperator(w, operation[0], bitsFor(w, operation.slice(1), before, directory, useUmask), mode);
    }
  }
  return mode;
}
