// A host's identity: how it is reached (the machine behind a name), the key of run locks and of rollback's route check.

import os from 'node:os';
import { connectionKindOf } from './settings.js';

/**
 * How a host is reached, as one string: the key of its run lock, and what the journal records so that rollback
 * reaches the host the same way or not at all. Local: this machine; ssh: [jump_host>]address:port.
 */
export function hostIdentity(name: string, vars: Record<string, unknown>): string {
  if (connectionKindOf(name, vars) === 'local') return `local:${os.hostname()}`;
  const address = String(vars.address ?? name);
  const jump = typeof vars.jump_host === 'string' ? `${vars.jump_host}>` : '';
  return `ssh:${jump}${address.includes(':') ? `[${address}]` : address}:${String(vars.port ?? 22)}`;
}
