// `runbook convert` end to end (#17 Done means): the Ansible fixtures of test/fixtures/ansible are converted,
// validated, run by runbook on one lab host (converge, then changed=0, then `runbook audit` clean), and run as they
// are by ansible-playbook on an identical lab host; the two hosts' files (type, mode, owner, content) must match.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshot } from '../conformance/host-state.js';
import { ansibleConfig } from '../conformance/tool-runs.js';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../../../test/fixtures/ansible');
/** Everything the fixtures touch on a host. */
const PATHS = ['/etc/rb-convert-demo', '/srv/rb-convert-demo', '/etc/sysctl.d/60-rb-convert-demo.conf'];
/** The playbooks run, each with a file it must leave: motd.yml (tasks, no roles), site.yml (three roles). */
const PLAYBOOKS: Record<string, string> = {
  'motd.yml': '/etc/rb-convert-demo/motd/contact.json f 640 root:root',
  'site.yml': '/etc/rb-convert-demo/sites/www.conf f 640 root:root',
};

function run(argv: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/**
 * One INI inventory for both tools, with Ansible's variable names: the same host name (templates print
 * inventory_hostname) on another lab host; runbook also gets the lab's known_hosts (its host keys are checked).
 */
function inventory(tool: 'ansible' | 'runbook', lab: TestLab, address: string): string {
  const knownHosts = tool === 'runbook' ? ` known_hosts=${lab.knownHostsPath}` : '';
  return `[demo]\ndemo-1 ansible_host=${address} ansible_user=root ansible_ssh_private_key_file=${lab.keyPath}${knownHosts}\n\n[demo:vars]\nhardening_enabled=true\n`;
}

/** One line per path with its content; sysctl files compared by their settings (Ansible writes k=v, runbook k = v). */
async function hostState(lab: TestLab, host: string): Promise<string> {
  const text = await snapshot(lab, host, PATHS);
  return text.split('\n').map((l) => (/^ {2}\| net\./.test(l) ? l.replace(/\s*=\s*/, '=') : l)).join('\n');
}

const clean = (lab: TestLab, host: string) => lab.exec(host, ['rm', '-rf', '--', ...PATHS]);

describe('runbook convert: the fixture roles on the lab, against ansible-playbook', function () {
  this.timeout(600_000);
  let lab: TestLab;
  let work: string;
  let ansibleHost: { name: string; address: string };
  let runbookHost: { name: string; address: string };

  before(async function () {
    lab = await acquireLab(2, this);
    [ansibleHost, runbookHost] = lab.hosts;
    await Promise.all([clean(lab, ansibleHost.name), clean(lab, runbookHost.name)]);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rb-convert-lab-'));
    await fs.cp(FIXTURES, path.join(work, 'ansible'), { recursive: true });
    await fs.writeFile(path.join(work, 'ansible', 'hosts.ini'), inventory('ansible', lab, ansibleHost.address));
    await fs.writeFile(path.join(work, 'ansible.cfg'), ansibleConfig(lab, work).replace('stdout_callback = json', 'stdout_callback = default'));
  });

  after(async () => {
    if (!lab) return;
    await Promise.all([clean(lab, ansibleHost.name), clean(lab, runbookHost.name)]);
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('converts the fixtures with no TODO', async () => {
    const r = await runCli(['convert', 'ansible', path.join(work, 'ansible'), path.join(work, 'runbook')]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    await fs.writeFile(path.join(work, 'runbook', 'hosts.ini'), inventory('runbook', lab, runbookHost.address));
  });

  for (const [playbook, expectedLine] of Object.entries(PLAYBOOKS)) {
    it(`${playbook}: validates, converges, then changed=0, then audit finds no drift`, async () => {
      const dir = path.join(work, 'runbook');
      const state = { XDG_STATE_HOME: path.join(work, 'state') };
      const validate = await runCli(['validate', playbook, '-i', 'hosts.ini'], { cwd: dir });
      expect(validate.code, validate.stderr + validate.stdout).to.equal(0);
      const first = await runCli(['play', playbook, '-i', 'hosts.ini', '--format', 'json'], { cwd: dir, env: state, timeoutMs: 300_000 });
      expect(first.code, first.stdout.slice(-3000) + first.stderr).to.equal(0);
      expect(jsonEvents(first.stdout).find((e) => e.event === 'recap')!.hosts['demo-1'].changed).to.be.greaterThan(0);
      const second = await runCli(['play', playbook, '-i', 'hosts.ini', '--format', 'json'], { cwd: dir, env: state, timeoutMs: 300_000 });
      expect(second.code, second.stderr).to.equal(0);
      const changed = jsonEvents(second.stdout).filter((e) => e.event === 'task' && e.status === 'changed').map((e) => e.task);
      expect(changed, 'tasks changed on the second run').to.deep.equal([]);
      const audit = await runCli(['audit', playbook, '-i', 'hosts.ini'], { cwd: dir, env: state, timeoutMs: 300_000 });
      expect(audit.code, audit.stdout + audit.stderr).to.equal(0);
    });

    it(`${playbook}: ansible-playbook on the unconverted content leaves the same files`, async () => {
      const r = await run(['ansible-playbook', '-i', 'hosts.ini', playbook], path.join(work, 'ansible'), { ANSIBLE_CONFIG: path.join(work, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' });
      expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0);
      const [ansible, runbook] = await Promise.all([hostState(lab, ansibleHost.name), hostState(lab, runbookHost.name)]);
      expect(runbook).to.equal(ansible);
      expect(runbook).to.contain(`\n${expectedLine}\n`);
    });
  }
});
