// Runs one case's twins: ansible-playbook on one set of lab hosts, the runbook CLI on another, side by side, and
// reads each tool's per-task, per-host statuses from its JSON output.

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import type { TestLab } from '../helpers/lab.js';
import type { ConformanceCase } from './case-file.js';

export type Tool = 'ansible' | 'runbook';
export type Status = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface ToolRun {
  code: number | null;
  output: string;
  /** "task name" -> host -> statuses in the order the task ran (a task can run more than once: includes, handlers). */
  tasks: Map<string, Map<string, Status[]>>;
  /** Why tasks failed (and the tool's stderr), for a case's failure message. */
  notes: string[];
}

/** Logical host hN -> lab host, per tool: Ansible gets the first half of the lab, runbook the second. */
export function labHostOf(lab: TestLab, tool: Tool, logical: number): { name: string; address: string } {
  const half = lab.hosts.length / 2;
  return lab.hosts[(tool === 'ansible' ? 0 : half) + logical - 1];
}

function inventoryFor(lab: TestLab, c: ConformanceCase, tool: Tool): Record<string, any> {
  const inv = structuredClone(c.inventory) as Record<string, any>;
  const all = (inv.all ??= {});
  all.vars = {
    ...(tool === 'ansible'
      ? { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyPath, ansible_python_interpreter: '/usr/bin/python3' }
      : { user: 'root', key: lab.keyPath, known_hosts: lab.knownHostsPath }),
    ...(all.vars ?? {}),
  };
  all.hosts ??= {};
  for (let i = 1; i <= c.hosts; i++) {
    const address = labHostOf(lab, tool, i).address;
    all.hosts[`h${i}`] = { ...(all.hosts[`h${i}`] ?? {}), [tool === 'ansible' ? 'ansible_host' : 'address']: address };
  }
  return inv;
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
}

/** The controller side of one tool for one case: site.yml, inv/hosts.yml and the case's files. */
export async function prepareTool(lab: TestLab, c: ConformanceCase, tool: Tool, root: string): Promise<string> {
  const dir = path.join(root, c.id, tool);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(path.join(dir, 'inv'), { recursive: true });
  await writeFiles(dir, { ...c.files, ...(tool === 'ansible' ? c.ansibleFiles : c.runbookFiles), 'site.yml': tool === 'ansible' ? c.ansible : c.runbook });
  // JSON (which YAML reads): every string stays quoted, so Ansible's YAML 1.1 cannot read 'yes' or 'on' as a boolean.
  await fs.writeFile(path.join(dir, 'inv', 'hosts.yml'), `${JSON.stringify(inventoryFor(lab, c, tool), null, 2)}\n`);
  return dir;
}

export function ansibleConfig(lab: TestLab, controlDir: string): string {
  return [
    '[defaults]', 'forks = 10', 'host_key_checking = True', 'interpreter_python = /usr/bin/python3', 'stdout_callback = json',
    'retry_files_enabled = False', 'deprecation_warnings = False', 'gathering = implicit', '',
    '[ssh_connection]', 'pipelining = True', `control_path_dir = ${controlDir}`,
    `ssh_args = -o ControlMaster=auto -o ControlPersist=15s -o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes`, '',
  ].join('\n');
}

function spawnCollect(argv: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${argv.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

function add(tasks: ToolRun['tasks'], task: string, host: string, status: Status): void {
  if (!tasks.has(task)) tasks.set(task, new Map());
  const hosts = tasks.get(task)!;
  hosts.set(host, [...(hosts.get(host) ?? []), status]);
}

/** Ansible reports an include or a meta task as a task of its own; runbook reports the tasks it includes. */
// gather_facts is a task in Ansible's output ("Gathering Facts"), runbook's gathers with the connection.
const PSEUDO_ACTIONS = new Set(['gather_facts', 'ansible.builtin.gather_facts', 'include_tasks', 'ansible.builtin.include_tasks', 'include', 'include_role', 'ansible.builtin.include_role', 'meta', 'ansible.builtin.meta']);

/** runbook's events for an include itself (a skipped include_tasks / include_role). */
const RUNBOOK_PSEUDO_MODULES = new Set(['include_tasks', 'include_role']);

function ansibleStatus(r: Record<string, any>): Status {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

export async function runAnsible(dir: string, config: string, args: string[]): Promise<ToolRun> {
  const r = await spawnCollect(['ansible-playbook', '-i', 'inv/hosts.yml', 'site.yml', ...args], dir, { ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'json' }, 240_000);
  const tasks: ToolRun['tasks'] = new Map();
  const notes: string[] = [];
  const start = r.stdout.indexOf('{\n');
  if (start >= 0) {
    try {
      const doc = JSON.parse(r.stdout.slice(start));
      for (const play of doc.plays ?? []) {
        for (const t of play.tasks ?? []) {
          for (const [host, res] of Object.entries(t.hosts ?? {}) as Array<[string, Record<string, any>]>) {
            if (PSEUDO_ACTIONS.has(res.action)) continue;
            add(tasks, t.task.name, host, ansibleStatus(res));
            if (res.failed || res.unreachable) notes.push(`${t.task.name} on ${host}: ${String(res.msg ?? '').slice(0, 300)} ${String(res.stderr ?? '').slice(0, 200)}`);
          }
        }
      }
    } catch { notes.push(r.stdout.slice(0, 1500)); }
  } else notes.push(r.stdout.slice(0, 1500));
  if (r.stderr.trim()) notes.push(r.stderr.slice(0, 1500));
  return { code: r.code, output: `${r.stdout}\n${r.stderr}`, tasks, notes };
}

export async function runRunbook(dir: string, args: string[]): Promise<ToolRun> {
  // Cases run side by side on the same lab hosts, each on its own paths: each case has its own host-lock folder.
  const r = await runCli(['play', 'site.yml', '-i', 'inv', '--format', 'json', ...args], { cwd: dir, timeoutMs: 240_000, env: { XDG_STATE_HOME: path.join(dir, 'state') } });
  const tasks: ToolRun['tasks'] = new Map();
  const notes: string[] = [];
  for (const e of jsonEvents(r.stdout)) {
    // An include skipped on a host is reported by both tools as the include's own task: not compared, as Ansible's.
    if (e.event === 'task' && !RUNBOOK_PSEUDO_MODULES.has(e.module)) add(tasks, e.task, e.host, e.status as Status);
    if ((e.event === 'task' && (e.status === 'failed' || e.status === 'unreachable')) || e.event === 'rollback' || e.event === 'warning') notes.push(JSON.stringify(e).slice(0, 400));
  }
  if (r.stderr.trim()) notes.push(r.stderr.slice(0, 1500));
  return { code: r.code, output: `${r.stdout}\n${r.stderr}`, tasks, notes };
}
