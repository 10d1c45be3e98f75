// Whole files a module writes or removes (repository sources, keyrings): shared by package_repository and apt_repository.

import path from 'node:path';
import type { Host } from '../../engine/types.js';
import { setAttributes } from './file-state.js';

/** One file to write (content) or remove (null); `mode` is then set on the written file. */
export interface FileWrite { path: string; content: string | null; mode?: number }

/** Writes (folder made first; an existing file keeps its mode and owner, a new one gets 0644) or removes each file, in order. */
export async function applyFileWrites(host: Host, writes: FileWrite[]): Promise<void> {
  for (const w of writes) {
    if (w.content === null) await host.run(['rm', '-f', '--', w.path]);
    else {
      await host.run(['mkdir', '-p', path.posix.dirname(w.path)]);
      await host.writeFile(w.path, w.content);
      if (w.mode !== undefined) await setAttributes(host, w.path, { mode: w.mode });
    }
  }
}
