// systemctl as modules use it: the "is this host running systemd" probe, one call, and a unit's state.

import { ModuleError } from '../../engine/errors.js';
import type { Host } from '../../engine/types.js';
import { mustRun } from './must-run.js';

export interface UnitState {
  active: boolean;
  /** systemctl is-enabled's word: enabled, disabled, static, masked, ... ('not-found' for an unknown unit). */
  enabled: string;
}

/** A systemd unit name as systemctl takes it: never an option (no leading '-'), no spaces or shell syntax. */
export const UNIT_NAME = { pattern: '^[A-Za-z0-9:_.@][A-Za-z0-9:_.@\\\\-]*$', patternHint: 'a unit name (letters, digits, :_.@- and \\ escapes; not starting with -)' };

export async function systemctl(host: Host, argv: string[]): Promise<{ code: number | null; out: string }> {
  const res = await host.run(['systemctl', ...argv]);
  return { code: res.code, out: `${res.stdout}${res.stderr}`.trim() };
}

/** Fails with a clear message on a host where systemd is not the init system. */
export async function requireSystemd(host: Host, module: string, what: string): Promise<void> {
  const probe = await host.run(['sh', '-c', 'command -v systemctl >/dev/null && [ -d /run/systemd/system ] && echo yes']);
  if (probe.stdout.trim() !== 'yes') {
    throw new ModuleError(`${host.name} does not run systemd (no /run/systemd/system): the ${module} module manages systemd units only; ${what}`);
  }
}

export async function readUnitState(host: Host, unit: string): Promise<UnitState> {
  const active = (await systemctl(host, ['is-active', '--quiet', '--', unit])).code === 0;
  const word = (await systemctl(host, ['is-enabled', '--', unit])).out.split('\n').pop() ?? '';
  return { active, enabled: /^[a-z-]+$/.test(word) ? word : 'not-found' };
}

/** Runs systemctl argv and throws with its output when it fails. */
export async function mustSystemctl(host: Host, argv: string[]): Promise<void> {
  await mustRun(host, ['systemctl', ...argv], `systemctl ${argv.filter((a) => a !== '--').join(' ')}`);
}
