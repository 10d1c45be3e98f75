// Secret redaction: values of vars named like secrets and of no_log tasks never reach output or the journal.

export const REDACTED = '********';

/**
 * Var names treated as secrets: password, token, secret, anything_key (not the ssh `key` path var). Which module
 * arguments are secret is the modules' word (writeOnly in their schemas), not a list here.
 */
const SECRET_NAME = /(^|_)(password|passwd|passphrase|token|secret)$|^.+_key$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Collect secret string values found under secret-named keys, or keys in `names`, at any depth. */
export function collectSecrets(vars: unknown, out: Set<string> = new Set(), depth = 0, names: ReadonlySet<string> = new Set()): Set<string> {
  if (depth > 8 || vars === null || typeof vars !== 'object') return out;
  for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
    if (typeof v === 'string' && (isSecretName(k) || names.has(k)) && v.length >= 4) out.add(v);
    else if (typeof v === 'object') collectSecrets(v, out, depth + 1, names);
  }
  return out;
}

/** The arguments a module's schema marks secret (`writeOnly: true`). */
export function writeOnlyArguments(schema: Record<string, unknown> | undefined): string[] {
  const props = (schema?.properties ?? {}) as Record<string, { writeOnly?: boolean }>;
  return Object.keys(props).filter((k) => props[k]?.writeOnly === true);
}

/** The string values of a task's secret arguments (rendered or literal): masked in every output once known. */
export function writeOnlyValues(schema: Record<string, unknown> | undefined, args: unknown): string[] {
  if (!args || typeof args !== 'object') return [];
  return writeOnlyArguments(schema).map((k) => (args as Record<string, unknown>)[k]).filter((v): v is string => typeof v === 'string' && !v.includes('{{'));
}

interface TaskLike { module?: string; args?: Record<string, unknown>; block?: TaskLike[]; rescue?: TaskLike[]; always?: TaskLike[] }

/**
 * Variables whose values feed secret arguments ("key: '{{heketi_admin_key}}'" where the module marks key writeOnly):
 * their values are secrets wherever they appear, whatever their names. Literal secret values are added to `literals`.
 */
export function writeOnlyVariables(tasks: TaskLike[], schemaOf: (module: string) => Record<string, unknown> | undefined, literals: Set<string> = new Set()): Set<string> {
  const names = new Set<string>();
  const visit = (list: TaskLike[] | undefined) => {
    for (const t of list ?? []) {
      if (t.module) {
        const schema = schemaOf(t.module);
        for (const k of writeOnlyArguments(schema)) {
          const v = t.args?.[k];
          if (typeof v !== 'string') continue;
          for (const m of v.matchAll(/\{\{~?\s*([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
          if (!v.includes('{{') && v.length >= 4) literals.add(v);
        }
      }
      visit(t.block);
      visit(t.rescue);
      visit(t.always);
    }
  };
  visit(tasks);
  return names;
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
