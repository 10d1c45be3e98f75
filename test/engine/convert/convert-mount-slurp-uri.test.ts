// Ansible's mount (ansible.posix.mount), slurp and uri in a playbook: `runbook validate` takes them as they are, and
// `runbook convert ansible` writes runbook's fstab (name → path), slurp (path → src) and uri (user/password →
// url_username/url_password) with no TODO.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';

const PLAY = [
  '- hosts: localhost',
  '  gather_facts: false',
  '  vars: { api_password: s3cret }',
  '  tasks:',
  '    - name: data disk',
  '      ansible.posix.mount: { name: /mnt/data, src: /dev/sdb1, fstype: ext4, opts: noatime, boot: false, state: mounted }',
  '    - name: scratch',
  '      mount: path=/mnt/scratch src=tmpfs fstype=tmpfs state=ephemeral',
  '    - name: host key',
  '      ansible.builtin.slurp: { path: /etc/ssh/ssh_host_ed25519_key.pub }',
  '      register: key',
  '    - name: api',
  '      ansible.builtin.uri: { url: "http://127.0.0.1:8080/v1/items", method: POST, body_format: json, body: { name: web }, user: admin, password: "{{ api_password }}", status_code: [200, 201] }',
  '',
].join('\n');

describe('mount, slurp and uri from Ansible: validate and convert', () => {
  let work: string;
  beforeEach(async () => { work = await fs.mkdtemp(path.join(os.tmpdir(), 'rb-convert-mount-')); });
  afterEach(async () => { await fs.rm(work, { recursive: true, force: true }); });

  it('validates unchanged (no advice error) and converts to fstab, slurp and uri without a TODO', async () => {
    await fs.mkdir(path.join(work, 'src'));
    await fs.writeFile(path.join(work, 'src/site.yml'), PLAY);
    const validate = await runCli(['validate', path.join(work, 'src/site.yml')]);
    expect(validate.code, validate.stderr + validate.stdout).to.equal(0);
    const r = await runCli(['convert', 'ansible', path.join(work, 'src'), path.join(work, 'out')]);
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    const out = await fs.readFile(path.join(work, 'out/site.yml'), 'utf8');
    expect(out).to.contain('      fstab: { path: /mnt/data, src: /dev/sdb1, fstype: ext4, opts: noatime, boot: false, state: mounted }\n');
    expect(out).to.contain('      slurp: { src: /etc/ssh/ssh_host_ed25519_key.pub }\n');
    expect(out).to.contain('      uri: { url: "http://127.0.0.1:8080/v1/items", method: POST, body_format: json, body: { name: web }, url_username: admin, url_password: "{{api_password}}", status_code: [ 200, 201 ] }\n');
    expect(out).not.to.contain('TODO');
    expect((await runCli(['validate', path.join(work, 'out/site.yml')])).code).to.equal(0);
  });
});
