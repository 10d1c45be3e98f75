// Key ids as Ansible's apt_key reads them: the id argument split into short (8), compared (16) and full forms, and the
// key ids in `apt-key adv --list-public-keys --keyid-format=long` output.

import { ModuleError } from '../../engine/errors.js';

export interface KeyIdForms { short: string; fingerprint: string; full: string }

/** Ansible's parse_key_id: hex with an optional 0x, 8, 16 or more than 16 digits. */
export function parseKeyId(id: string): KeyIdForms {
  let full = id.trim().toUpperCase();
  if (full.startsWith('0X')) full = full.slice(2);
  if (!/^[0-9A-F]+$/.test(full) || ((full.length !== 8 && full.length !== 16) && full.length <= 16)) {
    throw new ModuleError(`Invalid key_id ${JSON.stringify(id)}: 8, 16 or more hexadecimal digits (a leading 0x is allowed)`);
  }
  return { short: full.slice(-8), fingerprint: full.length > 16 ? full.slice(-16) : full, full };
}

/** Ansible's parse_output_for_keys: the ids of pub and sub lines not marked expired (8-digit ids when short). */
export function listedKeyIds(output: string, short: boolean): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue;
    const code = line.split(/\s+/)[1] ?? '';
    const [, real] = code.split('/');
    if (code.includes('/') && code.split('/').length === 2) found.push(real);
    else if (line.split(':').length > 4) found.push(line.split(':')[4]);
  }
  return short ? found.map((k) => k.slice(-8)) : found;
}
