// Rolling time windows without per-event allocation: each entity (a token or a
// market) owns B buckets of `bucketMs`, each bucket F Float32 fields side by side
// in one flat array (one cache line per update, not one per field). A bucket is
// cleared lazily when the entity's clock moves past it, so a quiet entity costs
// nothing and memory is fixed at capacity × B × F × 4 bytes.
//
// Window semantics: a read at `now` sums the B buckets ending with the one that
// holds `now` (the current one partial), so it covers between W − bucketMs and W.
// Float32 per bucket is enough for sums of shares within one bucket (relative
// error ~6e-8); window sums are added up in float64.
import { grown } from './typed.js';

export class BucketRing {
  readonly buckets: number;
  readonly fields: number;
  readonly bucketMs: number;
  readonly windowMs: number;
  capacity: number;
  /** data[(entity × buckets + bucket % buckets) × fields + field] */
  data: Float32Array;
  /**
   * Bucket number (floor(t / bucketMs)) last written per entity, -1 = never, at
   * lastArr[i × lastStride + lastOff]. By default the ring's own array; a tracker
   * can bind it into its per-entity state so an update touches one line less.
   */
  private lastArr: Float64Array;
  private lastStride = 1;
  private lastOff = 0;
  private bound = false;

  constructor(windowMs: number, buckets: number, fields: number, capacity: number) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1) throw new Error(`bad ring: window ${windowMs} ms, ${buckets} buckets`);
    this.windowMs = windowMs;
    this.buckets = buckets;
    this.fields = fields;
    this.bucketMs = windowMs / buckets;
    this.capacity = capacity;
    this.data = new Float32Array(capacity * buckets * fields);
    this.lastArr = new Float64Array(capacity).fill(-1);
  }

  /** Keeps `last` in the caller's array (call again after the caller grows it). Entries must start at -1 or a past bucket. */
  bindLast(arr: Float64Array, stride: number, off: number): void {
    this.lastArr = arr;
    this.lastStride = stride;
    this.lastOff = off;
    this.bound = true;
  }

  /** Bucket number last written by entity i (-1 = never). */
  lastOf(i: number): number {
    return this.lastArr[i * this.lastStride + this.lastOff]!;
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.data = grown(this.data, capacity * this.buckets * this.fields);
    if (!this.bound) this.lastArr = grown(this.lastArr, capacity, -1);
    this.capacity = capacity;
  }

  bucketOf(now: number): number {
    return Math.floor(now / this.bucketMs);
  }

  /** Offset in `data` of field 0 of the bucket holding `now`, clearing every bucket the entity's clock skipped. */
  slot(i: number, now: number): number {
    const B = this.buckets;
    let b = Math.floor(now / this.bucketMs);
    const last = this.lastArr[i * this.lastStride + this.lastOff]!;
    // Time never runs backwards inside a ring: a late event lands in the newest bucket.
    if (b <= last) b = last;
    else this.advance(i, last, b);
    return (i * B + mod(b, B)) * this.fields;
  }

  /** Empties an entity's buckets (slot reuse, resets). */
  clear(i: number): void {
    const n = this.buckets * this.fields;
    this.data.fill(0, i * n, i * n + n);
    this.lastArr[i * this.lastStride + this.lastOff] = -1;
  }

  private advance(i: number, last: number, b: number): void {
    const B = this.buckets;
    const F = this.fields;
    const d = this.data;
    if (last < 0 || b - last >= B) d.fill(0, i * B * F, (i + 1) * B * F);
    else {
      let r = mod(last + 1, B);
      for (let k = last + 1; k <= b; k++) {
        const o = (i * B + r) * F;
        for (let f = 0; f < F; f++) d[o + f] = 0;
        if (++r === B) r = 0;
      }
    }
    this.lastArr[i * this.lastStride + this.lastOff] = b;
  }

  /** Sum of one field over the window ending at `now`. */
  sum(i: number, now: number, field: number): number {
    const last = this.lastOf(i);
    if (last < 0) return 0;
    const B = this.buckets;
    const F = this.fields;
    const b = Math.max(Math.floor(now / this.bucketMs), last);
    const d = this.data;
    let s = 0;
    for (let k = Math.max(0, b - B + 1, last - B + 1); k <= last; k++) s += d[(i * B + (k % B)) * F + field]!;
    return s;
  }

  /** Oldest bucket number inside the window ending at `now` (may hold nothing). */
  firstInWindow(i: number, now: number): number {
    const last = this.lastOf(i);
    const b = Math.max(Math.floor(now / this.bucketMs), last);
    return Math.max(0, b - this.buckets + 1, last - this.buckets + 1);
  }

  /** Offset of bucket number k of entity i. */
  offset(i: number, k: number): number {
    return (i * this.buckets + (k % this.buckets)) * this.fields;
  }

  /**
   * Sparse dump for checkpoints: [age (0 = newest), ...fields] for the non-empty
   * buckets still inside the window at `now`. Values are rounded to 1e-4 (sizes
   * are in hundredths of a share), which keeps the JSON short.
   */
  dump(i: number, now: number): { last: number; slots: number[][] } {
    const last = this.lastOf(i);
    const slots: number[][] = [];
    if (last < 0) return { last, slots };
    const first = this.firstInWindow(i, now);
    const F = this.fields;
    for (let k = last; k >= first; k--) {
      const o = this.offset(i, k);
      let any = false;
      for (let f = 0; f < F; f++) if (this.data[o + f] !== 0) any = true;
      if (!any) continue;
      const row = [last - k];
      for (let f = 0; f < F; f++) row.push(Math.round(this.data[o + f]! * 1e4) / 1e4);
      slots.push(row);
    }
    return { last, slots };
  }

  /** Inverse of dump; rows must have been validated (length, age range). */
  load(i: number, last: number, slots: readonly (readonly number[])[]): void {
    this.clear(i);
    if (last < 0) return;
    this.lastArr[i * this.lastStride + this.lastOff] = last;
    for (const row of slots) {
      const age = row[0]!;
      if (last - age < 0) continue;
      this.data.set(row.slice(1, 1 + this.fields), this.offset(i, last - age));
    }
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.data.byteLength + (this.bound ? 0 : this.lastArr.byteLength);
  }
}

/**
 * k mod B for bucket numbers (integers ≥ 0 below 2^40): `%` on a double is a
 * call into C in V8's optimised code, and this runs on every update.
 */
function mod(k: number, B: number): number {
  return k - Math.floor(k / B) * B;
}
