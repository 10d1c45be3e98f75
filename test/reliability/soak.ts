// `npm run soak` (outside `npm test`): the load figure of docs/reliability.md. Brings up a lab of 50 hosts and runs
// the benchmark's node-preparation playbook 10 times back to back IN ONE PROCESS (first run changes, the others are
// no-ops), measuring after each run what a leak would grow: the controller's open file descriptors, heap and RSS,
// and on the hosts the sshd sessions and processes left behind. Bounded: --runs (default 10), --hosts (default 50),
// and a 20-minute deadline. Writes a markdown table to stdout and bench/results/soak.json; exits 1 on a leak.

import { existsSync, promises as fs, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executePlay } from '../../engine/cli/play-command.js';
import type { CliIO } from '../../engine/cli/io.js';
import { labDown, labUp } from '../../engine/lab/lab.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

/** Per network namespace: sshd processes and other processes (lab hosts share the PID namespace). One /proc scan. */
function processesByNetns(): Map<string, { sshd: number; other: number }> {
  const out = new Map<string, { sshd: number; other: number }>();
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const ns = readlinkSync(`/proc/${p}/ns/net`);
      const comm = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      const c = out.get(ns) ?? { sshd: 0, other: 0 };
      if (comm === 'sshd') c.sshd++;
      else c.other++;
      out.set(ns, c);
    } catch { /* gone */ }
  }
  return out;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the soak needs root (it brings up a lab of network namespaces)');
  const runs = arg('runs', 10);
  const hosts = arg('hosts', 50);
  const deadline = Date.now() + 20 * 60_000;
  const name = `soak${process.pid % 10000}`;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-soak-'));
  const io: CliIO = { out: () => {}, err: (s) => process.stderr.write(s), isTTY: false, env: process.env, cwd: work, abort: new AbortController().signal };
  const rows: Array<{ run: number; seconds: number; code: number; fds: number; heapMb: number; rssMb: number; sshd: number; hostProcs: number }> = [];
  try {
    const lab = await labUp({ name, hosts });
    // The network namespace of each host, to count what lives there after each run.
    const netns = lab.hosts.map((h) => readlinkSync(`/proc/${h.initPid}/ns/net`));
    const count = () => { const m = processesByNetns(); return netns.map((ns) => m.get(ns) ?? { sshd: 0, other: 0 }); };
    // Sessions of the lab's own start-up checks close within a moment: let them, then take the baseline.
    await new Promise((r) => setTimeout(r, 1500));
    const baseline = count();
    for (let run = 1; run <= runs && Date.now() < deadline; run++) {
      const t0 = Date.now();
      const code = await executePlay(path.join(repo, 'bench/playbooks/node-prep.yml'), {
        inventory: [lab.inventoryPath], tags: [], skipTags: [], extraVars: [], forks: String(hosts), format: 'json', rollback: true,
      }, io);
      global.gc?.();
      const fds = readdirSync('/proc/self/fd').length;
      const mem = process.memoryUsage();
      await new Promise((r) => setTimeout(r, 300)); // sessions end asynchronously after the run returns
      const after = count();
      rows.push({
        run, seconds: (Date.now() - t0) / 1000, code, fds, heapMb: mem.heapUsed / 1048576, rssMb: mem.rss / 1048576,
        sshd: after.reduce((n, x, i) => n + x.sshd - baseline[i].sshd, 0), hostProcs: after.reduce((n, x, i) => n + x.other - baseline[i].other, 0),
      });
      const r = rows[rows.length - 1];
      process.stderr.write(`soak run ${run}: ${r.seconds.toFixed(2)} s, exit ${code}, fds ${fds}, heap ${r.heapMb.toFixed(1)} MB, rss ${r.rssMb.toFixed(1)} MB, extra sshd ${r.sshd}, extra host procs ${r.hostProcs}\n`);
    }
  } finally {
    await labDown(name);
    await fs.rm(work, { recursive: true, force: true });
  }
  const table = ['| run | seconds | exit | controller fds | heap MB | RSS MB | sshd left on hosts | other processes left on hosts |', '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.run} | ${r.seconds.toFixed(2)} | ${r.code} | ${r.fds} | ${r.heapMb.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${r.sshd} | ${r.hostProcs} |`)];
  process.stdout.write(`${table.join('\n')}\n`);
  const second = rows[1] ?? rows[0];
  const last = rows[rows.length - 1];
  const leaks = [
    last.fds > second.fds + 5 ? `file descriptors grew from ${second.fds} to ${last.fds}` : '',
    last.heapMb > second.heapMb * 1.5 + 10 ? `heap grew from ${second.heapMb.toFixed(1)} to ${last.heapMb.toFixed(1)} MB` : '',
    // A leak persists and accumulates; one process still exiting right after a run is not one.
    last.sshd > 0 ? `${last.sshd} sshd sessions left open on the hosts after the last run` : '',
    last.hostProcs > 0 ? `${last.hostProcs} processes left behind on the hosts after the last run` : '',
    rows.some((r, i) => (i === 0 ? r.code !== 0 : r.code !== 0)) ? 'a run failed' : '',
  ].filter(Boolean);
  const out = path.join(repo, 'bench/results/soak.json');
  if (existsSync(path.dirname(out))) await fs.writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), hosts, rows, leaks }, null, 2)}\n`);
  if (leaks.length) {
    process.stderr.write(`soak: LEAK: ${leaks.join('; ')}\n`);
    process.exit(1);
  }
  process.stderr.write('soak: no growth between runs\n');
}

main().catch((e) => {
  process.stderr.write(`soak: ${(e as Error).stack}\n`);
  process.exit(1);
});
