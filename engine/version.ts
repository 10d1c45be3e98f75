// runbook's version: one constant, shared by --version and the CLI (test/engine/package.test.ts checks it against
// package.json through the installed tarball).

export const VERSION = '0.1.0';
