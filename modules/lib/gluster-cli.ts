// Running the gluster CLI on a host: script mode, XML output, read through the cliOutput envelope; glusterd that has
// just been started is waited for (bounded) instead of failing the task.

import { ModuleError } from '../../engine/errors.js';
import type { Host } from '../../engine/types.js';
import { parseCliOutput, type CliOutput } from './gluster-xml.js';

/** `gluster --mode=script --xml ARGV` on the host; success is opRet 0 (the caller decides), never the exit code. */
export async function gluster(host: Host, argv: string[]): Promise<CliOutput> {
  const res = await host.run(['gluster', '--mode=script', '--xml', ...argv], { timeoutMs: 120_000 });
  if (res.code === 127) throw new ModuleError(`gluster is not installed on ${host.name} (install glusterfs-server)`);
  return parseCliOutput(res.stdout);
}

/** A read that waits (up to 15 s) while glusterd is not answering yet; other failures are the caller's to judge. */
export async function glusterRead(host: Host, argv: string[]): Promise<CliOutput> {
  let out = await gluster(host, argv);
  for (let i = 0; i < 30 && out.opRet !== 0 && /Connection failed/.test(out.opErrstr); i++) {
    await new Promise((r) => setTimeout(r, 500));
    out = await gluster(host, argv);
  }
  return out;
}

/** Runs a changing command and throws a ModuleError naming it when gluster says it failed. */
export async function glusterMust(host: Host, argv: string[]): Promise<CliOutput> {
  const out = await gluster(host, argv);
  if (out.opRet !== 0) throw new ModuleError(`gluster ${argv.join(' ')} failed (opErrno ${out.opErrno}): ${out.opErrstr || 'no message'}`);
  return out;
}
