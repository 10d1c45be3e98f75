// sysctl.conf-style files: `key = value` lines, comments kept; and the kernel module behind a missing key.

/** Values compare after whitespace normalisation ("4096   87380 6291456" = "4096 87380 6291456"). */
export function normalizeSysctlValue(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}

export function parseSysctlConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out.set(line.slice(0, eq).trim().replace(/^-/, '').replace(/\//g, '.'), normalizeSysctlValue(line.slice(eq + 1)));
  }
  return out;
}

function keyOf(line: string): string | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#') || t.startsWith(';') || !t.includes('=')) return undefined;
  return t.slice(0, t.indexOf('=')).trim().replace(/^-/, '').replace(/\//g, '.');
}

/** Set (or with value undefined, remove) one key, keeping every other line as written. */
export function setSysctlConf(text: string, key: string, value: string | undefined): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let done = false;
  const out: string[] = [];
  for (const l of lines) {
    if (keyOf(l) === key) {
      if (value !== undefined && !done) out.push(`${key} = ${value}`);
      done = true;
      continue;
    }
    out.push(l);
  }
  if (!done && value !== undefined) out.push(`${key} = ${value}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

const PROVIDERS: Array<[RegExp, string]> = [
  [/^net\.bridge\./, 'br_netfilter'],
  [/^net\.netfilter\.nf_conntrack/, 'nf_conntrack'],
  [/^net\.ipv4\.vs\./, 'ip_vs'],
  [/^net\.ipv6\./, 'ipv6'],
  [/^net\.ipv4\.tcp_(bbr|congestion)/, 'tcp_bbr'],
  [/^fs\.nfs\./, 'nfs'],
  [/^sunrpc\./, 'sunrpc'],
];

/** The kernel module that creates a sysctl key, when it is known. */
export function sysctlProvider(key: string): string | undefined {
  return PROVIDERS.find(([re]) => re.test(key))?.[1];
}
