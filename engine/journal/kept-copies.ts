// What a change asked the engine to keep before apply (a large file, a directory): copied into the run's kept/
// folder (0700, files 0600) as files beside the journal, never inside it; rollback hands them to revert.

import path from 'node:path';
import { downloadDirectory, downloadFile } from '../connection/chunked-transfer.js';
import type { Change, Host, RunOptions } from '../types.js';
import { checkPrivate, privateFolder } from './private-state.js';

/** One kept copy, as the journal entry records it (file relative to the run folder). */
export interface KeptCopy {
  path: string;
  kind: 'file' | 'directory';
  file: string;
}

const FOLDER = 'kept';

/** Copy every target the changes ask to keep; the journal entry records the result before apply runs. */
export async function keepCopies(host: Host, runDir: string, hostName: string, seq: number, changes: Change[]): Promise<KeptCopy[]> {
  const wanted = changes.flatMap((c) => (c.keep ? [c.keep] : []));
  if (wanted.length === 0) return [];
  const dir = await privateFolder(runDir, FOLDER);
  const run = (argv: string[], opts?: RunOptions) => host.run(argv, opts); // reads only
  const kept: KeptCopy[] = [];
  for (const [i, keep] of wanted.entries()) {
    // Host names are validated inventory names; the sequence number makes the name unique within the run.
    const file = path.join(FOLDER, `${hostName}-${seq}-${i}${keep.kind === 'directory' ? '.tar.gz' : '.bin'}`);
    if (keep.kind === 'directory') await downloadDirectory(run, keep.path, path.join(runDir, file));
    else await downloadFile(run, keep.path, path.join(runDir, file));
    kept.push({ ...keep, file });
  }
  return kept;
}

/** Target path → absolute controller file, for revert; each file checked private before it is trusted. */
export async function keptFiles(runDir: string, kept: KeptCopy[] | undefined): Promise<Record<string, string> | undefined> {
  if (!kept || kept.length === 0) return undefined;
  const out: Record<string, string> = Object.create(null);
  for (const k of kept) {
    const file = path.join(runDir, k.file);
    if (path.dirname(file) !== path.join(runDir, FOLDER)) throw new Error(`journal names a kept copy outside ${FOLDER}/: ${k.file}`);
    await checkPrivate(file, 'file');
    out[k.path] = file;
  }
  return out;
}
