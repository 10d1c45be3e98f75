// `npm run bench:slices`: one process on H lab hosts against S slices of H/S run side by side (as the Kubernetes Job's
// pods would), on bench/playbooks/node-prep.yml (20 tasks). Wall time of the first (converging) run of each, the
// merged recap compared with the single run's, each rolled back after. Not a test: nothing asserts a time.
// Usage: node dist/bench/slices.js [--hosts 40] [--slices 4]

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '../engine/lab/lab.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const cli = path.join(repo, 'dist', 'engine', 'main.js');
const playbook = path.join(repo, 'bench', 'playbooks', 'node-prep.yml');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function runbook(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; seconds: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    // Bounded: a run that takes longer than 30 minutes is killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, seconds: Number(process.hrtime.bigint() - started) / 1e9 }); });
  });
}

const events = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
const recapOf = (stdout: string) => events(stdout).find((e) => e.event === 'recap')!;

async function main(): Promise<void> {
  const hosts = option('--hosts', 40);
  const slices = option('--slices', 4);
  const name = `bs${process.pid % 10000}`;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-bench-slices-'));
  const lab = await labUp({ name, hosts });
  try {
    const forks = ['-f', String(hosts)];
    const single = await runbook(['play', playbook, '-i', lab.inventoryPath, '--format', 'json', ...forks], dir);
    if (single.code !== 0) throw new Error(`single run failed:\n${single.stdout.slice(-3000)}`);
    await runbook(['rollback', recapOf(single.stdout).run], dir);
    const sliceDirs = await Promise.all(Array.from({ length: slices }, (_, i) => fs.mkdir(path.join(dir, `slice-${i + 1}`)).then(() => path.join(dir, `slice-${i + 1}`))));
    const started = process.hrtime.bigint();
    const parts = await Promise.all(sliceDirs.map((d, i) => runbook(['play', playbook, '-i', lab.inventoryPath, '--format', 'json', '--slice', `${i + 1}/${slices}`, ...forks], d)));
    const slicedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const runDirs = parts.map((p, i) => path.join(sliceDirs[i], '.runbook', 'runs', recapOf(p.stdout).run));
    const merged = await runbook(['merge', ...runDirs, '--format', 'json'], dir);
    const same = JSON.stringify(sortKeys(recapOf(merged.stdout).hosts)) === JSON.stringify(sortKeys(recapOf(single.stdout).hosts));
    // The first runs start from different states where a rollback cannot undo a task (irreversible): the converged
    // (no-op) runs are compared too, one process against the slices merged.
    const noopSingle = await runbook(['play', playbook, '-i', lab.inventoryPath, '--format', 'json', ...forks], dir);
    const noopParts = await Promise.all(sliceDirs.map((d, i) => runbook(['play', playbook, '-i', lab.inventoryPath, '--format', 'json', '--slice', `${i + 1}/${slices}`, ...forks], d)));
    const noopMerged = await runbook(['merge', ...noopParts.map((p, i) => path.join(sliceDirs[i], '.runbook', 'runs', recapOf(p.stdout).run)), '--format', 'json'], dir);
    const noopSame = JSON.stringify(sortKeys(recapOf(noopMerged.stdout).hosts)) === JSON.stringify(sortKeys(recapOf(noopSingle.stdout).hosts));
    const differing = Object.keys(recapOf(single.stdout).hosts).filter((h) => JSON.stringify(recapOf(single.stdout).hosts[h]) !== JSON.stringify(recapOf(merged.stdout).hosts[h]));
    if (differing.length > 0) console.log(`first runs differ on ${differing.length} hosts, e.g. ${differing[0]}: single ${JSON.stringify(recapOf(single.stdout).hosts[differing[0]])}, sliced ${JSON.stringify(recapOf(merged.stdout).hosts[differing[0]])}`);
    await runbook(['rollback', recapOf(merged.stdout).run], dir);
    const result = {
      date: new Date().toISOString(), hosts, slices, tasks: 20, cpus: os.cpus().length, load: os.loadavg()[0],
      single_seconds: round(single.seconds), sliced_seconds: round(slicedSeconds), slice_seconds: parts.map((p) => round(p.seconds)),
      merge_seconds: round(merged.seconds), merged_recap_equals_single: same,
      noop_single_seconds: round(noopSingle.seconds), noop_slice_seconds: noopParts.map((p) => round(p.seconds)), noop_merged_recap_equals_single: noopSame,
    };
    console.log(`| run | hosts | wall (s) |\n|---|---|---|\n| one process | ${hosts} | ${result.single_seconds} |\n| ${slices} slices side by side | ${slices} × ${hosts / slices} | ${result.sliced_seconds} (slices: ${result.slice_seconds.join(', ')}) |\n| merge | | ${result.merge_seconds} |\n| no-op rerun, one process | ${hosts} | ${result.noop_single_seconds} |\n| no-op rerun, slices | ${slices} × ${hosts / slices} | slices: ${result.noop_slice_seconds.join(', ')} |\n\nmerged recap equals the single run's: first run ${same}, no-op rerun ${noopSame}; load average at the end: ${result.load.toFixed(1)} on ${result.cpus} CPUs`);
    await fs.mkdir(path.join(repo, 'bench', 'results'), { recursive: true });
    await fs.writeFile(path.join(repo, 'bench', 'results', `slices-${hosts}x${slices}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await labDown(name);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function round(n: number): number { return Math.round(n * 10) / 10; }

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

await main();
