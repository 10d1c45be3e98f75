// The differential conformance suite: every case in cases/ runs as an Ansible playbook and as its runbook twin on
// fresh lab hosts, and must end with the same exit class, per-task statuses, host state and step order (README.md).

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRoot } from '../helpers/lab.js';
import type { TestLab } from '../helpers/lab.js';
import { repoRoot } from '../helpers/paths.js';
import { readCases, type ConformanceCase } from './case-file.js';
import { deliberateProblems, differences, type Observed } from './compare.js';
import { conformanceLabDown, conformanceLabUp } from './conformance-lab.js';
import { caseDir, orderLog, orderSignature, resetHost, snapshot } from './host-state.js';
import { ansibleConfig, labHostOf, prepareTool, runAnsible, runRunbook, type Tool, type ToolRun } from './tool-runs.js';

const sourceDir = path.join(repoRoot, 'test', 'conformance');
const knownFile = path.join(sourceDir, 'known-differences.json');
const only = process.env.CONF_CASE ? new RegExp(process.env.CONF_CASE) : undefined;
const jobs = Number(process.env.CONF_JOBS ?? 6);

/** A later run of the same case: its tasks are named "run N: task", its failure wins the exit code. */
function mergeRuns(first: ToolRun, later: ToolRun, n: number): ToolRun {
  const tasks = new Map(first.tasks);
  for (const [name, hosts] of later.tasks) tasks.set(`run ${n}: ${name}`, hosts);
  return { code: first.code !== 0 ? first.code : later.code, output: `${first.output}\n${later.output}`, tasks, notes: [...first.notes, ...later.notes] };
}

/** Opens the case's gate on the waiter host once the opener host logged the label (or the time is up, or the run ended). */
async function keepGate(lab: TestLab, c: ConformanceCase, tool: Tool, running: Promise<unknown>): Promise<void> {
  const g = c.gate!;
  let ended = false;
  void running.finally(() => { ended = true; });
  const opener = labHostOf(lab, tool, Number(g.opener.slice(1))).name;
  const deadline = Date.now() + g.seconds * 1000;
  while (!ended && Date.now() < deadline) {
    const log = (await lab.readFile(opener, `${caseDir(c.id)}/order.log`)) ?? '';
    if (log.split('\n').some((l) => l.split(' ')[1] === g.label)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await lab.exec(labHostOf(lab, tool, Number(g.waiter.slice(1))).name, ['touch', `${caseDir(c.id)}/gate`]);
}

async function observe(lab: TestLab, c: ConformanceCase, tool: Tool, root: string, config: string): Promise<Observed> {
  const dir = await prepareTool(lab, c, tool, root);
  let run!: ToolRun;
  for (let n = 1; n <= c.runs; n++) {
    const running = tool === 'ansible' ? runAnsible(dir, config, [...c.args, ...c.ansibleArgs]) : runRunbook(dir, [...c.args, ...c.runbookArgs]);
    const [r] = await Promise.all([running, c.gate ? keepGate(lab, c, tool, running) : undefined]);
    run = n === 1 ? r : mergeRuns(run, r, n);
  }
  const state: Record<string, string> = {};
  const records = [];
  for (let i = 1; i <= c.hosts; i++) {
    const host = labHostOf(lab, tool, i).name;
    state[`h${i}`] = await snapshot(lab, host, [caseDir(c.id), ...c.compare]);
    if (c.order) records.push(...(await orderLog(lab, host, `h${i}`, c.id)));
  }
  return { run, state, order: c.order ? orderSignature(records) : undefined };
}

async function runCase(lab: TestLab, c: ConformanceCase, root: string, config: string): Promise<string[]> {
  const resets = [];
  for (let i = 1; i <= c.hosts; i++) for (const tool of ['ansible', 'runbook'] as const) resets.push(resetHost(lab, labHostOf(lab, tool, i).name, c.id, c.setup));
  await Promise.all(resets);
  const [a, b] = await Promise.all([observe(lab, c, 'ansible', root, config), observe(lab, c, 'runbook', root, config)]);
  const problems = c.deliberate ? deliberateProblems(c, a, b) : differences(c, a, b);
  return problems.length === 0 ? [] : [...problems, `--- ansible notes:\n${a.run.notes.join('\n')}`, `--- runbook notes:\n${b.run.notes.join('\n')}`];
}

describe('conformance: runbook against Ansible, the oracle', function () {
  this.timeout(900_000);
  const cases = readCases(path.join(sourceDir, 'cases')).filter((c) => !only || only.test(c.id));
  const known = JSON.parse(readFileSync(knownFile, 'utf8')) as Record<string, string>;
  const results = new Map<string, string[] | Error>();
  let root = '';

  before(async function () {
    if (!isRoot()) {
      // eslint-disable-next-line no-console
      console.warn('\n  *** SKIPPED: the conformance suite needs root on Linux (lab hosts); CI runs as root ***\n');
      this.skip();
    }
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    const maxHosts = Math.max(1, ...cases.map((c) => c.hosts));
    const lab = await conformanceLabUp(maxHosts);
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-conformance-'));
    const config = path.join(root, 'ansible.cfg');
    await fs.mkdir(path.join(root, 'cp'));
    await fs.writeFile(config, ansibleConfig(lab, path.join(root, 'cp')));
    // Cases that compare paths outside their own directory (/etc/passwd, /etc/hostname) run alone, after the others.
    const queue = cases.filter((c) => c.compare.length === 0);
    await Promise.all(Array.from({ length: jobs }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        results.set(c.id, await runCase(lab, c, root, config).catch((e: Error) => e));
      }
    }));
    for (const c of cases.filter((x) => x.compare.length > 0)) results.set(c.id, await runCase(lab, c, root, config).catch((e: Error) => e));
  });

  after(async function () {
    this.timeout(60_000);
    if (!isRoot()) return;
    if (!process.env.RUNBOOK_KEEP_LAB) await conformanceLabDown();
    if (root && !process.env.RUNBOOK_KEEP_LAB) await fs.rm(root, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.id}: ${c.description}`, function () {
      const r = results.get(c.id);
      if (r instanceof Error) throw r;
      expect(r, 'the case did not run').to.not.equal(undefined);
      if (known[c.id]) {
        // eslint-disable-next-line no-console
        if (r!.length > 0) console.log(`      known difference (${known[c.id]}):\n        ${r![0].split('\n').join('\n        ')}`);
        return;
      }
      if (r!.length > 0) expect.fail(`${c.file} differs from Ansible:\n${r!.join('\n')}`);
    });
  }

  it('known-differences.json lists only cases that still differ', function () {
    const listed = Object.keys(known).filter((id) => !only || only.test(id));
    const missing = listed.filter((id) => !cases.some((c) => c.id === id));
    expect(missing, 'known-differences.json names cases that are not in cases/').to.deep.equal([]);
    const conforming = listed.filter((id) => { const r = results.get(id); return Array.isArray(r) && r.length === 0; });
    if (conforming.length > 0) expect.fail(conforming.map((id) => `case ${id} now conforms: remove it from known-differences.json`).join('\n'));
  });
});
