/** Deletes the keys whose value is undefined (in place), so events carry no `"key": undefined` noise. */
export function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
