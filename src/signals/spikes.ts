// Price-velocity spikes per token: the mid's change since the end of the last
// bucket (default 1 s), as a z-score against the per-bucket mid changes of the
// previous window (default 60 buckets). A spike needs |z| ≥ 4 and a move of at
// least 100 units (0.01); the standard deviation has a floor of 20 units so a
// market that sat still does not turn every tick into infinity.
//
// Gap-aware: after reset (stale/out-of-sync book, feed gap) the next mid is a new
// reference, never a move; spikes within one window of a reset carry gap: true.
import { Slots } from './slots.js';

export interface SpikeOptions {
  bucketMs?: number;
  /** Per-bucket changes kept for the baseline. */
  points?: number;
  zThreshold?: number;
  /** Minimum |move| in price units. */
  minMoveUnits?: number;
  /** Floor of the standard deviation, in price units. */
  minStdUnits?: number;
  /** Buckets of history needed before any spike is reported. */
  minHistory?: number;
  /** Spikes kept for `spikes()`. */
  keep?: number;
  maxTokens?: number;
}

export interface Spike {
  token: string;
  at: number;
  /** Mid at detection, price units. */
  mid: number;
  /** Change since the end of the previous bucket, price units. */
  move: number;
  z: number;
  gap: boolean;
}

export const SPIKE_DEFAULTS: Required<SpikeOptions> = {
  bucketMs: 1_000,
  points: 60,
  zThreshold: 4,
  minMoveUnits: 100,
  minStdUnits: 20,
  minHistory: 10,
  keep: 256,
  maxTokens: 100_000,
};

/** z-score of a move against a baseline mean/std, with a floor on std. */
export function spikeZ(move: number, mean: number, std: number, minStd: number): number {
  return (move - mean) / Math.max(std, minStd);
}

export class SpikeDetector {
  readonly opts: Required<SpikeOptions>;
  private readonly slots: Slots;
  private ring: Float32Array;
  private head: Int32Array;
  private count: Int32Array;
  private sum: Float64Array;
  private sumSq: Float64Array;
  private bucket: Float64Array;
  private baseMid: Float64Array;
  private lastMid: Float64Array;
  private spiked: Float64Array;
  private resetAt: Float64Array;
  // Recent spikes, a ring of `keep`.
  private readonly recent: (Spike | undefined)[];
  private next = 0;

  constructor(opts: SpikeOptions = {}) {
    this.opts = { ...SPIKE_DEFAULTS, ...opts };
    this.slots = new Slots(1024, this.opts.maxTokens, (c) => this.grow(c));
    const c = this.slots.capacity;
    this.ring = new Float32Array(c * this.opts.points);
    this.head = new Int32Array(c);
    this.count = new Int32Array(c);
    this.sum = new Float64Array(c);
    this.sumSq = new Float64Array(c);
    this.bucket = new Float64Array(c).fill(-1);
    this.baseMid = new Float64Array(c).fill(NaN);
    this.lastMid = new Float64Array(c).fill(NaN);
    this.spiked = new Float64Array(c).fill(-1);
    this.resetAt = new Float64Array(c).fill(-Infinity);
    this.recent = new Array<Spike | undefined>(this.opts.keep).fill(undefined);
  }

  onMid(token: string, mid: number, now: number): void {
    let i = this.slots.get(token);
    if (i === undefined) {
      i = this.slots.add(token);
      if (i < 0) return;
      this.clear(i);
    }
    const o = this.opts;
    let b = Math.floor(now / o.bucketMs);
    const cur = this.bucket[i]!;
    if (b > cur) {
      const lm = this.lastMid[i]!;
      if (cur >= 0 && lm === lm) {
        const base = this.baseMid[i]!;
        if (base === base) this.push(i, lm - base);
        // Quiet buckets: the mid did not move.
        const quiet = Math.min(b - cur - 1, o.points);
        for (let k = 0; k < quiet; k++) this.push(i, 0);
        this.baseMid[i] = lm;
      }
      this.bucket[i] = b;
    } else b = cur;
    this.lastMid[i] = mid;
    const base = this.baseMid[i]!;
    if (base !== base) {
      this.baseMid[i] = mid; // first mid after a reset: a reference, not a move
      return;
    }
    const move = mid - base;
    const n = this.count[i]!;
    if (n < o.minHistory || Math.abs(move) < o.minMoveUnits || this.spiked[i] === b) return;
    const mean = this.sum[i]! / n;
    const std = Math.sqrt(Math.max(0, this.sumSq[i]! / n - mean * mean));
    const z = spikeZ(move, mean, std, o.minStdUnits);
    if (Math.abs(z) < o.zThreshold) return;
    this.spiked[i] = b;
    this.recent[this.next] = { token, at: now, mid, move, z, gap: now - this.resetAt[i]! < o.points * o.bucketMs };
    this.next = (this.next + 1) % o.keep;
  }

  /** The token's book went stale/out-of-sync or its feed had a gap: forget the reference mid. */
  reset(token: string, now: number): void {
    const i = this.slots.get(token);
    if (i === undefined) return;
    this.baseMid[i] = NaN;
    this.lastMid[i] = NaN;
    this.resetAt[i] = now;
  }

  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    for (const t of tokens) this.reset(t, endMs ?? startMs);
  }

  untrack(token: string): void {
    const i = this.slots.remove(token);
    if (i !== undefined) this.clear(i);
  }

  /** Spikes detected in the last `maxAgeMs` (default one window), newest first. */
  spikes(now: number, maxAgeMs = this.opts.points * this.opts.bucketMs): Spike[] {
    const out: Spike[] = [];
    const k = this.opts.keep;
    for (let j = 1; j <= k; j++) {
      const s = this.recent[(this.next - j + k) % k];
      if (!s || now - s.at > maxAgeMs) break;
      if (s.at <= now) out.push(s);
    }
    return out;
  }

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    let n = this.ring.byteLength;
    for (const a of [this.head, this.count, this.sum, this.sumSq, this.bucket, this.baseMid, this.lastMid, this.spiked, this.resetAt]) n += a.byteLength;
    return n;
  }

  private push(i: number, d: number): void {
    const P = this.opts.points;
    const at = i * P + this.head[i]!;
    if (this.count[i]! === P) {
      const old = this.ring[at]!;
      this.sum[i] -= old;
      this.sumSq[i] -= old * old;
    } else this.count[i]!++;
    this.ring[at] = d;
    this.sum[i] += d;
    this.sumSq[i] += d * d;
    this.head[i] = (this.head[i]! + 1) % P;
  }

  private clear(i: number): void {
    const P = this.opts.points;
    this.ring.fill(0, i * P, i * P + P);
    this.head[i] = this.count[i] = 0;
    this.sum[i] = this.sumSq[i] = 0;
    this.bucket[i] = -1;
    this.baseMid[i] = this.lastMid[i] = NaN;
    this.spiked[i] = -1;
    this.resetAt[i] = -Infinity;
  }

  private grow(c: number): void {
    const P = this.opts.points;
    const ring = new Float32Array(c * P);
    ring.set(this.ring);
    this.ring = ring;
    const i32 = (a: Int32Array) => {
      const o = new Int32Array(c);
      o.set(a);
      return o;
    };
    const f64 = (a: Float64Array, fill: number) => {
      const o = new Float64Array(c).fill(fill);
      o.set(a);
      return o;
    };
    this.head = i32(this.head);
    this.count = i32(this.count);
    this.sum = f64(this.sum, 0);
    this.sumSq = f64(this.sumSq, 0);
    this.bucket = f64(this.bucket, -1);
    this.baseMid = f64(this.baseMid, NaN);
    this.lastMid = f64(this.lastMid, NaN);
    this.spiked = f64(this.spiked, -1);
    this.resetAt = f64(this.resetAt, -Infinity);
  }
}
