// `runbook runs` and `runbook rollback RUN`: the journal of past runs, and undoing one later.

import path from 'node:path';
import type { CliIO, Format } from './io.js';
import { makeReporter } from './reporter.js';
import { EXIT } from './exit-codes.js';
import { hostIdentity, type ConnectionSettings } from '../connection/index.js';
import { describeFailure } from '../report/describe.js';
import { matchHosts } from '../inventory/host-patterns.js';
import { groupMembers, hostVars, loadInventory } from '../inventory/load-inventory.js';
import { JournalDamagedError, JournalWriter, ownerOf, pendingReverts, readJournal } from '../journal/journal.js';
import { recordedRoutes } from './rollback-routes.js';
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

export async function rollbackCommand(run: string, o: { limit?: string; format: Format; force?: boolean }, settings: ConnectionSettings, io: CliIO): Promise<number> {
  const { dir, meta } = await readRunMeta(io.cwd, run);
  const registry = await loadRegistry(io.cwd);
  const inventory = await loadInventory(meta.inventory);
  const pending = pendingReverts(await readJournal(journalFile(dir)));
  // A host is rolled back with the changes made for it on delegates (delegate_to).
  let owners = [...new Set(pending.map(ownerOf))];
  if (o.limit) {
    const allowed = new Set(matchHosts(inventory, o.limit));
    owners = owners.filter((h) => allowed.has(h));
  }
  const reporter = makeReporter(o.format, io, { driftIsFailure: false });
  if (owners.length === 0) {
    io.out(o.format === 'json' ? `${JSON.stringify({ event: 'rollback_done', run, hosts: {} })}\n` : `run ${run}: nothing to roll back\n`);
    return EXIT.ok;
  }
  // Every machine touched is locked under the identity the journal recorded for it.
  const touched = new Map(pending.filter((e) => owners.includes(ownerOf(e))).map((e) => [e.host, e.route?.identity ?? hostIdentity(e.host, e.host in inventory.hosts ? hostVars(inventory, e.host) : {})]));
  const release = await acquireHostLocks(userStateDir(io.env), [...touched].map(([name, identity]) => ({ name, identity })), `rollback-${run}`, io.cwd);
  const journal = new JournalWriter(journalFile(dir));
  const routes = recordedRoutes(inventory, settings);
  let ok = true;
  try {
    for (const owner of owners) {
      const steps = await revertHost({
        runDir: dir, registry, owner, hostFor: routes.hostFor, journal, force: Boolean(o.force),
        context: { hostvars: {}, groups: groupMembers(inventory), playbookDir: path.dirname(meta.playbook) },
      });
      if (steps.some((s) => s.status === 'failed' || s.status === 'conflict')) ok = false;
      reporter.onEvent({ event: 'rollback', host: owner, steps });
    }
  } finally {
    await routes.closeAll();
    await journal.close();
    await release();
  }
  reporter.finish();
  return ok ? EXIT.ok : EXIT.failed;
}
