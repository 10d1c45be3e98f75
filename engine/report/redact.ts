// Secret redaction: values of vars named like secrets, of writeOnly args and of no_log tasks, once known, are masked
// wherever they appear; `name: value` lines with a secret-like name (any indent, diff prefix) are masked too.

export const REDACTED = '********';

/**
 * Var names treated as secrets: password, pass, pwd, token, secret, credentials, apikey, anything_key (not the ssh
 * `key` path var, nor names that merely contain one of these words, such as secret_name). Which module arguments are
 * secret is the modules' word (writeOnly in their schemas), not a list here.
 */
const SECRET_NAME = /(^|[_-])(password|passwd|pass|pwd|passphrase|token|secret|credentials?|apikey|key_data)$|^.+_key$/i;

/** Values shorter than this are masked under secret-like names only: as free text they would mask common words. */
const MIN_TEXT_LENGTH = 3;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Collect secret string values found under secret-named keys, or keys in `names`, at any depth. */
export function collectSecrets(vars: unknown, out: Set<string> = new Set(), depth = 0, names: ReadonlySet<string> = new Set()): Set<string> {
  if (depth > 8 || vars === null || typeof vars !== 'object') return out;
  for (const [k, v] of Object.entries(vars as Record<string, unknown>)) {
    if ((typeof v === 'string' || typeof v === 'number') && (isSecretName(k) || names.has(k))) out.add(String(v));
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

/** Every string (and number) leaf of a value: what a no_log task's args or a sealed entry may hide. */
export function stringLeaves(value: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 8) return out;
  if (typeof value === 'string' || typeof value === 'number') out.add(String(value));
  else if (Array.isArray(value)) value.forEach((v) => stringLeaves(v, out, depth + 1));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringLeaves(v, out, depth + 1));
  return out;
}

// `password: x`, `  db_pass = x`, `+    api_token: "x"` (a diff line), `export AWS_SECRET_ACCESS_KEY=x`.
const SECRET_LINE = /^([ \t+\-]*(?:export[ \t]+)?["']?)([A-Za-z0-9_.-]+)(["']?[ \t]*[:=][ \t]*)(\S.*)$/gm;

// Summaries modules write in place of a secret (user: "hash $6$, 106 chars"): already safe, and they show a change.
const SAFE_SUMMARY = /^(hash \S+, \d+ chars|locked, no password|\(unset\))$/;

/** Replaces every known secret in strings of a JSON-like value. */
export class Redactor {
  private secrets: string[] = [];
  add(values: Iterable<string>): void {
    let added = false;
    for (const v of values) {
      if (typeof v !== 'string' || v.trim().length < MIN_TEXT_LENGTH || v === REDACTED) continue;
      // Kubernetes Secret data and Basic auth carry secrets base64-encoded: redact that form too.
      for (const form of [v, Buffer.from(v).toString('base64')]) {
        if (!this.secrets.includes(form)) {
          this.secrets.push(form);
          added = true;
        }
      }
    }
    if (added) this.secrets.sort((a, b) => b.length - a.length); // longest first so substrings do not leave tails
  }
  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (!/[:=]/.test(out)) return out;
    return out.replace(SECRET_LINE, (line, lead: string, name: string, sep: string, rest: string) => (isSecretName(name) && rest !== REDACTED && !SAFE_SUMMARY.test(rest) ? `${lead}${name}${sep}${REDACTED}` : line));
  }
  value<T>(v: T): T {
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isSecretName(k) && (typeof x === 'string' || typeof x === 'number') ? REDACTED : this.value(x)])) as T;
    }
    return v;
  }
}
