// Mapping ↔ list conversions shared by the template helpers and the loop keywords (Ansible's dict2items/items2dict).

/** {a: 1} → [{key: 'a', value: 1}], in the mapping's order. */
export function dict2items(mapping: Record<string, unknown>, keyName = 'key', valueName = 'value'): Array<Record<string, unknown>> {
  return Object.keys(mapping).map((k) => ({ [keyName]: k, [valueName]: mapping[k] }));
}

/** [{key: 'a', value: 1}] → {a: 1}; the inverse of dict2items. */
export function items2dict(items: unknown[], keyName = 'key', valueName = 'value'): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const item of items) {
    if (item && typeof item === 'object') out[String((item as Record<string, unknown>)[keyName])] = (item as Record<string, unknown>)[valueName];
  }
  return out;
}
