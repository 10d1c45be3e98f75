// Security item 17 (part): `runbook validate` loads the module packs a playbook names, and a pack is code: validate
// says so (help and docs/cli.md) instead of promising to run nothing.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

describe('security: validate and pack code', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-sec-validate-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('a pack named by the playbook runs its code at validate, as help and docs/cli.md say', async () => {
    await fs.writeFile(path.join(dir, 'pack.mjs'), `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(path.join(dir, 'pack-ran'))}, 'yes');
export default { name: 'side', modules: [] };
`);
    await fs.writeFile(path.join(dir, 'site.yml'), '- hosts: localhost\n  packs: [./pack.mjs]\n  tasks: []\n');
    const res = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'pack-ran'), 'utf8')).to.equal('yes');

    const help = await runCli(['validate', '--help'], { cwd: dir });
    expect(help.stdout.replace(/\s+/g, ' ')).to.contain('runs nothing on any host').and.to.contain('module packs are loaded: their code runs here');
    const docs = await fs.readFile(path.join(repoRoot, 'docs', 'cli.md'), 'utf8');
    expect(docs).to.match(/## runbook validate[^#]*module packs[^#]*their code runs/);
  });
});
