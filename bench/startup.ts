// Start-up cost: `runbook --version` beside a bare `node -e 0`, run alternately so both see the same machine load.
// Reported as the minimum and median wall time of N runs each (the minimum is the least disturbed by other work).

import { spawnSync } from 'node:child_process';

export interface StartupFigures { runs: number; nodeMin: number; nodeMedian: number; versionMin: number; versionMedian: number; ratioOfMin: number }

function wallSeconds(argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measureStartup(cli: string, runs: number): StartupFigures {
  const node: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(wallSeconds([process.execPath, '-e', '0']));
    version.push(wallSeconds([process.execPath, cli, '--version']));
  }
  const nodeMin = Math.min(...node);
  const versionMin = Math.min(...version);
  return { runs, nodeMin, nodeMedian: median(node), versionMin, versionMedian: median(version), ratioOfMin: versionMin / nodeMin };
}
