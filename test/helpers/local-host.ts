// A Host on the local connection with real facts, for module tests that run against this machine's files.

import path from 'node:path';
import { LocalConnection } from '../../engine/connection/local.js';
import { gatherFacts } from '../../engine/run/facts.js';
import { createHost } from '../../engine/run/host.js';
import type { Facts, Host, ModuleContext } from '../../engine/types.js';
import os from 'node:os';

let cachedFacts: Facts | undefined;

export async function localHost(vars: Record<string, unknown> = {}): Promise<Host> {
  const connection = new LocalConnection();
  cachedFacts ??= await gatherFacts(connection);
  return createHost({
    name: 'localhost',
    connection,
    facts: cachedFacts,
    vars,
    loginUser: os.userInfo().username,
    become: { become: false, becomeUser: 'root' },
  });
}

/** A ModuleContext for direct module calls; render does plain {{var}} substitution-free passthrough unless given. */
export function moduleContext(overrides: Partial<ModuleContext> = {}): ModuleContext {
  return {
    task: 'test task',
    hostvars: {},
    groups: {},
    playbookDir: process.cwd(),
    vars: {},
    render: (t: string) => t,
    controllerPath: async (_arg: string, value: string) => path.resolve(overrides.playbookDir ?? process.cwd(), value),
    ...overrides,
  };
}
