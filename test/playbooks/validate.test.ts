// Every shipped playbook validates against its example inventory (schema, templates, and every variable its tasks
// and rendered files use), and the secrets each one documents are the ones it really asks for.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const SECRETS: Record<string, string[]> = {
  'k8s-glusterfs-heketi': ['heketi_admin_key'],
  'gluster-kubernetes': ['heketi_admin_key', 'heketi_user_key'],
  'home-lab-arm': [],
  'statefulsets-on-ceph': ['ceph_admin_key', 'ceph_user_key'],
  'openshift-heketi': ['heketi_admin_key', 'heketi_user_key'],
};

describe('shipped playbooks validate against their example inventories', function () {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-validate-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('has a README and an inventory for every playbook folder, and a test for it', async () => {
    const folders = (await fs.readdir(path.join(repoRoot, 'playbooks'), { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'hello').map((d) => d.name).sort();
    expect(folders).to.deep.equal(Object.keys(SECRETS).sort());
    for (const f of folders) {
      await fs.access(path.join(repoRoot, 'playbooks', f, 'README.md'));
      await fs.access(path.join(repoRoot, 'inventory', f, 'hosts.yml'));
      await fs.access(path.join(repoRoot, 'test/playbooks', `${f}.test.ts`));
    }
  });

  for (const [name, secrets] of Object.entries(SECRETS)) {
    it(`${name}: valid with its documented secrets, and names each one missing`, async () => {
      const site = path.join(repoRoot, 'playbooks', name, 'site.yml');
      const inv = path.join(repoRoot, 'inventory', name);
      const file = path.join(dir, `${name}-secrets.yml`);
      await fs.writeFile(file, secrets.map((s) => `${s}: example-${s}\n`).join(''));
      const ok = await runCli(['validate', site, '-i', inv, '-e', `@${file}`], { cwd: dir });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.match(/valid \(\d+ play\(s\), \d+ task\(s\)\)/);
      const without = await runCli(['validate', site, '-i', inv], { cwd: dir });
      if (secrets.length === 0) {
        expect(without.code, without.stderr).to.equal(0);
      } else {
        expect(without.code).to.equal(2);
        for (const s of secrets) expect(without.stderr).to.contain(`undefined variable '${s}'`);
        expect(without.stderr).to.match(/site\.yml:\d+:\d+: /);
      }
    });
  }

  it('playbooks/site.yml (runs k8s-glusterfs-heketi) and the local demo hello.yml validate', async () => {
    const site = await runCli(['validate', path.join(repoRoot, 'playbooks/site.yml'), '-i', path.join(repoRoot, 'inventory/k8s-glusterfs-heketi'), '-e', 'heketi_admin_key=x1234'], { cwd: dir });
    expect(site.code, site.stderr).to.equal(0);
    const hello = await runCli(['validate', path.join(repoRoot, 'playbooks/hello.yml')], { cwd: dir });
    expect(hello.code, hello.stderr).to.equal(0);
  });
});
