#!/usr/bin/env node
// Entry point of the `runbook` command: the compiled CLI lives in dist/ (built by `npm install`).
import { readFileSync } from 'node:fs';

import('../dist/engine/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    // Not built yet: --help still answers from the snapshot the build checks (test/engine/cli-help-snapshot.test.ts).
    const args = process.argv.slice(2);
    if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
      process.stdout.write(readFileSync(new URL('./help.txt', import.meta.url), 'utf8'));
      process.stdout.write('\n(not built yet: run `npm install` before any command)\n');
      process.exit(args.length === 0 ? 1 : 0);
    }
    process.stderr.write('runbook: not built yet; run `npm install` (or `npm run build`) first\n');
    process.exit(2);
  }
  throw err;
});
