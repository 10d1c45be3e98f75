// Build-time validators (scripts/precompile-schemas.mjs) exist for every core schema and judge like run-time ones.

import { expect } from 'chai';
import { Ajv } from 'ajv';
import { loadCorePack } from '../../modules/index.js';
import { PLAY_SCHEMA } from '../../engine/load/playbook-schema.js';
import { precompiledValidator } from '../../engine/load/schema-cache.js';
import { AJV_OPTIONS } from '../../engine/load/validate-args.js';

describe('precompiled schemas', () => {
  it('cover the playbook schema and every core module, with the same verdicts and errors as a run-time compile', async () => {
    const runtime = new Ajv(AJV_OPTIONS);
    const modules = (await loadCorePack()).modules;
    expect(precompiledValidator(PLAY_SCHEMA), 'playbook schema (run `npm run build`)').to.be.a('function');
    for (const m of modules) {
      const pre = precompiledValidator(m.schema);
      expect(pre, `module ${m.name}`).to.be.a('function');
      const fresh = runtime.compile(m.schema);
      for (const sample of [...m.examples.map((e) => e.args), {}, { no_such_argument: 1 }]) {
        const a = structuredClone(sample);
        const b = structuredClone(sample);
        expect(pre!(a), `${m.name} ${JSON.stringify(sample)}`).to.equal(fresh(b));
        expect(a, `${m.name}: defaults applied alike`).to.deep.equal(b);
        expect(JSON.stringify(pre!.errors ?? null)).to.equal(JSON.stringify(fresh.errors ?? null));
      }
    }
  });
});
