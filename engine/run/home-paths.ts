// `~` in a target path argument (`dest: ~/.bashrc`, `path: ~`): expanded on the target to the home of the user the
// connection logs in as (asked once per connection), before the module sees the argument.

import { ModuleError } from '../errors.js';
import type { Connection, ModuleDefinition } from '../types.js';

const homes = new WeakMap<Connection, Promise<string>>();

/** The login user's home on the target, as its shell expands `~`. */
function homeOf(connection: Connection): Promise<string> {
  let home = homes.get(connection);
  if (!home) {
    home = connection.exec(['sh', '-c', 'printf "%s" ~']).then((r) => {
      if (r.code !== 0 || !r.stdout.startsWith('/')) throw new ModuleError(`cannot find the login user's home on the target to expand '~' (${r.stderr.trim() || `got '${r.stdout}'`})`);
      return r.stdout;
    });
    homes.set(connection, home);
  }
  return home;
}

/** Arguments whose schema marks them as paths on the target (`targetPath`), written with a leading `~`. */
function homeRelative(module: ModuleDefinition, args: Record<string, unknown>): string[] {
  const properties = ((module.schema as { properties?: Record<string, { targetPath?: boolean }> }).properties ?? {});
  return Object.keys(args).filter((k) => properties[k]?.targetPath === true && typeof args[k] === 'string' && /^~(\/|$)/.test(args[k] as string));
}

/** Replace a leading `~` of target path arguments by the login user's home, in place. */
export async function expandHomePaths(module: ModuleDefinition, args: Record<string, unknown>, connection: Connection): Promise<void> {
  const keys = homeRelative(module, args);
  if (keys.length === 0) return;
  const home = await homeOf(connection);
  for (const k of keys) args[k] = `${home.replace(/\/$/, '')}${(args[k] as string).slice(1)}` || '/';
}
