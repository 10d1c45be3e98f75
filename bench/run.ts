// `npm run bench`: runbook vs Ansible vs the raw-SSH floor on lab hosts, side by side in one run, plus the
// controller's own cost per host-task (500 local pseudo-hosts). Markdown table on stdout, JSON in bench/results.
// Not a test: nothing here asserts a time. `--smoke` (2 hosts, 1 repetition) runs inside `npm test`.

import { spawn, execFileSync } from 'node:child_process';
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp, type LabState } from '../engine/lab/lab.js';
import { measureStartup } from './startup.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const benchDir = path.join(repo, 'bench');
const cli = path.join(repo, 'dist', 'engine', 'main.js');

type Tool = 'runbook' | 'ansible' | 'floor';
type Scenario = 'first' | 'noop' | 'check';

interface Sample { seconds: number; peakRssMb: number; changed: number }
interface Figure { tool: Tool; scenario: Scenario; hosts: number; samples: Sample[] }

function args() {
  const a = process.argv.slice(2);
  const smoke = a.includes('--smoke');
  const get = (k: string) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : undefined; };
  return {
    smoke,
    hosts: (get('--hosts') ?? (smoke ? '2' : '1,10,50')).split(',').map(Number),
    reps: Number(get('--reps') ?? (smoke ? 1 : 3)),
    tools: (get('--tools') ?? 'runbook,ansible,floor').split(',') as Tool[],
    engineHosts: Number(get('--engine-hosts') ?? (smoke ? 20 : 500)),
  };
}

/** Sum of RSS over a process tree, from /proc. */
function treeRssKb(root: number): number {
  let total = 0;
  const children = new Map<number, number[]>();
  for (const d of readdirSafe('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch { /* gone */ }
  }
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch { /* gone */ }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function readdirSafe(p: string): string[] {
  try { return execFileSync('ls', [p]).toString().split('\n'); } catch { return []; }
}

/** Run a command, timing it and sampling the peak RSS of its process tree. */
function measure(argv: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ seconds: number; peakRssMb: number; stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sampler = setInterval(() => { peak = Math.max(peak, treeRssKb(child.pid!)); }, 100);
    const killer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakRssMb: peak / 1024, stdout, stderr, code });
    });
  });
}

async function ansibleFiles(lab: LabState, dir: string, forks: number): Promise<void> {
  const hosts = lab.hosts.map((h) => `${h.name} ansible_host=${h.address}`).join('\n');
  await fs.writeFile(path.join(dir, 'hosts.ini'), `[lab]\n${hosts}\n\n[lab:vars]\nansible_user=root\nansible_ssh_private_key_file=${lab.keyPath}\nansible_python_interpreter=/usr/bin/python3\nansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes'\n`);
  await fs.writeFile(path.join(dir, 'ansible.cfg'), `[defaults]\nforks = ${forks}\nhost_key_checking = True\ngathering = implicit\ninterpreter_python = /usr/bin/python3\ncallback_result_format = yaml\nstdout_callback = default\n\n[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s\n`);
  await fs.copyFile(path.join(benchDir, 'playbooks/node-prep.ansible.yml'), path.join(dir, 'site.yml'));
  await fs.copyFile(path.join(benchDir, 'playbooks/app.conf.j2'), path.join(dir, 'app.conf.j2'));
}

async function runTool(tool: Tool, scenario: Scenario, lab: LabState, dir: string): Promise<Sample> {
  const n = lab.hosts.length;
  if (tool === 'runbook') {
    const r = await measure([process.execPath, cli, 'play', path.join(benchDir, 'playbooks/node-prep.yml'), '-i', lab.inventoryPath, '--format', 'json', '-f', String(Math.max(n, 1)), ...(scenario === 'check' ? ['--check'] : [])], { cwd: dir });
    if (r.code !== 0) throw new Error(`runbook ${scenario} failed (exit ${r.code}): ${r.stderr}${r.stdout.slice(-2000)}`);
    const recap = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.event === 'recap');
    const changed = Object.values(recap.hosts as Record<string, { changed: number }>).reduce((a, h) => a + h.changed, 0);
    return { seconds: r.seconds, peakRssMb: r.peakRssMb, changed };
  }
  if (tool === 'ansible') {
    const r = await measure(['ansible-playbook', '-i', 'hosts.ini', 'site.yml', ...(scenario === 'check' ? ['--check'] : [])], { cwd: dir, env: { ANSIBLE_CONFIG: path.join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' } });
    if (r.code !== 0) throw new Error(`ansible ${scenario} failed (exit ${r.code}): ${r.stdout.slice(-3000)}${r.stderr.slice(-2000)}`);
    const changed = [...r.stdout.matchAll(/changed=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    return { seconds: r.seconds, peakRssMb: r.peakRssMb, changed };
  }
  // The floor: per host, in parallel, one ssh connection running the idempotent script.
  const script = path.join(benchDir, 'floor.sh');
  const shArgs = lab.hosts.map((h) => `ssh -i ${lab.keyPath} -o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes root@${h.address} sh -s ${scenario === 'check' ? 'check' : 'apply'} < ${script} &`).join('\n');
  const r = await measure(['bash', '-c', `${shArgs}\nwait`]);
  const changed = [...r.stdout.matchAll(/changed=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  if ([...r.stdout.matchAll(/changed=/g)].length !== n) throw new Error(`floor: expected ${n} host results, got: ${r.stdout}${r.stderr}`);
  return { seconds: r.seconds, peakRssMb: r.peakRssMb, changed };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** The controller's own cost: local pseudo-hosts, no facts, cheap file tasks, CPU time of the whole process. */
async function engineOnly(hosts: number, dir: string): Promise<{ hosts: number; tasks: number; cpuMsPerHostTask: number; seconds: number; peakRssMb: number }> {
  const root = path.join(dir, 'pseudo');
  await fs.mkdir(root, { recursive: true });
  const inv = ['all:', '  vars: { connection: local }', '  hosts:', ...Array.from({ length: hosts }, (_, i) => `    p${i}: { root: ${root}/p${i} }`), ''].join('\n');
  await fs.writeFile(path.join(dir, 'pseudo.yml'), inv);
  const tasks = [
    '    - copy: { dest: "{{root}}.a", content: "a {{inventory_hostname}}\\n" }',
    '    - copy: { dest: "{{root}}.b", content: "b\\n", mode: "0640" }',
    '    - lineinfile: { path: "{{root}}.e", line: "x=1", create: true }',
    '    - lineinfile: { path: "{{root}}.c", line: "y=2", create: true }',
    '    - copy: { dest: "{{root}}.d", content: "{{join (hosts_of \\"all\\") \\",\\"}}" }',
  ];
  await fs.writeFile(path.join(dir, 'pseudo-play.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.join('\n')}\n`);
  // The first run creates the files; the measured run is the no-op re-run.
  const first = await measure([process.execPath, cli, 'play', 'pseudo-play.yml', '-i', 'pseudo.yml', '--format', 'json', '-f', '500'], { cwd: dir });
  if (first.code !== 0) throw new Error(`engine-only first run failed: ${first.stderr}${first.stdout.slice(-1000)}`);
  const r = await measure([process.execPath, '--cpu-prof', '--cpu-prof-dir', path.join(dir, 'prof'), cli, 'play', 'pseudo-play.yml', '-i', 'pseudo.yml', '--format', 'json', '-f', '500'], { cwd: dir });
  if (r.code !== 0) throw new Error(`engine-only run failed: ${r.stderr}`);
  const cpuMs = cpuOfProfile(path.join(dir, 'prof'));
  return { hosts, tasks: tasks.length, cpuMsPerHostTask: cpuMs / (hosts * tasks.length), seconds: r.seconds, peakRssMb: r.peakRssMb };
}

/** Total sampled CPU time of the controller from its V8 CPU profile (excludes idle). */
function cpuOfProfile(dir: string): number {
  const files = readdirSafe(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return NaN;
  const prof = JSON.parse(readFileSync(path.join(dir, files[files.length - 1]), 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string } }>; samples: number[]; timeDeltas: number[] };
  const idle = new Set(prof.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let us = 0;
  prof.samples.forEach((id, i) => { if (!idle.has(id)) us += prof.timeDeltas[i] ?? 0; });
  return us / 1000;
}

function fmt(s: number): string { return s < 10 ? s.toFixed(2) : s.toFixed(1); }

async function main(): Promise<void> {
  const o = args();
  if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (it brings up a lab of network namespaces)');
  if (!existsSync(cli)) throw new Error('build first: npm run build');
  if (o.tools.includes('ansible')) {
    try { execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' }); } catch {
      process.stderr.write('bench: installing Debian\'s ansible package (apt-get install ansible)…\n');
      execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible >/dev/null'], { stdio: 'inherit' });
    }
  }
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-bench-'));
  const figures: Figure[] = [];
  const labName = `bench${process.pid % 10000}`;
  try {
    for (const n of o.hosts) {
      for (const tool of o.tools) {
        const fig = (scenario: Scenario) => {
          let f = figures.find((x) => x.tool === tool && x.scenario === scenario && x.hosts === n);
          if (!f) { f = { tool, scenario, hosts: n, samples: [] }; figures.push(f); }
          return f;
        };
        for (let rep = 0; rep < o.reps; rep++) {
          // A fresh lab per repetition: the first run always starts from the same untouched hosts.
          await labDown(labName);
          const lab = await labUp({ name: labName, hosts: n });
          const dir = path.join(work, `${tool}-${n}-${rep}`);
          await fs.mkdir(dir, { recursive: true });
          if (tool === 'ansible') await ansibleFiles(lab, dir, n);
          for (const scenario of ['first', 'noop', 'check'] as Scenario[]) {
            const s = await runTool(tool, scenario, lab, dir);
            if (scenario !== 'first' && s.changed !== 0) throw new Error(`${tool} ${scenario} on ${n} hosts reported changed=${s.changed}: not idempotent`);
            if (scenario === 'first' && s.changed === 0) throw new Error(`${tool} first run on ${n} hosts changed nothing`);
            fig(scenario).samples.push(s);
            process.stderr.write(`${tool} ${scenario} ${n} host(s) rep ${rep + 1}: ${fmt(s.seconds)} s, changed=${s.changed}, peak ${s.peakRssMb.toFixed(0)} MB\n`);
          }
        }
      }
    }
  } finally {
    await labDown(labName);
  }
  await fs.mkdir(path.join(work, 'engine'), { recursive: true });
  const engine = await engineOnly(o.engineHosts, path.join(work, 'engine'));
  const startup = measureStartup(cli, o.smoke ? 3 : 20);

  const stat = (f: Figure) => ({ median: median(f.samples.map((s) => s.seconds)), min: Math.min(...f.samples.map((s) => s.seconds)), max: Math.max(...f.samples.map((s) => s.seconds)), peakRssMb: Math.max(...f.samples.map((s) => s.peakRssMb)) });
  const rows: string[] = ['| hosts | scenario | runbook s (min–max) | ansible s | floor s | runbook ÷ ansible | runbook ÷ floor | runbook peak RSS MB |', '|---|---|---|---|---|---|---|---|'];
  const results: Record<string, unknown>[] = [];
  for (const n of o.hosts) {
    for (const scenario of ['first', 'noop', 'check'] as Scenario[]) {
      const get = (t: Tool) => figures.find((f) => f.tool === t && f.scenario === scenario && f.hosts === n);
      const rb = get('runbook'); const an = get('ansible'); const fl = get('floor');
      const rs = rb && stat(rb); const as = an && stat(an); const fs_ = fl && stat(fl);
      // Ratios pair by pair (same repetition), then the median of the ratios.
      const ratio = (other?: Figure) => (rb && other ? median(rb.samples.map((s, i) => other.samples[i] ? other.samples[i].seconds / s.seconds : NaN).filter((x) => !Number.isNaN(x))) : undefined);
      const speedupVsAnsible = ratio(an);
      const overFloor = rb && fl ? median(rb.samples.map((s, i) => s.seconds / fl.samples[i].seconds)) : undefined;
      rows.push(`| ${n} | ${scenario} | ${rs ? `${fmt(rs.median)} (${fmt(rs.min)}–${fmt(rs.max)})` : '-'} | ${as ? fmt(as.median) : '-'} | ${fs_ ? fmt(fs_.median) : '-'} | ${speedupVsAnsible ? `${speedupVsAnsible.toFixed(1)}× faster` : '-'} | ${overFloor ? `${overFloor.toFixed(2)}×` : '-'} | ${rs ? rs.peakRssMb.toFixed(0) : '-'} |`);
      results.push({ hosts: n, scenario, runbook: rs, ansible: as, floor: fs_, runbook_speedup_vs_ansible: speedupVsAnsible, runbook_over_floor: overFloor });
    }
  }
  const out = {
    date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, reps: o.reps, smoke: o.smoke, results,
    engine_only: engine,
    startup,
  };
  await fs.mkdir(path.join(benchDir, 'results'), { recursive: true });
  await fs.writeFile(path.join(benchDir, 'results', o.smoke ? 'smoke.json' : 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${rows.join('\n')}\n\nEngine only: ${engine.hosts} local pseudo-hosts × ${engine.tasks} tasks (no-op re-run): ${engine.cpuMsPerHostTask.toFixed(3)} ms CPU per host-task, ${fmt(engine.seconds)} s, peak ${engine.peakRssMb.toFixed(0)} MB\n`
    + `Start-up (${startup.runs} runs each, min / median): runbook --version ${startup.versionMin.toFixed(3)} / ${startup.versionMedian.toFixed(3)} s, node -e 0 ${startup.nodeMin.toFixed(3)} / ${startup.nodeMedian.toFixed(3)} s: ${startup.ratioOfMin.toFixed(2)}× (min ÷ min)\n`);
  await fs.rm(work, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
