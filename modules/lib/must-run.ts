// Run a command that must succeed: a non-zero exit (or a signal) becomes a ModuleError saying what failed and why.

import { ModuleError } from '../../engine/errors.js';
import type { ExecResult, Host, RunOptions } from '../../engine/types.js';

/**
 * Runs argv on the host and returns its result; throws "<what> failed (exit N): <stderr, or stdout>" otherwise.
 * `what` defaults to the command line; pass words instead when argv is long or carries what must not be shown.
 */
export async function mustRun(host: Host, argv: string[], what = argv.join(' '), opts: RunOptions = {}): Promise<ExecResult> {
  const res = await host.run(argv, opts);
  if (res.code === 0) return res;
  const why = (res.stderr.trim() || res.stdout.trim()).split('\n').slice(-5).join('\n');
  throw new ModuleError(`${what} failed (${res.signal ? `signal ${res.signal}` : `exit ${res.code}`})${why ? `: ${why}` : ''}`);
}
