// --tags / --skip-tags: the `always` tag runs unless skipped explicitly, `never` only when asked for.

export function isTaskSelected(tags: string[], only: string[], skip: string[]): boolean {
  if (skip.some((t) => tags.includes(t))) return false;
  if (tags.includes('never') && !only.some((t) => tags.includes(t))) return false;
  if (only.length === 0 || only.includes('all')) return true;
  return tags.includes('always') || only.some((t) => tags.includes(t));
}
