// runbook vault through the CLI: encrypted values and files used by a play (and masked in every output), round
// trips, tampering and wrong passwords refused, edit with the plaintext only in /dev/shm, rekey.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';

describe('runbook vault', function () {
  this.timeout(120_000);
  let dir: string;
  const SECRET = 'Vaulted-S3cret-9931';
  const pw = ['--vault-password-file', 'pw.txt'];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-vault-'));
    await fs.writeFile(path.join(dir, 'pw.txt'), 'correct horse\n', { mode: 0o600 });
    await fs.writeFile(path.join(dir, 'other-pw.txt'), 'battery staple\n', { mode: 0o600 });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function encryptString(value: string, name: string): Promise<string> {
    const r = await runCli(['vault', 'encrypt-string', value, '--name', name, ...pw], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.not.contain(value);
    return r.stdout;
  }

  it('a `!vault` value in vars_files reaches the host decrypted and never the output, the journal or the recap', async () => {
    await fs.writeFile(path.join(dir, 'secrets.yml'), await encryptString(SECRET, 'db_pass_word'));
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks:\n    - copy: { dest: "${dir}/out.conf", content: "pw={{db_pass_word}}\\n" }\n`);
    const res = await runCli(['play', 'site.yml', '--diff', '--format', 'json', ...pw], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'out.conf'), 'utf8')).to.equal(`pw=${SECRET}\n`);
    expect(res.stdout + res.stderr).to.not.contain(SECRET);
    expect(res.stdout).to.contain('********');
    const run = jsonEvents(res.stdout).find((e) => e.event === 'run_start')!.run as string;
    expect(await fs.readFile(path.join(dir, '.runbook/runs', run, 'journal.jsonl'), 'utf8')).to.not.contain(SECRET);
    // The same without a password: exit 2 at the value's position, nothing run.
    const none = await runCli(['play', 'site.yml'], { cwd: dir, env: { RUNBOOK_VAULT_PASSWORD_FILE: '' } });
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/secrets\.yml:1:\d+: encrypted value: .*no vault password was given/);
    // RUNBOOK_VAULT_PASSWORD_FILE is a password source too.
    const env = await runCli(['play', 'site.yml'], { cwd: dir, env: { RUNBOOK_VAULT_PASSWORD_FILE: path.join(dir, 'pw.txt') } });
    expect(env.code, env.stderr).to.equal(0);
  });

  it('encrypt / view / decrypt round trip; files 0600; a changed byte and a wrong password are refused', async () => {
    const plain = `api_token: ${SECRET}\nname: x\n`;
    await fs.writeFile(path.join(dir, 'vars.yml'), plain);
    expect((await runCli(['vault', 'encrypt', 'vars.yml', ...pw], { cwd: dir })).code).to.equal(0);
    const enc = await fs.readFile(path.join(dir, 'vars.yml'), 'utf8');
    expect(enc).to.match(/^\$RUNBOOK_VAULT;1;AES256-GCM;SCRYPT;default\n/);
    expect(enc).to.not.contain(SECRET);
    expect((await fs.stat(path.join(dir, 'vars.yml'))).mode & 0o777).to.equal(0o600);
    const view = await runCli(['vault', 'view', 'vars.yml', ...pw], { cwd: dir });
    expect(view.stdout).to.equal(plain);
    const wrong = await runCli(['vault', 'view', 'vars.yml', '--vault-password-file', 'other-pw.txt'], { cwd: dir });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain('wrong password, or the data was changed');
    // Flip one character of the ciphertext: authenticated encryption refuses it.
    const lines = enc.split('\n');
    lines[1] = (lines[1][5] === 'A' ? 'B' : 'A').padStart(6, lines[1].slice(0, 5)) + lines[1].slice(6);
    await fs.writeFile(path.join(dir, 'tampered.yml'), lines.join('\n'));
    const tampered = await runCli(['vault', 'view', 'tampered.yml', ...pw], { cwd: dir });
    expect(tampered.code).to.equal(2);
    expect(tampered.stdout).to.equal('');
    expect(tampered.stderr).to.contain('the data was changed since it was encrypted');
    expect((await runCli(['vault', 'decrypt', 'vars.yml', ...pw], { cwd: dir })).code).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'vars.yml'), 'utf8')).to.equal(plain);
  });

  it('an encrypted group_vars file is read by the inventory, and `runbook inventory` masks what it revealed', async () => {
    await fs.mkdir(path.join(dir, 'inv/group_vars'), { recursive: true });
    await fs.writeFile(path.join(dir, 'inv/hosts.yml'), 'all:\n  hosts:\n    localhost: { connection: local }\n');
    await fs.writeFile(path.join(dir, 'inv/group_vars/all.yml'), `shared_value: ${SECRET}\n`);
    expect((await runCli(['vault', 'encrypt', 'inv/group_vars/all.yml', ...pw], { cwd: dir })).code).to.equal(0);
    const inv = await runCli(['inventory', '-i', 'inv', '--host', 'localhost', ...pw], { cwd: dir });
    expect(inv.code, inv.stderr).to.equal(0);
    expect(JSON.parse(inv.stdout).shared_value).to.equal('********');
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/g.txt", content: "{{shared_value}}" }\n`);
    const res = await runCli(['play', 'site.yml', '-i', 'inv', '--format', 'json', ...pw], { cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'g.txt'), 'utf8')).to.equal(SECRET);
    expect(res.stdout).to.not.contain(SECRET);
  });

  it('edit: the editor sees a 0600 file on /dev/shm, the change is saved encrypted, nothing is left behind', async () => {
    await fs.writeFile(path.join(dir, 'v.yml'), 'a: 1\n');
    await runCli(['vault', 'encrypt', 'v.yml', ...pw], { cwd: dir });
    const editor = path.join(dir, 'editor.sh');
    await fs.writeFile(editor, `#!/bin/sh\ncase "$1" in /dev/shm/*) ;; *) echo "not on /dev/shm: $1" >&2; exit 3;; esac\n[ "$(stat -c %a "$1")" = 600 ] || { echo "mode $(stat -c %a "$1")" >&2; exit 4; }\necho "b: 2" >> "$1"\n`, { mode: 0o700 });
    const before = readdirSync('/dev/shm').filter((f) => f.startsWith('runbook-vault-'));
    const res = await runCli(['vault', 'edit', 'v.yml', ...pw], { cwd: dir, env: { EDITOR: editor, VISUAL: '' } });
    expect(res.code, res.stderr).to.equal(0);
    expect((await runCli(['vault', 'view', 'v.yml', ...pw], { cwd: dir })).stdout).to.equal('a: 1\nb: 2\n');
    expect(await fs.readFile(path.join(dir, 'v.yml'), 'utf8')).to.not.contain('b: 2');
    expect(readdirSync('/dev/shm').filter((f) => f.startsWith('runbook-vault-'))).to.deep.equal(before);
    // An editor that fails saves nothing and still leaves nothing behind.
    await fs.writeFile(editor, '#!/bin/sh\necho "c: 3" >> "$1"; exit 1\n', { mode: 0o700 });
    const failed = await runCli(['vault', 'edit', 'v.yml', ...pw], { cwd: dir, env: { EDITOR: editor, VISUAL: '' } });
    expect(failed.code).to.equal(2);
    expect((await runCli(['vault', 'view', 'v.yml', ...pw], { cwd: dir })).stdout).to.equal('a: 1\nb: 2\n');
    expect(readdirSync('/dev/shm').filter((f) => f.startsWith('runbook-vault-'))).to.deep.equal(before);
  });

  it('rekey moves a file to a new password; vault ids pick the right password among several', async () => {
    await fs.writeFile(path.join(dir, 'v.yml'), 'k: v\n');
    await runCli(['vault', 'encrypt', 'v.yml', ...pw], { cwd: dir });
    const rk = await runCli(['vault', 'rekey', 'v.yml', ...pw, '--new-vault-password-file', 'other-pw.txt', '--new-vault-id', 'prod'], { cwd: dir });
    expect(rk.code, rk.stderr).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'v.yml'), 'utf8')).to.match(/;prod\n/);
    expect((await runCli(['vault', 'view', 'v.yml', ...pw], { cwd: dir })).code).to.equal(2);
    const both = await runCli(['vault', 'view', 'v.yml', '--vault-id', 'dev@pw.txt', '--vault-id', 'prod@other-pw.txt'], { cwd: dir });
    expect(both.stdout, both.stderr).to.equal('k: v\n');
    // An executable password source is run, as Ansible runs vault password scripts.
    await fs.writeFile(path.join(dir, 'pw.sh'), '#!/bin/sh\necho "battery staple"\n', { mode: 0o700 });
    expect((await runCli(['vault', 'view', 'v.yml', '--vault-password-file', 'pw.sh'], { cwd: dir })).stdout).to.equal('k: v\n');
    expect(existsSync(path.join(dir, 'v.yml'))).to.equal(true);
  });

  it('reads Ansible Vault data unchanged: `!vault` values and whole files made by ansible-vault', async () => {
    await fs.writeFile(path.join(dir, 'apw.txt'), 'ansible-side-pw\n');
    const vaulted = execFileSync('ansible-vault', ['encrypt_string', '--vault-password-file', 'apw.txt', SECRET, '--name', 'db_password'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(vaulted).to.contain('$ANSIBLE_VAULT;1.1;AES256');
    await fs.writeFile(path.join(dir, 'avars.yml'), vaulted);
    await fs.writeFile(path.join(dir, 'whole.yml'), 'port_number: 5432\nowner_name: dbadmin\n');
    execFileSync('ansible-vault', ['encrypt', 'whole.yml', '--vault-password-file', 'apw.txt'], { cwd: dir, stdio: 'ignore' });
    await fs.writeFile(path.join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  vars_files: [avars.yml, whole.yml]\n  tasks:\n    - copy: { dest: "${dir}/a.conf", content: "{{db_password}} {{port_number}} {{owner_name}}" }\n`);
    const res = await runCli(['play', 'site.yml', '--format', 'json', '--vault-password-file', 'apw.txt'], { cwd: dir });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(await fs.readFile(path.join(dir, 'a.conf'), 'utf8')).to.equal(`${SECRET} 5432 dbadmin`);
    expect(res.stdout).to.not.contain(SECRET);
    const wrong = await runCli(['play', 'site.yml', ...pw], { cwd: dir });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain('cannot decrypt Ansible Vault data');
  });
});
