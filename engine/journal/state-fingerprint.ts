// The fingerprint of what a change produced: sha256 of the module's inspected state right after apply (keys in a
// stable order; `desired*` keys left out, as they describe the task, not the target). Rollback compares it with the
// state it finds: a difference means someone changed the target since, and reverting would overwrite that.

import { createHash } from 'node:crypto';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) if (!key.startsWith('desired')) out[key] = stable((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function fingerprintState(state: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(stable(state)) ?? 'undefined').digest('hex')}`;
}
