// runbook as an npm package, tested from the tarball (not the checkout): `npm pack` ships the built code and the
// declaration files; a global install runs; a pack written in TypeScript against `runbook`'s types, with its own
// test through 'runbook/testing', builds in a separate folder and is used by a playbook there.

import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const PACK_TS = `import { defineModule, ModuleError, type ModuleDefinition, type ModulePack } from 'runbook';

interface MotdArgs { text: string }
interface MotdState { content: string | null }

const motd: ModuleDefinition<MotdArgs, MotdState> = defineModule<MotdArgs, MotdState>({
  name: 'motd',
  doc: 'Set the message of the day in a file.',
  schema: { type: 'object', additionalProperties: false, required: ['text', 'path'],
    properties: { text: { type: 'string', description: 'The message.' }, path: { type: 'string', description: 'The file.' } } },
  examples: [{ name: 'Greeting', args: { text: 'Welcome', path: '/etc/motd' } }],
  reversible: true,
  async inspect(host, args) {
    const buf = await host.readFile((args as MotdArgs & { path: string }).path);
    return { content: buf === null ? null : buf.toString('utf8') };
  },
  plan(current, args) {
    return current.content === args.text ? [] : [{ msg: current.content === null ? 'create the motd' : 'update the motd' }];
  },
  async apply(host, args) {
    if (args.text.includes('\\0')) throw new ModuleError('no NUL in a motd');
    await host.writeFile((args as MotdArgs & { path: string }).path, args.text, { mode: 0o644 });
  },
});

const pack: ModulePack = { name: 'motdpack', modules: [motd] };
export default pack;
`;

const PACK_TEST = `import assert from 'node:assert/strict';
import { planTwice, argsProblems } from 'runbook/testing';
import pack from './index.js';
const motd = pack.modules[0];
const out = planTwice(motd, { args: { text: 'hi', path: '/x' }, current: { content: null }, after: { content: 'hi' } });
assert.deepEqual(out.changes, ['create the motd']);
assert.deepEqual(out.replanned, []);
assert.match(argsProblems(motd, { text: 'hi' }).join(), /path/);
console.log('pack tests ok');
`;

describe('package: npm pack, global install, a typed pack in TypeScript', function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-package-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('the tarball holds the built code and types (no tests), installs globally, and `runbook --version` runs', () => {
    npm(['pack', repoRoot, '--ignore-scripts', '--pack-destination', dir], dir);
    const tgz = readdirSync(dir).find((f) => /^runbook-\d+\.\d+\.\d+\.tgz$/.test(f))!;
    expect(tgz).to.be.a('string');
    const list = execFileSync('tar', ['tzf', path.join(dir, tgz)], { encoding: 'utf8' }).split('\n');
    expect(list).to.include.members(['package/dist/engine/index.js', 'package/dist/engine/index.d.ts', 'package/dist/engine/testing.d.ts', 'package/bin/runbook.js', 'package/dist/engine/load/precompiled-schemas.cjs']);
    expect(list.filter((f) => f.startsWith('package/dist/test/'))).to.deep.equal([]);
    npm(['install', '-g', '--prefix', path.join(dir, 'global'), path.join(dir, tgz)], dir);
    const version = spawnSync(path.join(dir, 'global', 'bin', 'runbook'), ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).to.equal(JSON.parse(execFileSync('cat', [path.join(repoRoot, 'package.json')], { encoding: 'utf8' })).version);
  });

  it('a TypeScript pack compiles against the published types, passes its own test, and a playbook uses it', async () => {
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const packDir = path.join(dir, 'runbook-pack-motd');
    await fs.mkdir(packDir);
    await fs.writeFile(path.join(packDir, 'package.json'), JSON.stringify({ name: 'runbook-pack-motd', version: '1.0.0', type: 'module', exports: { '.': { types: './index.d.ts', import: './index.js' } }, dependencies: { runbook: `file:${path.join(dir, tgz)}` }, devDependencies: { '@types/node': '^20.19.0' } }));
    await fs.writeFile(path.join(packDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, declaration: true, skipLibCheck: false } }));
    await fs.writeFile(path.join(packDir, 'index.ts'), PACK_TS);
    await fs.writeFile(path.join(packDir, 'index.test.ts'), PACK_TEST);
    npm(['install'], packDir);
    const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: packDir, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).to.equal(0);
    const own = spawnSync(process.execPath, ['index.test.js'], { cwd: packDir, encoding: 'utf8' });
    expect(own.stdout + own.stderr).to.contain('pack tests ok');
    // A project elsewhere installs the pack and uses it, run from another folder: packs resolve from the playbook.
    const project = path.join(dir, 'project');
    await fs.mkdir(project);
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'site', private: true, dependencies: { 'runbook-pack-motd': 'file:../runbook-pack-motd' } }));
    npm(['install', '--install-links'], project);
    await fs.writeFile(path.join(project, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - motd: { text: "hello from a pack", path: "${project}/motd" }\n`);
    const run = spawnSync(path.join(dir, 'global', 'bin', 'runbook'), ['play', path.join(project, 'site.yml')], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    expect(await fs.readFile(path.join(project, 'motd'), 'utf8')).to.equal('hello from a pack');
  });
});
