// Table-driven plan tests: every file in test/fixtures/modules/<module>.yml is a list of cases (args + current state
// → the changes in words, an exact diff, or an error, and what the module reports; with `after`, the state the changes lead to, planned again to
// prove there is then nothing left to do). One generated test per case; no host involved.

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadCorePack } from '../../modules/index.js';
import { validateModuleArgs } from '../../engine/load/validate-args.js';
import type { ModuleDefinition } from '../../engine/types.js';
import { moduleContext } from '../helpers/local-host.js';
import { fixturesDir } from '../helpers/paths.js';

interface Case {
  name: string;
  args: Record<string, unknown>;
  current: unknown;
  changes?: string[];
  diff?: { path: string; before: string; after: string };
  error?: string;
  inspectError?: string;
  /** The schema refuses the args (the rule is checked at load, with file:line:col): a message must contain this. */
  argsError?: string;
  uncertain?: boolean;
  /** The state once the changes are made: planning again on it must find nothing to do (idempotence). */
  after?: unknown;
  /** The task's variables, for modules that read them (debug var). */
  vars?: Record<string, unknown>;
  /** What the module reports (ModuleReport: msg, data, result, variables), for modules that report. */
  report?: unknown;
  /** Read-only modules: values registered (report().result) from the current state (each key compared), and the registered files' paths. */
  registered?: Record<string, unknown>;
  registeredFiles?: string[];
}

const dir = path.join(fixturesDir, 'modules');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();

describe('module plans (table-driven from test/fixtures/modules)', () => {
  let modules: Map<string, ModuleDefinition>;
  before(async () => {
    modules = new Map((await loadCorePack()).modules.map((m) => [m.name, m]));
  });

  for (const file of files) {
    const moduleName = file.replace(/\.yml$/, '');
    const cases = parse(readFileSync(path.join(dir, file), 'utf8')) as Case[];
    describe(moduleName, () => {
      for (const c of cases) {
        it(c.name, () => {
          const mod = modules.get(moduleName);
          expect(mod, `module ${moduleName}`).to.exist;
          const args = { ...c.args };
          if (c.argsError) {
            expect(validateModuleArgs(mod!, args, { task: c.name }).map((p) => p.message).join('\n')).to.contain(c.argsError);
            return;
          }
          expect(validateModuleArgs(mod!, args, { task: c.name }).map((p) => p.message)).to.deep.equal([]);
          if (c.inspectError) {
            // Argument forms the schema cannot express are rejected by inspect before any host is touched.
            return mod!.inspect({ name: 'x', facts: {} as never, vars: {}, run: async () => { throw new Error('no host'); }, readFile: async () => null, writeFile: async () => {}, stat: async () => null }, args, moduleContext())
              .then(() => expect.fail('inspect accepted it'), (e: Error) => expect(e.message).to.contain(c.inspectError));
          }
          if (c.error) {
            expect(() => mod!.plan(c.current, args, moduleContext())).to.throw(c.error);
            return;
          }
          const context = moduleContext({ vars: c.vars ?? {} });
          const changes = mod!.plan(c.current, args, context);
          if (c.report !== undefined) expect(mod!.report?.(c.current, args, context)).to.deep.equal(c.report);
          expect(changes.map((ch) => ch.msg)).to.deep.equal(c.changes);
          if (c.diff) expect(changes.find((ch) => ch.diff)?.diff).to.deep.equal(c.diff);
          if (c.uncertain !== undefined) expect(changes.every((ch) => ch.uncertain === true)).to.equal(c.uncertain);
          const registered = mod!.report?.(c.current, args, context).result ?? {};
          for (const [key, value] of Object.entries(c.registered ?? {})) expect(registered[key], `registered ${key}`).to.deep.equal(value);
          if (c.registeredFiles) expect((registered.files as Array<{ path: string }>).map((f) => f.path)).to.deep.equal(c.registeredFiles);
          if (c.after !== undefined) expect(mod!.plan(c.after, args, moduleContext()).map((ch) => ch.msg), 'second plan on the after-state').to.deep.equal([]);
        });
      }
    });
  }
});
