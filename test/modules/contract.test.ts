// The module contract, checked for every module of the core pack: schema compiles, closed, every property
// described, examples valid, docs generated and mentioning every argument.

import { expect } from 'chai';
import { loadCorePack } from '../../modules/index.js';
import { compileSchema } from '../../engine/load/validate-args.js';
import { describeModuleText, moduleReferenceMarkdown } from '../../engine/cli/module-docs.js';

describe('module contract (every core module)', () => {
  it('holds for each module', async () => {
    const pack = await loadCorePack();
    expect(pack.modules.map((m) => m.name)).to.include.members(['command', 'shell', 'copy', 'template', 'file', 'lineinfile', 'package', 'package_repository', 'sysctl', 'modprobe', 'fstab', 'firewalld', 'service', 'hostname', 'etc_hosts']);
    for (const m of pack.modules) {
      const schema = m.schema as { type?: string; additionalProperties?: boolean | { description?: string }; propertyNames?: unknown; properties?: Record<string, { description?: string }> };
      expect(schema.type, m.name).to.equal('object');
      // Closed, unless the args are names the user chooses (set_fact's variables): then names are patterned and described.
      if (schema.propertyNames !== undefined && typeof schema.additionalProperties === 'object') expect(schema.additionalProperties.description, `${m.name}: open args described`).to.be.a('string');
      else expect(schema.additionalProperties, `${m.name}: unknown args must be rejected`).to.equal(false);
      for (const [k, p] of Object.entries(schema.properties ?? {})) expect(p.description, `${m.name}.${k} has no description`).to.be.a('string').and.not.empty;
      const validate = compileSchema(m.schema);
      expect(m.examples.length, `${m.name} has no example`).to.be.greaterThan(0);
      for (const ex of m.examples) expect(validate({ ...ex.args }), `${m.name} example '${ex.name}': ${JSON.stringify(validate.errors)}`).to.equal(true);
      const text = describeModuleText(m);
      for (const k of Object.keys(schema.properties ?? {})) expect(text, `${m.name} doc lacks ${k}`).to.contain(`  ${k} (`);
      expect(m.doc.length, `${m.name} doc`).to.be.greaterThan(20);
    }
    expect(moduleReferenceMarkdown(pack.modules)).to.contain('## sysctl');
  });
});
