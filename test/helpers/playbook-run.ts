// Shared by the playbook tests: an inventory of lab hosts, and the play/audit calls with their result readers.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { jsonEvents, runCli, type CliResult } from './cli.js';
import type { TestLab } from './lab.js';

export interface InventoryGroup { vars?: Record<string, unknown>; hosts: Record<string, Record<string, unknown>> }

/**
 * Writes DIR/inv/hosts.yml (JSON, which YAML reads) with the lab's key and known_hosts for every host and each
 * host's lab address; a host listed again in a later group keeps its vars from the first. Returns the inventory dir.
 */
export async function writeLabInventory(dir: string, lab: TestLab, groups: Record<string, InventoryGroup>): Promise<string> {
  const seen = new Set<string>();
  const children = Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, {
    ...(g.vars ? { vars: g.vars } : {}),
    hosts: Object.fromEntries(Object.entries(g.hosts).map(([h, vars]) => {
      const first = !seen.has(h);
      seen.add(h);
      return [h, first ? { address: lab.hosts.find((x) => x.name === h)!.address, ...vars } : vars];
    })),
  }]));
  const inv = path.join(dir, 'inv');
  await fs.mkdir(path.join(inv, 'group_vars'), { recursive: true });
  await fs.writeFile(path.join(inv, 'hosts.yml'), `${JSON.stringify({ all: { vars: { key: lab.keyPath, known_hosts: lab.knownHostsPath }, children } }, null, 2)}\n`);
  return inv;
}

export interface PlaybookRunner {
  play: (...args: string[]) => Promise<CliResult>;
  audit: (...args: string[]) => Promise<CliResult>;
  /** The recap's per-host counters. */
  recap: (stdout: string) => Record<string, Record<string, number>>;
  /** The failed and unreachable task events of a run, for assertion messages. */
  failures: (stdout: string) => string;
}

/** `runbook play|audit SITE -i inv EXTRA...` in dir, JSON events for play. */
export function playbookRunner(site: string, dir: () => string, extra: string[] = [], timeoutMs = 400_000): PlaybookRunner {
  return {
    play: (...args) => runCli(['play', site, '-i', 'inv', ...extra, '--format', 'json', ...args], { cwd: dir(), timeoutMs }),
    audit: (...args) => runCli(['audit', site, '-i', 'inv', ...extra, ...args], { cwd: dir(), timeoutMs }),
    recap: (stdout) => jsonEvents(stdout).find((e) => e.event === 'recap')!.hosts,
    failures: (stdout) => JSON.stringify(jsonEvents(stdout).filter((e) => (e.event === 'task' && (e.status === 'failed' || e.status === 'unreachable')) || e.event === 'rollback'), null, 1),
  };
}

/** The idempotence check every playbook test makes: a second run changes nothing, then the audit finds no drift. */
export async function expectSecondRunQuietAndNoDrift(r: PlaybookRunner, hosts: string[], auditArgs: string[] = []): Promise<void> {
  const res = await r.play();
  expect(res.code, r.failures(res.stdout) + res.stderr).to.equal(0);
  const recap = r.recap(res.stdout);
  for (const h of hosts) expect(recap[h]?.changed, `${h} changed on the second run`).to.equal(0);
  const a = await r.audit(...auditArgs);
  expect(a.code, a.stdout.slice(-3000)).to.equal(0);
  for (const h of hosts) expect(a.stdout).to.contain(`${h}: no drift`);
}
