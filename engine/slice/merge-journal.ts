// `runbook merge`: the slices' journals joined into one (sequence numbers shifted past the previous slice's, sealed
// side files and kept copies carried with them), so `runbook rollback` of the merged run undoes every slice.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { journalFile, sealedDir } from '../journal/run-record.js';
import { readJournal, type JournalLine } from '../journal/journal.js';
import { checkPrivate, privateFolder } from '../journal/private-state.js';
import type { KeptCopy } from '../journal/kept-copies.js';

/** Appends one slice's journal to the merged run's; returns the offset the next slice starts from. */
export async function appendSliceJournal(mergedDir: string, sliceDir: string, sliceNumber: number, offset: number): Promise<number> {
  const lines: JournalLine[] = await readJournal(journalFile(sliceDir)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  let highest = offset;
  const out: string[] = [];
  for (const line of lines) {
    const seq = line.seq + offset;
    highest = Math.max(highest, seq);
    const moved: JournalLine = { ...line, seq };
    if (moved.type === 'change') {
      if ((line as { sealed?: boolean }).sealed) await copyPrivate(path.join(sealedDir(sliceDir), `${line.host}-${line.seq}.json`), path.join(await privateFolder(mergedDir, 'sealed'), `${line.host}-${seq}.json`));
      if (moved.kept) moved.kept = await Promise.all(moved.kept.map((k) => moveKept(mergedDir, sliceDir, sliceNumber, k)));
    }
    out.push(JSON.stringify(moved));
  }
  if (out.length > 0) await fs.appendFile(journalFile(mergedDir), `${out.join('\n')}\n`, { mode: 0o600 });
  return highest;
}

async function moveKept(mergedDir: string, sliceDir: string, sliceNumber: number, kept: KeptCopy): Promise<KeptCopy> {
  const file = path.join('kept', `slice${sliceNumber}-${path.basename(kept.file)}`);
  await privateFolder(mergedDir, 'kept');
  await copyPrivate(path.join(sliceDir, kept.file), path.join(mergedDir, file));
  return { ...kept, file };
}

/** A slice's state file is trusted only if private to this user (rollback would carry out what it says). */
async function copyPrivate(from: string, to: string): Promise<void> {
  await checkPrivate(from, 'file');
  await fs.copyFile(from, to);
  await fs.chmod(to, 0o600);
}
