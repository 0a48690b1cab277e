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
import type { TradeEvent } from '../protocol/events.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { BucketRing } from './bucket-ring.js';
import { GapLog } from './gap-log.js';
import { parseMicroCheckpoint, type MicroCheckpoint } from './micro-checkpoint.js';
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
import { Slots, type SlotListener } from './slots.js';
import { grown } from './typed.js';

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
  /** Token slots shared with other trackers (SignalHub). */
  tokens?: Slots;
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
const F_YES_VOL = 0;
const F_NO_VOL = 1;
const F_TRADES = 2;
const F_YES_WH = 3;
const F_NO_WH = 4;
const F_FIRST_PX = 5; // first YES trade price in the bucket (0 = none)
const F_LAST_PX = 6; // last YES trade price in the bucket
const FIELDS = 7;
// Per-market state fields (stride M).
const M_KEY = 0; // last print: 1 + 2·(NO token) + (SELL), 0 = none
const M_TS = 1; // last print's venue timestamp
const M_MERGED = 2; // $ notional of the taker order the last prints belong to
const M_WHALE = 3; // 1 once that order counted as a whale
const M_SEEN = 4; // first seen, NaN before
const M_UNHEALTHY = 5; // bit 0: YES book not fresh, bit 1: NO book
const M_RING_LAST = 6; // the ring's clock
const M = 8;

/**
 * Listens to its market Slots itself (and to the token Slots through TokenHooks):
 * shared classes, not closures per instance, so V8 optimises Slots' calls once
 * for every engine in a process.
 */
export class MicroScorer implements SlotListener {
  readonly windowMs: number;
  readonly whaleUsd: number;
  readonly weights: MicroWeights;
  readonly thresholds: MicroThresholds;
  readonly stats = { trades: 0, merged: 0, unknown: 0 };
  restoreError = '';
  /** Market slots. */
  private readonly slots: Slots;
  /** Token slots (shared with the other trackers in a SignalHub). */
  private readonly tokens: Slots;
  private readonly ownsTokens: boolean;
  /** By token slot: market slot × 2 + (1 for the NO token); -1 = not a registered market's token. */
  private codeOf: Int32Array;
  private readonly yes: string[] = [];
  private readonly no: string[] = [];
  private readonly ring: BucketRing;
  private readonly gaps: GapLog;
  /** Per market, one cache line (see M_*). */
  private st: Float64Array;

  /** The token slots' events: the per-token market code follows them. */
  private static readonly TokenHooks = class implements SlotListener {
    constructor(private readonly s: MicroScorer) {}
    grow(n: number): void {
      this.s.codeOf = grown(this.s.codeOf, n, -1);
    }
    reset(i: number): void {
      this.s.codeOf[i] = -1;
    }
  };

  constructor(opts: MicroOptions = {}) {
    this.windowMs = opts.windowMs ?? DEFAULT_MICRO_WINDOW_MS;
    this.whaleUsd = opts.whaleUsd ?? DEFAULT_WHALE_USD;
    this.weights = opts.weights ?? DEFAULT_WEIGHTS;
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    const maxMarkets = opts.maxMarkets ?? 50_000;
    this.slots = new Slots(opts.initialCapacity ?? 1024, maxMarkets);
    this.ownsTokens = opts.tokens === undefined;
    this.tokens = opts.tokens ?? new Slots(2 * (opts.initialCapacity ?? 1024), 2 * maxMarkets);
    this.codeOf = new Int32Array(this.tokens.capacity).fill(-1);
    this.tokens.listen(new MicroScorer.TokenHooks(this));
    const c = this.slots.capacity;
    this.ring = new BucketRing(this.windowMs, opts.buckets ?? 30, FIELDS, c);
    this.gaps = new GapLog(c, this.windowMs);
    this.st = new Float64Array(c * M);
    this.ring.bindLast(this.st, M, M_RING_LAST);
    this.slots.listen(this);
  }

  registerMarket(marketId: string, yesToken: string, noToken: string): void {
    const m = this.slots.add(marketId);
    const y = this.tokens.add(yesToken);
    const n = this.tokens.add(noToken);
    if (m < 0 || y < 0 || n < 0) return;
    // Re-registered with other tokens: the old ones no longer map here.
    for (const old of [this.yes[m], this.no[m]]) {
      const j = old === undefined || old === yesToken || old === noToken ? undefined : this.tokens.get(old);
      if (j !== undefined && this.codeOf[j]! >> 1 === m) this.codeOf[j] = -1;
    }
    this.yes[m] = yesToken;
    this.no[m] = noToken;
    this.codeOf[y] = m * 2;
    this.codeOf[n] = m * 2 + 1;
  }

  removeMarket(marketId: string): void {
    const m = this.slots.get(marketId);
    if (m === undefined) return;
    for (const token of [this.yes[m]!, this.no[m]!]) {
      const i = this.tokens.get(token);
      if (i === undefined) continue;
      if (this.ownsTokens) this.tokens.remove(token);
      else this.codeOf[i] = -1;
    }
    this.slots.remove(marketId);
  }

  /** Market slot × 2 + (1 for NO) of a token, or -1. */
  private code(token: string): number {
    const i = this.tokens.get(token);
    return i === undefined ? -1 : this.codeOf[i]!;
  }

  onTrade(t: TradeEvent, now: number): void {
    const i = this.tokens.get(t.asset);
    if (i === undefined) this.stats.unknown++;
    else this.onTradeSlot(i, t, now);
  }

  /** onTrade for a caller that already looked up the token slot (the hub). */
  onTradeSlot(i: number, t: TradeEvent, now: number): void {
    const code = this.codeOf[i]!;
    if (code < 0) {
      this.stats.unknown++;
      return;
    }
    const m = code >> 1;
    const onYes = (code & 1) === 0;
    const yesFlow = isYesFlow(onYes, t.side);
    const key = 1 + (code & 1) * 2 + (t.side === 'BUY' ? 0 : 1);
    const notional = (t.price / PRICE_SCALE) * t.size;
    const s = this.ring.slot(m, now);
    const d = this.ring.data;
    if (this.st[m * M + M_KEY] === key && this.st[m * M + M_TS] === t.ts) {
      this.st[m * M + M_MERGED] += notional;
      this.stats.merged++;
    } else {
      d[s + F_TRADES]! += 1;
      this.st[m * M + M_KEY] = key;
      this.st[m * M + M_TS] = t.ts;
      this.st[m * M + M_MERGED] = notional;
      this.st[m * M + M_WHALE] = 0;
    }
    this.stats.trades++;
    d[s + (yesFlow ? F_YES_VOL : F_NO_VOL)] += t.size;
    if (this.st[m * M + M_WHALE] === 0 && this.st[m * M + M_MERGED]! >= this.whaleUsd) {
      this.st[m * M + M_WHALE] = 1;
      d[s + (yesFlow ? F_YES_WH : F_NO_WH)] += 1;
    }
    if (onYes) {
      if (d[s + F_FIRST_PX] === 0) d[s + F_FIRST_PX] = t.price;
      d[s + F_LAST_PX] = t.price;
    }
    if (Number.isNaN(this.st[m * M + M_SEEN])) this.st[m * M + M_SEEN] = now;
  }

  /** Book state of one token: any non-fresh token puts its market in a gap until both are fresh. */
  onBookState(token: string, state: BookState, now: number): void {
    const i = this.tokens.get(token);
    if (i !== undefined) this.onBookStateSlot(i, state, now);
  }

  /** onBookState for a caller that already holds the token slot (the hub, from the book). */
  onBookStateSlot(i: number, state: BookState, now: number): void {
    const code = this.codeOf[i]!;
    if (code < 0) return;
    const m = code >> 1;
    const bit = 1 << (code & 1);
    if (Number.isNaN(this.st[m * M + M_SEEN]) && state === 'fresh') this.st[m * M + M_SEEN] = now;
    if (state !== 'fresh') {
      if (this.st[m * M + M_UNHEALTHY] === 0) this.gaps.open(m, now);
      this.st[m * M + M_UNHEALTHY]! |= bit;
    } else if (this.st[m * M + M_UNHEALTHY]! & bit) {
      this.st[m * M + M_UNHEALTHY]! &= ~bit;
      if (this.st[m * M + M_UNHEALTHY] === 0) this.gaps.close(m, now);
    }
  }

  /** A feed gap on these tokens: [startMs, endMs], or open until the token's book is fresh again. */
  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    for (const token of tokens) {
      const code = this.code(token);
      if (code < 0) continue;
      const m = code >> 1;
      this.gaps.add(m, startMs, endMs ?? Infinity, endMs ?? startMs);
      if (endMs === undefined) this.st[m * M + M_UNHEALTHY]! |= 1 << (code & 1);
    }
  }

  score(marketId: string, now: number, status: MarketStatus = { feedUp: true, closed: false }): MicroSignal {
    const m = this.slots.get(marketId);
    if (status.closed) return this.flat(marketId, 'MARKET_CLOSED', m !== undefined && this.gaps.overlaps(m, now - this.windowMs, now));
    if (!status.feedUp || m === undefined) return this.flat(marketId, 'MARKET_UNAVAILABLE', true);
    const r = this.ring;
    const d = r.data;
    const last = r.lastOf(m);
    let trades = 0, yesVol = 0, noVol = 0, yesWh = 0, noWh = 0, p0 = 0, p1 = 0;
    // Oldest to newest: p0 is the first YES price in the window, p1 the last.
    for (let k = last < 0 ? 0 : r.firstInWindow(m, now); k <= last; k++) {
      const s = r.offset(m, k);
      trades += d[s + F_TRADES]!;
      yesVol += d[s + F_YES_VOL]!;
      noVol += d[s + F_NO_VOL]!;
      yesWh += d[s + F_YES_WH]!;
      noWh += d[s + F_NO_WH]!;
      if (p0 === 0) p0 = d[s + F_FIRST_PX]!;
      if (d[s + F_LAST_PX]! > 0) p1 = d[s + F_LAST_PX]!;
    }
    const from = now - this.windowMs;
    const gap = this.gaps.overlaps(m, from, now);
    const seen = this.st[m * M + M_SEEN]!;
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
      if (this.slots.keys[m] !== '' && r.lastOf(m) >= oldest && r.sum(m, now, F_TRADES) > 0) out.push(this.slots.keys[m]!);
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
    n += this.st.byteLength;
    return n;
  }

  // ---- checkpoints ----------------------------------------------------------

  toCheckpoint(now: number): MicroCheckpoint {
    const markets: MicroCheckpoint['markets'] = [];
    for (let m = 0; m < this.slots.end; m++) {
      const id = this.slots.keys[m]!;
      if (id === '') continue;
      const d = this.ring.dump(m, now);
      const g = this.gaps.dump(m);
      if (d.slots.length === 0 && g.length === 0) continue;
      const f = this.st[m * M + M_SEEN]!;
      markets.push({ m: id, y: this.yes[m]!, n: this.no[m]!, f: Number.isNaN(f) ? null : f, last: d.last, slots: d.slots, g });
    }
    return { v: 1, kind: 'micro', savedAt: now, windowMs: this.windowMs, buckets: this.ring.buckets, markets };
  }

  /** Restores a checkpoint at most MICRO_STALE_MS old with the same window; false (state untouched) otherwise. */
  fromCheckpoint(json: unknown, now: number): boolean {
    const res = parseMicroCheckpoint(json, now, this.windowMs, this.ring.buckets);
    if (!res.ok) return this.fail(res.reason);
    const ck = res.ck;
    this.restoreError = '';
    for (const mk of ck.markets) {
      if (this.slots.get(mk.m) === undefined) this.registerMarket(mk.m, mk.y, mk.n);
      const m = this.slots.get(mk.m);
      if (m === undefined) continue;
      this.ring.load(m, mk.last, mk.slots);
      this.gaps.load(m, mk.g, now);
      // Downtime is a gap; it stays open until both books are fresh again.
      this.gaps.add(m, ck.savedAt, Infinity, now);
      this.st[m * M + M_UNHEALTHY] = 3;
      this.st[m * M + M_SEEN] = mk.f ?? NaN;
      this.st[m * M + M_KEY] = 0;
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

  /** Market slot m was freed or handed to another market (SlotListener). */
  reset(m: number): void {
    this.ring.clear(m);
    this.gaps.clear(m);
    this.st[m * M + M_UNHEALTHY] = 0;
    this.st[m * M + M_SEEN] = NaN;
    this.st[m * M + M_KEY] = 0;
    this.st[m * M + M_TS] = 0;
    this.st[m * M + M_MERGED] = 0;
    this.st[m * M + M_WHALE] = 0;
  }

  /** Market slot capacity grew (SlotListener). */
  grow(c: number): void {
    this.ring.grow(c);
    this.gaps.grow(c);
    this.st = grown(this.st, c * M);
    this.ring.bindLast(this.st, M, M_RING_LAST);
  }
}
