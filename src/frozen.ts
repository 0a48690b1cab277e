// Module-level constants are shared by everything in the process that imports
// them: one caller writing into a default would change it for every later
// caller (a second engine in the same process, the next test file in a shared
// test worker). Frozen, such a write throws (modules run in strict mode) at the
// line that made it, instead of leaking into someone else's run.

/** Freezes `value` and every object and array inside it (not Maps, Sets or RegExps, which freezing does not protect); returns it with its type unchanged. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !(value instanceof Map) && !(value instanceof Set) && !(value instanceof RegExp)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
