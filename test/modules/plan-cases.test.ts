// Table-driven plan tests: every module has test/fixtures/modules/<module>.yml, a list of cases (args + current state
// → the changes in words, an exact diff, or an error, and what the module reports). Every case that changes something
// gives `after`, the state the changes lead to, planned again to prove nothing is then left to do; `apply` gives the
// commands and file writes its apply makes, recorded through a FakeHost (test/helpers/fake-host.ts). One generated
// test per case; no host touched.

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadCorePack } from '../../modules/index.js';
import { validateModuleArgs } from '../../engine/load/validate-args.js';
import type { ModuleDefinition } from '../../engine/types.js';
import { moduleContext } from '../helpers/local-host.js';
import { FakeHost, type FakeHostOptions, type RecordedWrite } from '../helpers/fake-host.js';
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
  /** Changes that act on every run by design (restarted, reloaded): the second plan on `current` is exactly these. */
  repeats?: string[];
  /** What apply does through a FakeHost: every command (argv) and every file write, in order. */
  apply?: { commands: string[][]; writes?: RecordedWrite[] };
  /** The FakeHost apply runs on: facts, vars, files, canned command results. */
  host?: FakeHostOptions;
  /** Fleet context for modules that look across hosts. */
  context?: { hostvars?: Record<string, Record<string, unknown>>; groups?: Record<string, string[]> };
}

/**
 * Modules whose apply is a conversation with a server (heketi's REST API from the controller; uri's request, made
 * from the host, is run end to end in test/modules/uri.test.ts and test/conformance/cases/uri.yml).
 */
const APPLY_NOT_ON_HOST = new Set(['heketi_topology', 'heketi_storage', 'uri']);

const dir = path.join(fixturesDir, 'modules');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();

describe('module plans (table-driven from test/fixtures/modules)', () => {
  let modules: Map<string, ModuleDefinition>;
  before(async () => {
    modules = new Map((await loadCorePack()).modules.map((m) => [m.name, m]));
  });

  it('every core module has fixtures; one that changes things has a case planned twice and (but for heketi_topology) a recorded apply', async () => {
    const all: Case[] = [];
    for (const m of (await loadCorePack()).modules) {
      expect(files, `test/fixtures/modules/${m.name}.yml`).to.include(`${m.name}.yml`);
      const cases = parse(readFileSync(path.join(dir, `${m.name}.yml`), 'utf8')) as Case[];
      all.push(...cases);
      if (!cases.some((c) => (c.changes?.length ?? 0) > 0)) continue; // a module that only reports or asserts changes nothing
      expect(cases.some((c) => c.after !== undefined), `${m.name}: a case with after`).to.equal(true);
      if (!APPLY_NOT_ON_HOST.has(m.name)) expect(cases.some((c) => c.apply !== undefined), `${m.name}: a case with apply`).to.equal(true);
    }
    expect(all.length).to.be.greaterThan(60);
  });

  for (const file of files) {
    const moduleName = file.replace(/\.yml$/, '');
    const cases = parse(readFileSync(path.join(dir, file), 'utf8')) as Case[];
    describe(moduleName, () => {
      for (const c of cases) {
        it(c.name, async () => {
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
          const ctx = moduleContext({ hostvars: c.context?.hostvars ?? {}, groups: c.context?.groups ?? {}, vars: c.vars ?? {} });
          if (c.error) {
            expect(() => mod!.plan(c.current, args, ctx)).to.throw(c.error);
            return;
          }
          const changes = mod!.plan(c.current, args, ctx);
          if (c.report !== undefined) expect(mod!.report?.(c.current, args, ctx)).to.deep.equal(c.report);
          expect(changes.map((ch) => ch.msg)).to.deep.equal(c.changes);
          if (c.diff) expect(changes.find((ch) => ch.diff)?.diff).to.deep.equal(c.diff);
          if (c.uncertain !== undefined) expect(changes.every((ch) => ch.uncertain === true)).to.equal(c.uncertain);
          const registered = mod!.report?.(c.current, args, ctx).result ?? {};
          for (const [key, value] of Object.entries(c.registered ?? {})) expect(registered[key], `registered ${key}`).to.deep.equal(value);
          if (c.registeredFiles) expect((registered.files as Array<{ path: string }>).map((f) => f.path)).to.deep.equal(c.registeredFiles);
          // Idempotence: once the changes are made, there is nothing left to do. Only a plan of changes that cannot be
          // known in advance (a command without creates/removes) has no after-state.
          if (c.repeats) expect(mod!.plan(c.current, args, ctx).filter((ch) => !ch.uncertain).map((ch) => ch.msg), 'changes that repeat by design').to.deep.equal(c.repeats);
          else if (changes.length > 0 && !changes.every((ch) => ch.uncertain)) expect(c.after, 'a case that changes something gives after').to.not.equal(undefined);
          if (c.after !== undefined) expect(mod!.plan(c.after, args, ctx).map((ch) => ch.msg), 'second plan on the after-state').to.deep.equal([]);
          if (c.apply) {
            const host = new FakeHost(c.host);
            await mod!.apply(host, args, changes, c.current, ctx);
            expect(host.commands, 'commands apply ran').to.deep.equal(c.apply.commands);
            expect(host.writes, 'files apply wrote').to.deep.equal(c.apply.writes ?? []);
          }
        });
      }
    });
  }
});
