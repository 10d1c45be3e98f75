// Secret redaction: values of vars named like secrets and of no_log tasks never reach output or the journal.

export const REDACTED = '********';

/** Var names treated as secrets: password, token, secret, *_key (not the ssh `key` path var). */
const SECRET_NAME = /(^|_)(password|passwd|passphrase|token|secret|api_key|private_key|jwt_key|admin_key|user_key|key_data)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Collect secret string values found under secret-named keys (any depth). */
export function collectSecrets(vars: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 8 || vars === null || typeof vars !== 'object') return out;
  for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
    if (typeof v === 'string' && isSecretName(k) && v.length >= 4) out.add(v);
    else if (typeof v === 'object') collectSecrets(v, out, depth + 1);
  }
  return out;
}

/** Replaces every known secret in strings of a JSON-like value. */
export class Redactor {
  private secrets: string[] = [];
  add(values: Iterable<string>): void {
    for (const v of values) {
      if (v.length < 4) continue;
      // Kubernetes Secret data and Basic auth carry secrets base64-encoded: redact that form too.
      for (const form of [v, Buffer.from(v).toString('base64')]) if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    this.secrets.sort((a, b) => b.length - a.length); // longest first so substrings do not leave tails
  }
  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
  value<T>(v: T): T {
    if (this.secrets.length === 0) return v;
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isSecretName(k) && typeof x === 'string' ? REDACTED : this.value(x)])) as T;
    }
    return v;
  }
}
