// Opens the right connection for a host from its vars (connection: local|ssh).

import { LocalConnection } from './local.js';
import type { Connection } from '../types.js';
import { connectionKindOf, type ConnectionSettings } from './settings.js';

export { connectionKindOf, defaultConnectionSettings, loginUserOf, type ConnectionSettings } from './settings.js';
export { hostIdentity } from './host-identity.js';

export async function openConnection(name: string, vars: Record<string, unknown>, settings: ConnectionSettings): Promise<Connection> {
  const kind = connectionKindOf(name, vars);
  if (kind === 'local') {
    const conn = new LocalConnection(settings.commandTimeoutMs);
    await conn.connect();
    return conn;
  }
  // The ssh transport lives in ./ssh.ts (loaded lazily so local-only runs never load ssh2).
  const { openSshConnection } = await import('./ssh.js');
  return openSshConnection(name, vars, settings);
}

