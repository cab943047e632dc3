/**
 * A deep copy of `value` with fields set or (with `undefined`) removed by path, e.g.
 * `{ 'payload.subjects.goods[0].hsCode': 'x' }` — for building invalid inputs without `any`.
 */
export function withChanges<T>(value: T, changes: Readonly<Record<string, unknown>>): T {
  const copy = structuredClone(value);
  for (const [path, v] of Object.entries(changes)) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
    let target = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    const last = keys[keys.length - 1] as string;
    if (v === undefined) delete target[last];
    else target[last] = v;
  }
  return copy;
}
