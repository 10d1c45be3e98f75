// `runbook runs` and `runbook rollback RUN`: the journal of past runs, and undoing one later.

import path from 'node:path';
import type { CliIO, Format } from './io.js';
import { makeReporter } from './reporter.js';
import { EXIT } from './exit-codes.js';
import { hostIdentity, openConnection, loginUserOf, type ConnectionSettings } from '../connection/index.js';
import { describeFailure } from '../report/describe.js';
import { emptyFacts } from '../run/facts.js';
import { createHost } from '../run/host.js';
import { matchHosts } from '../inventory/host-patterns.js';
import { groupMembers, hostVars, loadInventory } from '../inventory/load-inventory.js';
import { JournalDamagedError, JournalWriter, pendingReverts, readJournal } from '../journal/journal.js';
import { journalFile, listRunIds, readRunMeta } from '../journal/run-record.js';
import { acquireHostLocks, userStateDir } from '../run/host-locks.js';
import { StateError } from '../journal/private-state.js';
import { loadRegistry } from '../load/packs.js';
import { revertHost } from '../journal/rollback.js';

export async function runsCommand(last: number, io: CliIO): Promise<void> {
  const ids = (await listRunIds(io.cwd)).slice(0, last);
  if (ids.length === 0) {
    io.out('no runs yet\n');
    return;
  }
  for (const id of ids) {
    const { meta, dir, refused } = await readRunMeta(io.cwd, id).then((r) => ({ ...r, refused: undefined }), (e) => ({ meta: undefined, dir: '', refused: e instanceof StateError ? e.message : undefined }));
    if (refused) io.out(`${id}  ${refused}\n`);
    if (!meta) continue;
    let changes: string;
    try {
      const lines = await readJournal(journalFile(dir)).catch((e) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
      changes = `changes=${pendingReverts(lines).filter((e) => e.reversible).length}`;
    } catch (e) {
      changes = e instanceof JournalDamagedError ? `journal damaged at line ${e.line}` : `journal unreadable (${describeFailure(e)})`;
    }
    const status = meta.status === 'running' ? 'running or crashed' : meta.status;
    io.out(`${id}  ${status.padEnd(18)} ${meta.check ? 'check ' : ''}${path.relative(io.cwd, meta.playbook) || meta.playbook}  hosts=${meta.hosts.length} ${changes}\n`);
  }
}

export async function rollbackCommand(run: string, o: { limit?: string; format: Format }, settings: ConnectionSettings, io: CliIO): Promise<number> {
  const { dir, meta } = await readRunMeta(io.cwd, run);
  const registry = await loadRegistry(io.cwd);
  const inventory = await loadInventory(meta.inventory);
  const lines = await readJournal(journalFile(dir));
  let hosts = [...new Set(pendingReverts(lines).map((e) => e.host))];
  if (o.limit) {
    const allowed = new Set(matchHosts(inventory, o.limit));
    hosts = hosts.filter((h) => allowed.has(h));
  }
  const reporter = makeReporter(o.format, io, { driftIsFailure: false });
  if (hosts.length === 0) {
    io.out(o.format === 'json' ? `${JSON.stringify({ event: 'rollback_done', run, hosts: {} })}\n` : `run ${run}: nothing to roll back\n`);
    return EXIT.ok;
  }
  const targets = hosts.map((name) => ({ name, identity: hostIdentity(name, name in inventory.hosts ? hostVars(inventory, name) : { connection: 'local' }) }));
  const release = await acquireHostLocks(userStateDir(io.env), targets, `rollback-${run}`, io.cwd);
  const journal = new JournalWriter(journalFile(dir));
  let ok = true;
  try {
    for (const name of hosts) {
      const vars = name in inventory.hosts ? hostVars(inventory, name) : { connection: 'local' };
      try {
        const conn = await openConnection(name, vars, settings);
        try {
          const host = createHost({
            name, connection: conn, facts: emptyFacts(name), vars, loginUser: loginUserOf(vars),
            become: { become: Boolean(vars.become ?? true), becomeUser: 'root', becomePassword: vars.become_password as string | undefined },
          });
          const steps = await revertHost({
            runDir: dir, registry, host, journal,
            context: { hostvars: {}, groups: groupMembers(inventory), playbookDir: path.dirname(meta.playbook) },
          });
          if (steps.some((s) => s.status === 'failed')) ok = false;
          reporter.onEvent({ event: 'rollback', host: name, steps });
        } finally {
          await conn.close();
        }
      } catch (e) {
        ok = false;
        reporter.onEvent({ event: 'rollback', host: name, steps: [{ task: '(connection)', module: '-', status: 'failed', msg: describeFailure(e) }] });
      }
    }
  } finally {
    await journal.close();
    await release();
  }
  reporter.finish();
  return ok ? EXIT.ok : EXIT.failed;
}
