// Opens the right connection for a host from its vars (connection: local|ssh).

import os from 'node:os';
import { LocalConnection } from './local.js';
import type { Connection } from '../types.js';

export interface ConnectionSettings {
  /** --accept-new-host-keys */
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export const defaultConnectionSettings: ConnectionSettings = {
  acceptNewHostKeys: false,
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 10 * 60_000,
};

/** The user a connection logs in as (decides whether become needs sudo). */
export function loginUserOf(vars: Record<string, unknown>): string {
  if ((vars.connection ?? 'ssh') === 'local') return os.userInfo().username;
  return String(vars.user ?? 'root');
}

/** Connection kind: explicit `connection`, else local for localhost without an address, else ssh. */
export function connectionKindOf(name: string, vars: Record<string, unknown>): 'local' | 'ssh' {
  if (vars.connection === 'local' || vars.connection === 'ssh') return vars.connection;
  return (name === 'localhost' || name === '127.0.0.1') && vars.address === undefined ? 'local' : 'ssh';
}

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
