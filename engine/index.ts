// runbook's public API for pack authors: `import { defineModule, ModuleError } from 'runbook'` and the types of the
// module contract. Test helpers for packs are in 'runbook/testing'.

export * from './types.js';
export { ModuleError, RunbookError } from './errors.js';
