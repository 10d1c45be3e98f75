// Text from hosts made safe for a terminal: control characters (ESC, CR, backspace, C1, bidi overrides) are shown
// escaped, so a target's output cannot erase a "failed" line or paint a fake "ok".

// C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidi embeddings/overrides/isolates.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** One string with every unsafe character written as \xNN (or \uNNNN). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Every string of an event (any depth) made terminal-safe. */
export function terminalSafeValue<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafeValue(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalSafeValue(v)])) as T;
  return value;
}
