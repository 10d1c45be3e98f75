// A one-line apt source ("deb [arch=amd64 signed-by=...] URL SUITE COMPONENTS") as a deb822 stanza for a .sources file.

import { ModuleError } from '../../engine/errors.js';

/** Option names of the one-line form and their deb822 field names. */
const FIELDS: Record<string, string> = { arch: 'Architectures', 'signed-by': 'Signed-By', trusted: 'Trusted', lang: 'Languages', target: 'Targets', 'pdiffs': 'PDiffs', 'by-hash': 'By-Hash' };

export function debLineToDeb822(line: string, signedBy?: string): string {
  const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)((?:\s+\S+)*)\s*$/.exec(line.trim());
  if (!m) throw new ModuleError(`cannot read the apt source "${line}" (deb [options] URL SUITE [COMPONENTS])`);
  const [, type, options = '', uri, suite, components] = m;
  const out = [`Types: ${type}`, `URIs: ${uri}`, `Suites: ${suite}`];
  if (components.trim()) out.push(`Components: ${components.trim().split(/\s+/).join(' ')}`);
  const opts = options.trim() ? options.trim().split(/\s+/) : [];
  for (const o of opts) {
    const [key, value = ''] = o.split('=');
    const field = FIELDS[key];
    if (!field) throw new ModuleError(`apt source option ${key} has no deb822 field here`);
    out.push(`${field}: ${field === 'Architectures' ? value.split(',').join(' ') : value}`);
  }
  if (signedBy && !opts.some((o) => o.startsWith('signed-by='))) out.push(`Signed-By: ${signedBy}`);
  return `${out.join('\n')}\n`;
}
