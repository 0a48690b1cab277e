// Microstructure score per binary market over a rolling window (default 120 s):
// momentum of YES trade prices, YES/NO volume flow and whale count, combined and
// classified by micro-math.ts. Trades are bucketed per market (no per-trade
// allocation); gaps (feed gap, stale or out-of-sync book of either token) flag the
// window and cut its confidence.
//
// One taker order sweeping several levels arrives as several prints with the same
// token, side and venue timestamp: they are merged into one trade, so the trade
// count and the whale test ($ notional ≥ threshold) see the order, not its pieces.
import type { BookState } from '../book/order-book.js';
import type { TradeEvent } from '../protocol/market-channel.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { BucketRing } from './bucket-ring.js';
import { GapLog } from './gap-log.js';
import { MICRO_STALE_MS, microCheckpointSchema, type MicroCheckpoint } from './micro-checkpoint.js';
import {
  DEFAULT_THRESHOLDS,
  DEFAULT_WEIGHTS,
  classify,
  combine,
  confidence,
  isYesFlow,
  momentumScore,
  volumeFlowScore,
  whaleScore,
  type MicroSignalType,
  type MicroThresholds,
  type MicroWeights,
} from './micro-math.js';
import { Slots } from './slots.js';

export { MICRO_STALE_MS } from './micro-checkpoint.js';
export const DEFAULT_MICRO_WINDOW_MS = 120_000;
export const DEFAULT_WHALE_USD = 1_000;

export interface MicroOptions {
  windowMs?: number;
  buckets?: number;
  whaleUsd?: number;
  weights?: MicroWeights;
  thresholds?: MicroThresholds;
  maxMarkets?: number;
  initialCapacity?: number;
}

export interface MarketStatus {
  feedUp: boolean;
  closed: boolean;
}

export interface MicroSignal {
  marketId: string;
  windowMs: number;
  /** Combined score in [−1, 1]: + favours YES. */
  score: number;
  momentum: number;
  volumeFlow: number;
  whale: number;
  confidence: number;
  /** Taker orders in the window (multi-level prints merged). */
  trades: number;
  whales: number;
  yesVolume: number;
  noVolume: number;
  /** Share of the window observed with a healthy feed. */
  coverage: number;
  type: MicroSignalType;
  /** The window overlaps a feed gap or a stale/out-of-sync book. */
  gap: boolean;
}

// Ring fields.
const F_YES_VOL = 0; // f64
const F_NO_VOL = 1; // f64
const F_TRADES = 0; // f32
const F_YES_WH = 1;
const F_NO_WH = 2;
const F_FIRST_PX = 3; // first YES trade price in the bucket (0 = none)
const F_LAST_PX = 4; // last YES trade price in the bucket

export class MicroScorer {
  readonly windowMs: number;
  readonly whaleUsd: number;
  readonly weights: MicroWeights;
  readonly thresholds: MicroThresholds;
  readonly stats = { trades: 0, merged: 0, unknown: 0 };
  restoreError = '';
  private readonly slots: Slots;
  /** token → market slot × 2 + (1 for the NO token). */
  private readonly tokens = new Map<string, number>();
  private readonly yes: string[] = [];
  private readonly no: string[] = [];
  private readonly ring: BucketRing;
  private readonly gaps: GapLog;
  private unhealthy: Uint8Array;
  private firstSeen: Float64Array;
  private lastKey: Uint8Array;
  private lastTs: Float64Array;
  private merged: Float64Array;
  private whaleDone: Uint8Array;

  constructor(opts: MicroOptions = {}) {
    this.windowMs = opts.windowMs ?? DEFAULT_MICRO_WINDOW_MS;
    this.whaleUsd = opts.whaleUsd ?? DEFAULT_WHALE_USD;
    this.weights = opts.weights ?? DEFAULT_WEIGHTS;
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    this.slots = new Slots(opts.initialCapacity ?? 1024, opts.maxMarkets ?? 50_000, (c) => this.grow(c));
    const c = this.slots.capacity;
    this.ring = new BucketRing(this.windowMs, opts.buckets ?? 30, { f64: 2, f32: 5 }, c);
    this.gaps = new GapLog(c, this.windowMs);
    this.unhealthy = new Uint8Array(c);
    this.firstSeen = new Float64Array(c).fill(NaN);
    this.lastKey = new Uint8Array(c);
    this.lastTs = new Float64Array(c);
    this.merged = new Float64Array(c);
    this.whaleDone = new Uint8Array(c);
  }

  registerMarket(marketId: string, yesToken: string, noToken: string): void {
    let m = this.slots.get(marketId);
    if (m === undefined) {
      m = this.slots.add(marketId);
      if (m < 0) return;
      this.reset(m);
    }
    this.yes[m] = yesToken;
    this.no[m] = noToken;
    this.tokens.set(yesToken, m * 2);
    this.tokens.set(noToken, m * 2 + 1);
  }

  removeMarket(marketId: string): void {
    const m = this.slots.remove(marketId);
    if (m === undefined) return;
    this.tokens.delete(this.yes[m]!);
    this.tokens.delete(this.no[m]!);
    this.reset(m);
  }

  onTrade(t: TradeEvent, now: number): void {
    const code = this.tokens.get(t.asset);
    if (code === undefined) {
      this.stats.unknown++;
      return;
    }
    const m = code >> 1;
    const onYes = (code & 1) === 0;
    const yesFlow = isYesFlow(onYes, t.side);
    const key = 1 + (code & 1) * 2 + (t.side === 'BUY' ? 0 : 1);
    const notional = (t.price / PRICE_SCALE) * t.size;
    const r = this.ring;
    const s = r.slot(m, now);
    if (this.lastKey[m] === key && this.lastTs[m] === t.ts) {
      this.merged[m] += notional;
      this.stats.merged++;
    } else {
      r.f32[F_TRADES]![s] += 1;
      this.lastKey[m] = key;
      this.lastTs[m] = t.ts;
      this.merged[m] = notional;
      this.whaleDone[m] = 0;
    }
    this.stats.trades++;
    r.f64[yesFlow ? F_YES_VOL : F_NO_VOL]![s] += t.size;
    if (this.whaleDone[m] === 0 && this.merged[m]! >= this.whaleUsd) {
      this.whaleDone[m] = 1;
      r.f32[yesFlow ? F_YES_WH : F_NO_WH]![s] += 1;
    }
    if (onYes) {
      if (r.f32[F_FIRST_PX]![s] === 0) r.f32[F_FIRST_PX]![s] = t.price;
      r.f32[F_LAST_PX]![s] = t.price;
    }
    if (this.firstSeen[m] !== this.firstSeen[m]) this.firstSeen[m] = now;
  }

  /** Book state of one token: any non-fresh token puts its market in a gap until both are fresh. */
  onBookState(token: string, state: BookState, now: number): void {
    const code = this.tokens.get(token);
    if (code === undefined) return;
    const m = code >> 1;
    const bit = 1 << (code & 1);
    if (this.firstSeen[m] !== this.firstSeen[m] && state === 'fresh') this.firstSeen[m] = now;
    if (state !== 'fresh') {
      if (this.unhealthy[m] === 0) this.gaps.open(m, now);
      this.unhealthy[m]! |= bit;
    } else if (this.unhealthy[m]! & bit) {
      this.unhealthy[m]! &= ~bit;
      if (this.unhealthy[m] === 0) this.gaps.close(m, now);
    }
  }

  /** A feed gap on these tokens: [startMs, endMs], or open until the token's book is fresh again. */
  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    for (const token of tokens) {
      const code = this.tokens.get(token);
      if (code === undefined) continue;
      const m = code >> 1;
      this.gaps.add(m, startMs, endMs ?? Infinity, endMs ?? startMs);
      if (endMs === undefined) this.unhealthy[m]! |= 1 << (code & 1);
    }
  }

  score(marketId: string, now: number, status: MarketStatus = { feedUp: true, closed: false }): MicroSignal {
    const m = this.slots.get(marketId);
    if (status.closed) return this.flat(marketId, 'MARKET_CLOSED', m !== undefined && this.gaps.overlaps(m, now - this.windowMs, now));
    if (!status.feedUp || m === undefined) return this.flat(marketId, 'MARKET_UNAVAILABLE', true);
    const r = this.ring;
    const B = r.buckets;
    const last = r.last[m]!;
    let trades = 0, yesVol = 0, noVol = 0, yesWh = 0, noWh = 0, p0 = 0, p1 = 0;
    if (last >= 0) {
      const b = Math.max(r.bucketOf(now), last);
      for (let k = Math.max(0, b - B + 1, last - B + 1); k <= last; k++) {
        const s = m * B + (k % B);
        trades += r.f32[F_TRADES]![s]!;
        yesVol += r.f64[F_YES_VOL]![s]!;
        noVol += r.f64[F_NO_VOL]![s]!;
        yesWh += r.f32[F_YES_WH]![s]!;
        noWh += r.f32[F_NO_WH]![s]!;
        if (p0 === 0) p0 = r.f32[F_FIRST_PX]![s]!;
        if (r.f32[F_LAST_PX]![s]! > 0) p1 = r.f32[F_LAST_PX]![s]!;
      }
    }
    const from = now - this.windowMs;
    const gap = this.gaps.overlaps(m, from, now);
    const seen = this.firstSeen[m]!;
    const start = Number.isNaN(seen) ? now : Math.max(from, seen);
    const covered = Math.max(0, now - start - this.gaps.gapMs(m, start, now));
    const momentum = momentumScore(p0, p1);
    const volumeFlow = volumeFlowScore(yesVol, noVol);
    const whale = whaleScore(yesWh, noWh);
    const score = combine(momentum, volumeFlow, whale, this.weights);
    const conf = confidence(trades, covered, this.windowMs, gap, this.thresholds);
    return {
      marketId,
      windowMs: this.windowMs,
      score,
      momentum,
      volumeFlow,
      whale,
      confidence: conf,
      trades,
      whales: yesWh + noWh,
      yesVolume: yesVol,
      noVolume: noVol,
      coverage: covered / this.windowMs,
      type: classify(score, conf, trades, this.thresholds),
      gap,
    };
  }

  /** Markets with at least one trade in the window. */
  active(now: number): string[] {
    const out: string[] = [];
    const r = this.ring;
    const oldest = r.bucketOf(now) - r.buckets + 1;
    for (let m = 0; m < this.slots.end; m++) {
      if (this.slots.keys[m] !== '' && r.last[m]! >= oldest && r.sum32(m, now, F_TRADES) > 0) out.push(this.slots.keys[m]!);
    }
    return out;
  }

  /** Scores of the active markets, strongest first by |score| × confidence. */
  scores(now: number, status: (marketId: string) => MarketStatus = () => ({ feedUp: true, closed: false })): MicroSignal[] {
    return this.active(now)
      .map((id) => this.score(id, now, status(id)))
      .sort((a, b) => Math.abs(b.score) * b.confidence - Math.abs(a.score) * a.confidence);
  }

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    let n = this.ring.bytes + this.gaps.bytes;
    for (const a of [this.unhealthy, this.firstSeen, this.lastKey, this.lastTs, this.merged, this.whaleDone]) n += a.byteLength;
    return n;
  }

  // ---- checkpoints ----------------------------------------------------------

  toCheckpoint(now: number): MicroCheckpoint {
    const markets: MicroCheckpoint['markets'] = [];
    for (let m = 0; m < this.slots.end; m++) {
      const id = this.slots.keys[m]!;
      if (id === '') continue;
      const d = this.ring.dump(m);
      const g = this.gaps.dump(m);
      if (d.slots.length === 0 && g.length === 0) continue;
      const f = this.firstSeen[m]!;
      markets.push({ m: id, y: this.yes[m]!, n: this.no[m]!, f: Number.isNaN(f) ? null : f, last: d.last, slots: d.slots, g });
    }
    return { v: 1, kind: 'micro', savedAt: now, windowMs: this.windowMs, buckets: this.ring.buckets, markets };
  }

  /** Restores a checkpoint at most MICRO_STALE_MS old with the same window; false (state untouched) otherwise. */
  fromCheckpoint(json: unknown, now: number): boolean {
    this.restoreError = '';
    const parsed = microCheckpointSchema.safeParse(json);
    if (!parsed.success) return this.fail(`invalid: ${parsed.error.issues[0]?.message ?? 'schema'}`);
    const ck = parsed.data;
    if (ck.windowMs !== this.windowMs || ck.buckets !== this.ring.buckets) return this.fail('window configuration changed');
    if (ck.savedAt > now) return this.fail('saved in the future');
    if (now - ck.savedAt > MICRO_STALE_MS) return this.fail(`stale: ${now - ck.savedAt} ms old > ${MICRO_STALE_MS} ms`);
    if (ck.markets.some((mk) => mk.slots.some((s) => s[0]! >= ck.buckets))) return this.fail('bucket age out of range');
    for (const mk of ck.markets) {
      if (this.slots.get(mk.m) === undefined) this.registerMarket(mk.m, mk.y, mk.n);
      const m = this.slots.get(mk.m);
      if (m === undefined) continue;
      this.ring.load(m, mk.last, mk.slots);
      this.gaps.load(m, mk.g, now);
      // Downtime is a gap; it stays open until both books are fresh again.
      this.gaps.add(m, ck.savedAt, Infinity, now);
      this.unhealthy[m] = 3;
      this.firstSeen[m] = mk.f ?? NaN;
      this.lastKey[m] = 0;
    }
    return true;
  }

  // ---- internals ------------------------------------------------------------

  private fail(reason: string): false {
    this.restoreError = reason;
    return false;
  }

  private flat(marketId: string, type: MicroSignalType, gap: boolean): MicroSignal {
    return { marketId, windowMs: this.windowMs, score: 0, momentum: 0, volumeFlow: 0, whale: 0, confidence: 0, trades: 0, whales: 0, yesVolume: 0, noVolume: 0, coverage: 0, type, gap };
  }

  private reset(m: number): void {
    this.ring.clear(m);
    this.gaps.clear(m);
    this.unhealthy[m] = 0;
    this.firstSeen[m] = NaN;
    this.lastKey[m] = 0;
    this.lastTs[m] = 0;
    this.merged[m] = 0;
    this.whaleDone[m] = 0;
  }

  private grow(c: number): void {
    this.ring.grow(c);
    this.gaps.grow(c);
    this.unhealthy = growU8(this.unhealthy, c);
    this.lastKey = growU8(this.lastKey, c);
    this.whaleDone = growU8(this.whaleDone, c);
    this.firstSeen = growF64(this.firstSeen, c, NaN);
    this.lastTs = growF64(this.lastTs, c, 0);
    this.merged = growF64(this.merged, c, 0);
  }
}

function growU8(a: Uint8Array, c: number): Uint8Array {
  const out = new Uint8Array(c);
  out.set(a);
  return out;
}

function growF64(a: Float64Array, c: number, fill: number): Float64Array {
  const out = new Float64Array(c).fill(fill);
  out.set(a);
  return out;
}
