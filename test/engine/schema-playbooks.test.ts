// `runbook schema` is what editors validate playbooks with: every shipped playbook must pass it (templated typed
// arguments, YAML 1.1 boolean words), while what the loader refuses is still refused.

import { expect } from 'chai';
import { Ajv, type ValidateFunction } from 'ajv';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AJV_OPTIONS } from '../../engine/load/validate-args.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

/** YAML files under playbooks/ that are playbooks: lists of plays or playbook imports. */
async function shippedPlaybooks(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (/\.ya?ml$/.test(entry.name)) {
        const doc = parse(await fs.readFile(file, 'utf8')) as unknown;
        if (Array.isArray(doc) && doc.length > 0 && doc.every((p) => p && typeof p === 'object' && ('hosts' in p || 'import_playbook' in p))) found.push(file);
      }
    }
  };
  await walk(path.join(repoRoot, 'playbooks'));
  return found.sort();
}

describe('cli: runbook schema accepts the shipped playbooks', function () {
  this.timeout(60_000);
  let validate: ValidateFunction;
  before(async () => {
    const res = await runCli(['schema'], { cwd: repoRoot });
    expect(res.code, res.stderr).to.equal(0);
    validate = new Ajv(AJV_OPTIONS).compile(JSON.parse(res.stdout));
  });

  it('every playbook in playbooks/ validates against the emitted JSON Schema (ajv)', async () => {
    const files = await shippedPlaybooks();
    expect(files.length).to.be.greaterThanOrEqual(5);
    for (const file of files) {
      const ok = validate(parse(await fs.readFile(file, 'utf8')));
      expect(ok, `${path.relative(repoRoot, file)}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`).to.equal(true);
    }
  });

  const play = (task: string) => parse(`- hosts: all\n  become: yes\n  tasks:\n    - ${task}\n`);
  it('a template stands for any typed argument; a wrong literal, an unknown argument or a bad keyword is still refused', () => {
    for (const good of ['wait_for: { port: "{{ api_port }}", timeout: 5 }', 'file: { path: /tmp/x, state: "{{ wanted }}" }', 'file: { path: /tmp/x, state: directory }', 'copy: { dest: /tmp/x, content: hi, force: no }']) {
      expect(validate(play(good)), `${good}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).to.equal(true);
    }
    for (const bad of ['wait_for: { port: eighty }', 'file: { path: /tmp/x, state: bogus }', 'file: { path: /tmp/x, bogus: 1 }', 'debug: { msg: hi }\n      retries: "{{ n }}"']) {
      expect(validate(play(bad)), bad).to.equal(false);
    }
  });
});
