/**
 * A copy without the keys whose value is undefined, so events carry no `"key": undefined` noise. Copies rather
 * than `delete`s: deleting keys turns V8 objects into slow dictionaries, which costs on a million events.
 */
export function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}
