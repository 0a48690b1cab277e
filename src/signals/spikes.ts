// Price-velocity spikes per token: the mid's change since the end of the last
// bucket (default 1 s), as a z-score against the per-bucket mid changes of the
// previous window (default 60 buckets). A spike needs |z| ≥ 4 and a move of at
// least 100 units (0.01); the standard deviation has a floor of 20 units so a
// market that sat still does not turn every tick into infinity.
//
// Gap-aware: after reset (stale/out-of-sync book, feed gap) the next mid is a new
// reference, never a move; spikes within one window of a reset carry gap: true.
import { Slots, type SlotListener } from './slots.js';
import { grown } from './typed.js';
import { deepFreeze } from '../frozen.js';

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
  /** Token slots shared with other trackers (SignalHub). */
  slots?: Slots;
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

export const SPIKE_DEFAULTS: Required<Omit<SpikeOptions, 'slots'>> = deepFreeze({
  bucketMs: 1_000,
  points: 60,
  zThreshold: 4,
  minMoveUnits: 100,
  minStdUnits: 20,
  minHistory: 10,
  keep: 256,
  maxTokens: 100_000,
});

/** z-score of a move against a baseline mean/std, with a floor on std. */
export function spikeZ(move: number, mean: number, std: number, minStd: number): number {
  return (move - mean) / Math.max(std, minStd);
}

// Per-token state fields (stride S): one cache line per update.
const S_HEAD = 0; // next write position in the ring
const S_COUNT = 1; // changes in the ring
const S_SUM = 2; // Σ change
const S_SUMSQ = 3; // Σ change²
const S_BUCKET = 4; // current bucket number, -1 = none
const S_BASE = 5; // mid at the end of the previous bucket, NaN = no reference
const S_LAST = 6; // latest mid, NaN = none
const S_SPIKED = 7; // bucket of the last spike, -1 = none
const S = 8;

export class SpikeDetector {
  readonly opts: Required<Omit<SpikeOptions, 'slots'>>;
  private readonly slots: Slots;
  /** Per-bucket mid changes, `points` per token. */
  private ring: Float32Array;
  private st: Float64Array;
  /** Time of the last reset per token (gap flag of later spikes). */
  private resetAt: Float64Array;
  // Recent spikes, a ring of `keep`.
  private readonly recent: (Spike | undefined)[];
  private next = 0;

  /**
   * Slot events reach this object through a class shared by every instance,
   * not closures made per instance: V8 then optimises the calls in Slots (and
   * what they inline) once for every engine in a process, where a sweep
   * worker's new closures per replay were compiled again.
   */
  private static readonly SlotHooks = class implements SlotListener {
    constructor(private readonly d: SpikeDetector) {}
    grow(n: number): void {
      this.d.grow(n);
    }
    reset(i: number): void {
      this.d.clear(i);
    }
  };

  constructor(opts: SpikeOptions = {}) {
    const { slots, ...rest } = opts;
    this.opts = { ...SPIKE_DEFAULTS, ...rest };
    this.slots = slots ?? new Slots(1024, this.opts.maxTokens);
    const c = this.slots.capacity;
    this.ring = new Float32Array(c * this.opts.points);
    this.st = new Float64Array(c * S);
    this.resetAt = new Float64Array(c).fill(-Infinity);
    this.recent = new Array<Spike | undefined>(this.opts.keep).fill(undefined);
    this.slots.listen(new SpikeDetector.SlotHooks(this));
  }

  onMid(token: string, mid: number, now: number): void {
    const i = this.slots.add(token);
    if (i >= 0) this.onMidSlot(i, mid, now);
  }

  /** onMid for a caller that already looked up the token slot (the hub). */
  onMidSlot(i: number, mid: number, now: number): void {
    const o = this.opts;
    const st = this.st;
    const x = i * S;
    let b = Math.floor(now / o.bucketMs);
    const cur = st[x + S_BUCKET]!;
    if (b > cur) {
      const lm = st[x + S_LAST]!;
      if (cur >= 0 && lm === lm) {
        const base = st[x + S_BASE]!;
        if (base === base) this.push(i, lm - base);
        // Quiet buckets: the mid did not move.
        const quiet = Math.min(b - cur - 1, o.points);
        for (let k = 0; k < quiet; k++) this.push(i, 0);
        st[x + S_BASE] = lm;
      }
      st[x + S_BUCKET] = b;
    } else b = cur;
    st[x + S_LAST] = mid;
    const base = st[x + S_BASE]!;
    if (base !== base) {
      st[x + S_BASE] = mid; // first mid after a reset: a reference, not a move
      return;
    }
    const move = mid - base;
    const n = st[x + S_COUNT]!;
    if (n < o.minHistory || Math.abs(move) < o.minMoveUnits || st[x + S_SPIKED] === b) return;
    const mean = st[x + S_SUM]! / n;
    const std = Math.sqrt(Math.max(0, st[x + S_SUMSQ]! / n - mean * mean));
    const z = spikeZ(move, mean, std, o.minStdUnits);
    if (Math.abs(z) < o.zThreshold) return;
    st[x + S_SPIKED] = b;
    this.recent[this.next] = { token: this.slots.keys[i]!, at: now, mid, move, z, gap: now - this.resetAt[i]! < o.points * o.bucketMs };
    this.next = (this.next + 1) % o.keep;
  }

  /** The token's book went stale/out-of-sync or its feed had a gap: forget the reference mid. */
  reset(token: string, now: number): void {
    const i = this.slots.get(token);
    if (i !== undefined) this.resetSlot(i, now);
  }

  resetSlot(i: number, now: number): void {
    this.st[i * S + S_BASE] = NaN;
    this.st[i * S + S_LAST] = NaN;
    this.resetAt[i] = now;
  }

  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    for (const t of tokens) this.reset(t, endMs ?? startMs);
  }

  untrack(token: string): void {
    this.slots.remove(token);
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
    return this.ring.byteLength + this.st.byteLength + this.resetAt.byteLength;
  }

  private push(i: number, d: number): void {
    const P = this.opts.points;
    const st = this.st;
    const x = i * S;
    const at = i * P + st[x + S_HEAD]!;
    if (st[x + S_COUNT] === P) {
      const old = this.ring[at]!;
      st[x + S_SUM] -= old;
      st[x + S_SUMSQ] -= old * old;
    } else st[x + S_COUNT]! += 1;
    this.ring[at] = d;
    st[x + S_SUM] += d;
    st[x + S_SUMSQ] += d * d;
    const h = st[x + S_HEAD]! + 1;
    st[x + S_HEAD] = h === P ? 0 : h;
  }

  private clear(i: number): void {
    const P = this.opts.points;
    this.ring.fill(0, i * P, i * P + P);
    const x = i * S;
    this.st.fill(0, x, x + S);
    this.st[x + S_BUCKET] = -1;
    this.st[x + S_SPIKED] = -1;
    this.st[x + S_BASE] = NaN;
    this.st[x + S_LAST] = NaN;
    this.resetAt[i] = -Infinity;
  }

  private grow(c: number): void {
    this.ring = grown(this.ring, c * this.opts.points);
    this.st = grown(this.st, c * S);
    this.resetAt = grown(this.resetAt, c, -Infinity);
  }
}
