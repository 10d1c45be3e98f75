// How hosts are reached: run-wide connection settings and what a host's vars say about its transport.

import os from 'node:os';

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
