// Sensitive journal entries (no_log tasks, args holding secret values, changes a module flags sensitive) keep their
// data in a 0600 side file so the journal itself never shows a secret, while rollback still has everything it needs.

import { checkPrivate } from './private-state.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './journal.js';
import { sealedDir } from './run-record.js';
import { REDACTED, writeOnlyValues } from '../report/redact.js';
import type { RunContext } from '../run/run-state.js';

export async function sealIfSensitive(rc: Pick<RunContext, 'runDir' | 'redactor' | 'registry'>, entry: JournalEntry, noLog: boolean): Promise<JournalEntry> {
  // Arguments the module marks secret (writeOnly) are masked from now on, wherever they appear; the entry is sealed.
  rc.redactor.add(writeOnlyValues(secretSchema(rc, entry.module), entry.args));
  const visible = { args: entry.args, before: entry.before, changes: entry.changes };
  const redacted = rc.redactor.value(visible);
  const flagged = entry.changes.some((c) => c.sensitive);
  if (!noLog && !flagged && JSON.stringify(redacted) === JSON.stringify(visible)) return entry;
  const dir = sealedDir(rc.runDir);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.writeFile(path.join(dir, `${entry.host}-${entry.seq}.json`), JSON.stringify(visible), { mode: 0o600 });
  return { ...entry, args: REDACTED, before: REDACTED, changes: entry.changes.map((c) => ({ msg: noLog ? REDACTED : rc.redactor.text(c.msg) })), sealed: true } as JournalEntry;
}

function secretSchema(rc: Pick<RunContext, 'registry'>, module: string): Record<string, unknown> | undefined {
  try {
    return rc.registry.resolve(module)?.schema;
  } catch {
    return undefined; // an ambiguous name was refused before anything ran
  }
}

/** The full entry for revert: sealed data read back from its side file. */
export async function unseal(runDir: string, entry: JournalEntry): Promise<JournalEntry> {
  if (!(entry as JournalEntry & { sealed?: boolean }).sealed) return entry;
  const file = path.join(sealedDir(runDir), `${entry.host}-${entry.seq}.json`);
  await checkPrivate(path.dirname(file), 'folder');
  await checkPrivate(file, 'file');
  const data = JSON.parse(await fs.readFile(file, 'utf8'));
  return { ...entry, ...data };
}
