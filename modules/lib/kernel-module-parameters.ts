// Kernel module parameters as the kernel reads and shows them: `modinfo -F parm` lines parsed, booleans read like
// Linux 6.1's kstrtobool and shown like sysfs (Y/N), integers compared by value.

/** `modinfo -F parm NAME` output ("PARAM:DESCRIPTION (TYPE)" per line) → parameter name → type ('' when not given). */
export function parseModinfoParameters(text: string): Record<string, string> {
  const declared: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const type = /\(([a-z0-9_ ]+)\)\s*$/.exec(line)?.[1] ?? '';
    declared[line.slice(0, colon).trim()] = type;
  }
  return declared;
}

/** A value as a bool parameter takes it (Linux 6.1 kstrtobool: y/t/1 or "on", n/f/0 or "off"), shown as sysfs does. */
export function kernelBool(value: string): 'Y' | 'N' | undefined {
  if (/^([yYtT1]|[oO][nN])/.test(value)) return 'Y';
  if (/^([nNfF0]|[oO][fF])/.test(value)) return 'N';
  return undefined;
}

const isBoolType = (type: string | undefined) => type === 'bool' || type === 'invbool';
/** An integer as kstrto*(base 0) reads it (decimal, 0x hex, leading-0 octal), or undefined. */
function integerValue(text: string): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const digits = match[2];
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10);
  return match[1] === '-' ? -magnitude : magnitude;
}

/**
 * Whether what sysfs shows (`shown`) is the value asked for (`wanted`, as written in a playbook): a bool parameter
 * (by its declared type, or a Y/N sysfs value) compares as kstrtobool reads the wanted value (true, yes, 1 → Y);
 * integers compare by value (0x10 is 16); anything else as text.
 */
export function sameParameterValue(shown: string, wanted: string, type?: string): boolean {
  if (isBoolType(type) || ((type === undefined || type === '') && (shown === 'Y' || shown === 'N'))) return kernelBool(wanted) === shown;
  const [a, b] = [integerValue(shown), integerValue(wanted)];
  if (a !== undefined && b !== undefined) return a === b;
  return shown === wanted;
}
