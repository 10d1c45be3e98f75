// Host lists folded for people: node1,node2,node3,db1 → "db1, node1-3".

/** Numeric runs of one prefix folded into ranges; other names as they are; sorted. */
export function foldHostNames(names: string[]): string {
  const byPrefix = new Map<string, number[]>();
  const plain: string[] = [];
  for (const n of names) {
    const m = /^(.*?)(\d+)$/.exec(n);
    if (m && String(Number(m[2])) === m[2]) byPrefix.set(m[1], [...(byPrefix.get(m[1]) ?? []), Number(m[2])]);
    else plain.push(n);
  }
  const parts = [...new Set(plain)];
  for (const [prefix, nums] of byPrefix) {
    const sorted = [...new Set(nums)].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length;) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      parts.push(j > i ? `${prefix}${sorted[i]}-${sorted[j]}` : `${prefix}${sorted[i]}`);
      i = j + 1;
    }
  }
  return parts.sort().join(', ');
}

/** At most `max` names, then "(+N more)". */
export function someHostNames(names: string[], max: number): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} (+${names.length - max} more)`;
}
