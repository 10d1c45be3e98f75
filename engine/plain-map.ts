// Maps keyed by user-chosen names (hosts, groups, variables) without a prototype: a host named `__proto__` or a
// group named `constructor` is an ordinary key, never Object.prototype's.

/** An empty string-keyed map with no prototype. */
export function plainMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Object.fromEntries into a map with no prototype. */
export function plainMapOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = plainMap<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Copy own keys of each source into a new map with no prototype (Object.assign's Set on `__proto__` would not). */
export function mergedMap<T>(...sources: Array<Record<string, T> | undefined | null>): Record<string, T> {
  const out = plainMap<T>();
  for (const s of sources) if (s) for (const k of Object.keys(s)) out[k] = s[k];
  return out;
}
