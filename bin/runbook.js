#!/usr/bin/env node
// Entry point of the `runbook` command: the compiled CLI lives in dist/ (built by `npm install`).
import('../dist/engine/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('runbook: not built yet; run `npm install` (or `npm run build`) first\n');
    process.exit(2);
  }
  throw err;
});
