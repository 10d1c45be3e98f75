// The module contract, one test per module of the core pack: schema compiles and is closed, every property described,
// examples valid, combination rules said in the docs, secret arguments marked writeOnly and strings, rendered files
// declared, a value that would reach a program as an option refused, and plan fixtures in test/fixtures/modules.

import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadCorePack } from '../../modules/index.js';
import { compileSchema, validateModuleArgs } from '../../engine/load/validate-args.js';
import { describeRules } from '../../engine/load/schema-conditions.js';
import { describeModuleText, moduleReferenceMarkdown } from '../../engine/cli/module-docs.js';
import type { ModuleDefinition } from '../../engine/types.js';
import { fixturesDir } from '../helpers/paths.js';

type Property = { type?: unknown; description?: string; writeOnly?: boolean; pattern?: string; title?: string };

const pack = await loadCorePack();

/**
 * Kinds of values that become text in a file or a shell line, never an operand of a program, or that are options by
 * design (unarchive's extra_opts, refused when they run a program): "-" may lead them.
 */
const NOT_OPERANDS = new Set(['single line', 'command line', 'fstab field', 'module parameters', 'passwd field', 'archive option that runs no program']);

/** Every named kind (title or patternHint) in a schema, list items and anyOf forms included. */
function patterns(p: Record<string, any>, name: string, out: Array<{ name: string; pattern: string }> = []): Array<{ name: string; pattern: string }> {
  if (!p || typeof p !== 'object') return out;
  if (typeof p.pattern === 'string' && (p.title || p.patternHint) && !NOT_OPERANDS.has(p.title)) out.push({ name, pattern: p.pattern });
  for (const form of [...(p.anyOf ?? []), ...(p.oneOf ?? []), p.items].filter(Boolean)) patterns(form, name, out);
  return out;
}

describe('module contract (one test per core module)', () => {
  it('the core pack has the modules the docs promise', () => {
    expect(pack.modules.map((m) => m.name)).to.include.members(['command', 'shell', 'copy', 'template', 'file', 'lineinfile', 'package', 'package_repository', 'sysctl', 'modprobe', 'fstab', 'firewalld', 'service', 'hostname', 'etc_hosts']);
    expect(moduleReferenceMarkdown(pack.modules)).to.contain('## sysctl');
  });

  for (const m of pack.modules as ModuleDefinition[]) {
    it(m.name, () => {
      const schema = m.schema as { type?: string; additionalProperties?: boolean | { description?: string }; propertyNames?: unknown; properties?: Record<string, Property>; allOf?: unknown[]; anyOf?: unknown[]; oneOf?: unknown[] };
      expect(schema.type).to.equal('object');
      // Closed, unless the args are names the user chooses (set_fact's variables): then names are patterned and described.
      if (schema.propertyNames !== undefined && typeof schema.additionalProperties === 'object') expect(schema.additionalProperties.description, 'open args described').to.be.a('string');
      else expect(schema.additionalProperties, 'unknown args must be rejected').to.equal(false);
      for (const [k, p] of Object.entries(schema.properties ?? {})) expect(p.description, `${k} has no description`).to.be.a('string').and.not.empty;
      const validate = compileSchema(m.schema);
      expect(m.examples.length, 'no example').to.be.greaterThan(0);
      for (const ex of m.examples) expect(validate({ ...ex.args }), `example '${ex.name}': ${JSON.stringify(validate.errors)}`).to.equal(true);
      const text = describeModuleText(m);
      for (const k of Object.keys(schema.properties ?? {})) expect(text, `doc lacks ${k}`).to.contain(`  ${k} (`);
      expect(m.doc.length).to.be.greaterThan(20);
      // Rules between arguments live in the schema and are said in the docs, one sentence per rule.
      const ruleCount = (schema.allOf?.length ?? 0) + (schema.anyOf || schema.oneOf ? 1 : 0);
      expect(describeRules(m.schema).length, 'every rule said in words').to.equal(ruleCount);
      // Secret arguments are strings marked writeOnly (the engine masks them and the vars they come from).
      for (const [k, p] of Object.entries(schema.properties ?? {})) if (p.writeOnly) expect(JSON.stringify(p), `${k} is writeOnly`).to.match(/"type":"string"|"pattern"/);
      // Files the module renders are declared (pre-flight checks their variables), as strings.
      if (m.renders) for (const ex of m.examples) for (const f of m.renders({ ...ex.args })) expect(f).to.be.a('string');
      // No value of a kind (package, unit, path...) may start with "-": a program would read it as an option.
      for (const [k, p] of Object.entries(schema.properties ?? {})) {
        for (const { pattern } of patterns(p, k)) expect(new RegExp(pattern).test('-oOption=1'), `${k}: ${pattern} accepts a leading -`).to.equal(false);
      }
      expect(existsSync(path.join(fixturesDir, 'modules', `${m.name}.yml`)), `test/fixtures/modules/${m.name}.yml`).to.equal(true);
    });
  }

  it('a templated value is not refused at load, and its rendered value is checked', () => {
    const pkg = pack.modules.find((m) => m.name === 'package')!;
    expect(validateModuleArgs(pkg, { name: '{{pkg}}' }, { task: 't' }, true)).to.deep.equal([]);
    expect(validateModuleArgs(pkg, { name: '-oDir::Cache=/tmp/x' }, { task: 't' }).map((p) => p.message).join()).to.contain("'name' is not a valid package name");
  });
});
