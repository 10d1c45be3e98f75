// SUDO_ASKPASS helpers: the sudo password is handed to sudo's prompt by a tiny program, never to the command's stdin.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteArg } from '../template/shell-quote.js';

/** Shell lines (for a remote `sh` whose private temp dir is "$T") that create "$T/askpass", printing "$T/password". */
export const REMOTE_ASKPASS_SETUP = `printf '#!/bin/sh\\nexec cat "%s/password"\\n' "$T" > "$T/askpass"; chmod 700 "$T/askpass"; SUDO_ASKPASS="$T/askpass"; export SUDO_ASKPASS`;

/** Local: run fn with SUDO_ASKPASS set to a helper in a private 0700 directory, removed afterwards. */
export async function withLocalAskpass<T>(password: string, fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), '.runbook-askpass-'));
  try {
    await fs.chmod(dir, 0o700);
    await fs.writeFile(path.join(dir, 'password'), `${password}\n`, { mode: 0o600 });
    await fs.writeFile(path.join(dir, 'askpass'), `#!/bin/sh\nexec cat ${quoteArg(path.join(dir, 'password'))}\n`, { mode: 0o700 });
    return await fn({ SUDO_ASKPASS: path.join(dir, 'askpass') });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
