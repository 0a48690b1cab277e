// Rolling time windows without per-event allocation: each entity (a token or a
// market) owns B slots of `bucketMs` each in flat typed arrays, one array per
// field. A slot is cleared lazily when the entity's clock moves past it, so a
// quiet entity costs nothing and memory is fixed at capacity × B × fields.
//
// Window semantics: a read at `now` sums the B buckets ending with the one that
// holds `now` (the current one partial), so it covers between W − bucketMs and W.

export interface RingLayout {
  /** Number of Float64 fields (sums that need full precision). */
  f64: number;
  /** Number of Float32 fields (counts, prices, depth sums). */
  f32: number;
}

export class BucketRing {
  readonly buckets: number;
  readonly bucketMs: number;
  readonly windowMs: number;
  capacity: number;
  /** f64[k][entity * buckets + slot] */
  f64: Float64Array[];
  f32: Float32Array[];
  /** Bucket number (floor(t / bucketMs)) last written per entity; -1 = never. */
  last: Float64Array;

  constructor(windowMs: number, buckets: number, layout: RingLayout, capacity: number) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1) throw new Error(`bad ring: window ${windowMs} ms, ${buckets} buckets`);
    this.windowMs = windowMs;
    this.buckets = buckets;
    this.bucketMs = windowMs / buckets;
    this.capacity = capacity;
    this.f64 = Array.from({ length: layout.f64 }, () => new Float64Array(capacity * buckets));
    this.f32 = Array.from({ length: layout.f32 }, () => new Float32Array(capacity * buckets));
    this.last = new Float64Array(capacity).fill(-1);
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const n = capacity * this.buckets;
    this.f64 = this.f64.map((a) => copyInto(new Float64Array(n), a));
    this.f32 = this.f32.map((a) => copyInto(new Float32Array(n), a));
    const last = new Float64Array(capacity).fill(-1);
    last.set(this.last);
    this.last = last;
    this.capacity = capacity;
  }

  bucketOf(now: number): number {
    return Math.floor(now / this.bucketMs);
  }

  /** Flat index of the slot for `now`, clearing every slot the entity's clock skipped. */
  slot(i: number, now: number): number {
    const B = this.buckets;
    let b = Math.floor(now / this.bucketMs);
    const last = this.last[i]!;
    // Time never runs backwards inside a ring: a late event lands in the newest bucket.
    if (b <= last) b = last;
    else this.advance(i, last, b);
    return i * B + (b % B);
  }

  /** Empties an entity's slots (slot reuse, resets). */
  clear(i: number): void {
    const B = this.buckets;
    for (const a of this.f64) a.fill(0, i * B, i * B + B);
    for (const a of this.f32) a.fill(0, i * B, i * B + B);
    this.last[i] = -1;
  }

  private advance(i: number, last: number, b: number): void {
    const B = this.buckets;
    const base = i * B;
    if (last < 0 || b - last >= B) {
      for (const a of this.f64) a.fill(0, base, base + B);
      for (const a of this.f32) a.fill(0, base, base + B);
    } else {
      for (let k = last + 1; k <= b; k++) {
        const s = base + (k % B);
        for (let f = 0; f < this.f64.length; f++) this.f64[f]![s] = 0;
        for (let f = 0; f < this.f32.length; f++) this.f32[f]![s] = 0;
      }
    }
    this.last[i] = b;
  }

  /** Sum of one Float64 field over the window. */
  sum64(i: number, now: number, field: number): number {
    const last = this.last[i]!;
    if (last < 0) return 0;
    const B = this.buckets;
    const b = Math.max(Math.floor(now / this.bucketMs), last);
    const a = this.f64[field]!;
    let s = 0;
    for (let k = Math.max(0, b - B + 1, last - B + 1); k <= last; k++) s += a[i * B + (k % B)]!;
    return s;
  }

  /** Sum of one Float32 field over the window. */
  sum32(i: number, now: number, field: number): number {
    const last = this.last[i]!;
    if (last < 0) return 0;
    const B = this.buckets;
    const b = Math.max(Math.floor(now / this.bucketMs), last);
    const a = this.f32[field]!;
    let s = 0;
    for (let k = Math.max(0, b - B + 1, last - B + 1); k <= last; k++) s += a[i * B + (k % B)]!;
    return s;
  }

  /** Sparse dump for checkpoints: [age (0 = newest), ...f64 fields, ...f32 fields] for non-empty slots. */
  dump(i: number): { last: number; slots: number[][] } {
    const last = this.last[i]!;
    const slots: number[][] = [];
    if (last < 0) return { last, slots };
    const B = this.buckets;
    for (let age = 0; age < B && last - age >= 0; age++) {
      const s = i * B + ((last - age) % B);
      const row = [age, ...this.f64.map((a) => a[s]!), ...this.f32.map((a) => a[s]!)];
      if (row.some((x, k) => k > 0 && x !== 0)) slots.push(row);
    }
    return { last, slots };
  }

  /** Inverse of dump; rows must have been validated (length, age range). */
  load(i: number, last: number, slots: readonly (readonly number[])[]): void {
    this.clear(i);
    if (last < 0) return;
    const B = this.buckets;
    this.last[i] = last;
    for (const row of slots) {
      const age = row[0]!;
      if (last - age < 0) continue;
      const s = i * B + ((last - age) % B);
      this.f64.forEach((a, f) => (a[s] = row[1 + f]!));
      this.f32.forEach((a, f) => (a[s] = row[1 + this.f64.length + f]!));
    }
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    let n = this.last.byteLength;
    for (const a of this.f64) n += a.byteLength;
    for (const a of this.f32) n += a.byteLength;
    return n;
  }
}

function copyInto<T extends Float64Array | Float32Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
