// Growing a typed array: a larger copy, new cells set to `fill`.
type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;

export function grown<T extends Typed>(a: T, length: number, fill = 0): T {
  if (length <= a.length) return a;
  const out = new (a.constructor as new (n: number) => T)(length);
  if (fill !== 0) out.fill(fill);
  out.set(a);
  return out;
}
