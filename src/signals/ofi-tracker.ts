// OFI per token over rolling windows (default 30 s and 5 min), from the best
// bid/ask of each book update (ofi-math.ts) and from trade-signed flow.
//
// - Only fresh books count. A snapshot (first book or resync) sets the baseline
//   and is never flow; a stale/out-of-sync book drops the baseline and opens a
//   gap, closed by the next baseline. A window overlapping a gap is flagged.
// - The NO book mirrors the YES book: panes and `top` show one row per market,
//   the YES token's OFI; the NO book is used only for the YES/NO divergence.
// - State lives in typed arrays by token slot (ring buckets per window), so
//   onBook/onTrade do not allocate and memory is fixed per token.
import type { OrderBook } from '../book/order-book.js';
import type { TradeEvent } from '../protocol/events.js';
import { ownKey } from '../protocol/own-string.js';
import { BucketRing } from './bucket-ring.js';
import { GapLog } from './gap-log.js';
import { GAP_CONFIDENCE_FACTOR } from './micro-math.js';
import { NO_ASK, NO_BID, normalizeOfi, ofiEvent } from './ofi-math.js';
import { parseOfiCheckpoint, type OfiCheckpoint } from './ofi-checkpoint.js';
import { ofiRows, topEntry } from './ofi-rows.js';
import { Slots, type SlotListener } from './slots.js';
import { grown } from './typed.js';
import type { BookKind, OfiOptions, OfiRow, OfiTopEntry, OfiValue, TokenRole } from './ofi-types.js';
import { deepFreeze } from '../frozen.js';

export type { BookKind, OfiOptions, OfiRow, OfiTopEntry, OfiValue, TokenRole } from './ofi-types.js';

export { OFI_STALE_MS } from './ofi-checkpoint.js';
export const DEFAULT_OFI_WINDOWS_MS: readonly number[] = deepFreeze([30_000, 300_000]);
export const DEFAULT_OFI_BUCKETS = 30;
export const DEFAULT_MAX_TOKENS = 100_000;

// Bucket fields.
const F_OFI = 0; // Σ e
const F_FLOW = 1; // Σ signed trade size
const F_DEPTH = 2; // Σ (qb + qa) at each book update
const F_DEPTH_N = 3; // number of book updates
const FIELDS = 4;
// Per-token state fields (stride S).
const S_PB = 0; // previous best bid price (NO_BID if none)
const S_QB = 1;
const S_PA = 2; // previous best ask price (NO_ASK if none)
const S_QA = 3;
const S_HAS = 4; // 1 when the previous top is a valid baseline
const S_SEEN = 5; // first event time, NaN before
const S_LAST = 6; // S_LAST + w: last bucket written in window w (windows 0 and 1; more keep their own)
const S = 8;
const INLINE_WINDOWS = S - S_LAST;
const ROLE: Record<TokenRole, number> = { none: 0, yes: 1, no: 2 };
const ROLE_NAME: TokenRole[] = ['none', 'yes', 'no'];

/**
 * Listens to its own Slots: the tracker itself, not a closure per instance, so V8
 * optimises Slots' calls (and what they inline) once for every engine in a process.
 */
export class OfiTracker implements SlotListener {
  readonly windowsMs: readonly number[];
  readonly buckets: number;
  readonly stats = { changes: 0, snapshots: 0, trades: 0, ignored: 0 };
  /** Why the last fromCheckpoint returned false ('' if it did not). */
  restoreError = '';
  private readonly slots: Slots;
  private readonly rings: BucketRing[];
  private readonly gaps: GapLog;
  /** Per token, one cache line: previous top, baseline flag, first seen, ring clocks (see S_*). */
  private st: Float64Array;
  private role: Uint8Array;
  /** Slot of the other token of the market, -1 if none. */
  private pair: Int32Array;
  private readonly market: string[] = [];
  /** The book bound to each slot (its slotOwner is this tracker), so a reused slot unbinds it. */
  private readonly bookOf: (OrderBook | undefined)[] = [];

  constructor(opts: OfiOptions = {}) {
    this.windowsMs = [...(opts.windowsMs ?? DEFAULT_OFI_WINDOWS_MS)];
    if (this.windowsMs.length === 0) throw new Error('OfiTracker needs at least one window');
    this.buckets = opts.buckets ?? DEFAULT_OFI_BUCKETS;
    this.slots = opts.slots ?? new Slots(opts.initialCapacity ?? 1024, opts.maxTokens ?? DEFAULT_MAX_TOKENS);
    const c = this.slots.capacity;
    this.rings = this.windowsMs.map((w) => new BucketRing(w, this.buckets, FIELDS, c));
    this.gaps = new GapLog(c, Math.max(...this.windowsMs));
    this.st = new Float64Array(c * S);
    this.role = new Uint8Array(c);
    this.pair = new Int32Array(c).fill(-1);
    this.bindClocks();
    this.slots.listen(this);
  }

  /** A binary market: rows are keyed by its YES token; the NO token feeds the divergence only. */
  registerMarket(marketId: string, yesToken: string, noToken: string): void {
    const y = this.track(yesToken, marketId);
    const n = this.track(noToken, marketId);
    if (y < 0 || n < 0) return;
    this.market[y] = this.market[n] = marketId;
    this.role[y] = ROLE.yes;
    this.role[n] = ROLE.no;
    this.pair[y] = n;
    this.pair[n] = y;
  }

  /** Forgets a token (market resolved or unsubscribed); its slot is reused. */
  untrack(token: string): void {
    this.slots.remove(token);
  }

  /**
   * BookCache listener shape: snapshot = baseline (never flow), change = flow,
   * state = gap bookkeeping. Returns the token's slot (-1 if refused).
   */
  onBook(book: OrderBook, kind: BookKind, now: number): number {
    // The slot is cached on the book: hashing a 77-digit token id on every
    // update cost more than the OFI arithmetic.
    const i = book.slotOwner === this ? book.slot : this.bind(book);
    if (i < 0) return i;
    if (kind === 'trade') return i;
    if (book.state !== 'fresh') {
      // Flow across a stale or out-of-sync period is unknowable: drop the baseline.
      this.st[i * S + S_HAS] = 0;
      this.gaps.open(i, now);
      if (kind === 'change') this.stats.ignored++;
      return i;
    }
    if (kind === 'state') return i; // fresh again: the snapshot that made it so follows
    const pb = book.topBidPx;
    const pa = book.topAskPx;
    this.onTop(i, pb === pb ? pb : NO_BID, book.topBidSz, pa === pa ? pa : NO_ASK, book.topAskSz, kind === 'snapshot', now);
    return i;
  }

  /** Top-of-book entry point for callers that hold the numbers already (replay, bench). */
  onTop(i: number, pb: number, qb: number, pa: number, qa: number, snapshot: boolean, now: number): void {
    const st = this.st;
    const o = i * S;
    let e = 0;
    if (snapshot || st[o + S_HAS] === 0) {
      // Baseline: a snapshot (or the first fresh update after a gap) is never flow.
      this.stats.snapshots++;
      this.gaps.close(i, now);
      if (Number.isNaN(st[o + S_SEEN])) st[o + S_SEEN] = now;
      st[o + S_HAS] = 1;
    } else {
      this.stats.changes++;
      e = ofiEvent(st[o + S_PB]!, st[o + S_QB]!, st[o + S_PA]!, st[o + S_QA]!, pb, qb, pa, qa);
    }
    st[o + S_PB] = pb;
    st[o + S_QB] = qb;
    st[o + S_PA] = pa;
    st[o + S_QA] = qa;
    // Every update, baseline included, samples the depth used to normalise.
    const depth = qb + qa;
    for (let w = 0; w < this.rings.length; w++) {
      const r = this.rings[w]!;
      const s = r.slot(i, now);
      const d = r.data;
      d[s + F_OFI] += e;
      d[s + F_DEPTH] += depth;
      d[s + F_DEPTH_N] += 1;
    }
  }

  /** Trade-signed flow from last_trade_price: taker BUY +size, SELL −size. Returns the token's slot (-1 if refused). */
  onTrade(t: TradeEvent, now: number): number {
    let i = this.slots.get(t.asset);
    if (i === undefined) {
      i = this.track(t.asset, t.market);
      if (i < 0) return i;
    }
    this.onTradeSlot(i, t, now);
    return i;
  }

  /** onTrade for a caller that already holds the token's slot (the hub, from the traded book). */
  onTradeSlot(i: number, t: TradeEvent, now: number): void {
    this.stats.trades++;
    if (Number.isNaN(this.st[i * S + S_SEEN])) this.st[i * S + S_SEEN] = now;
    const signed = t.side === 'BUY' ? t.size : -t.size;
    for (let w = 0; w < this.rings.length; w++) {
      const r = this.rings[w]!;
      r.data[r.slot(i, now) + F_FLOW] += signed;
    }
  }

  /** The slot cached on a book by onBook, or -1 if the book is not bound to this tracker. */
  boundSlot(book: OrderBook): number {
    return book.slotOwner === this ? book.slot : -1;
  }

  /** A feed gap on these tokens: [startMs, endMs], or open until each book's next snapshot. */
  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    for (const token of tokens) {
      const i = this.slots.get(token);
      if (i === undefined) continue;
      this.gaps.add(i, startMs, endMs ?? Infinity, endMs ?? startMs);
      this.st[i * S + S_HAS] = 0;
    }
  }

  /** Slot index of a token (for onTop), or undefined. */
  slotOf(token: string): number | undefined {
    return this.slots.get(token);
  }

  marketOf(token: string): string | undefined {
    const i = this.slots.get(token);
    return i === undefined ? undefined : this.market[i];
  }

  roleOf(token: string): TokenRole | undefined {
    const i = this.slots.get(token);
    return i === undefined ? undefined : ROLE_NAME[this.role[i]!];
  }

  get size(): number {
    return this.slots.size;
  }

  /** Tokens refused because maxTokens was reached. */
  get rejected(): number {
    return this.slots.rejected;
  }

  /** Bytes held in typed arrays (excludes the id map). */
  get bytes(): number {
    let n = this.gaps.bytes;
    for (const r of this.rings) n += r.bytes;
    n += this.st.byteLength + this.role.byteLength + this.pair.byteLength;
    return n;
  }

  value(token: string, windowMs: number, now: number): OfiValue | undefined {
    const i = this.slots.get(token);
    const w = this.windowsMs.indexOf(windowMs);
    if (i === undefined || w < 0) return undefined;
    return this.slotValue(i, w, now);
  }

  /** Top n market rows by |normalised OFI| on `windowMs` (default: the shortest window). */
  rows(n: number, now: number, windowMs: number = this.windowsMs[0]!): OfiRow[] {
    return ofiRows(this, n, now, windowMs);
  }

  /** Compact top n for the headless summary key `ofi` (shortest window). */
  top(n: number, now: number): OfiTopEntry[] {
    return this.rows(n, now).map(topEntry);
  }

  // ---- slot-level reads (for ofi-rows.ts) -------------------------------------

  /** One past the highest token slot. */
  get slotEnd(): number {
    return this.slots.end;
  }

  /** A market row is keyed by a live YES (or unpaired) token with data in window w of its market. */
  isRowSlot(i: number, w: number, now: number): boolean {
    if (this.slots.keys[i] === '' || this.role[i] === ROLE.no) return false;
    const ring = this.rings[w]!;
    const oldest = ring.bucketOf(now) - ring.buckets + 1;
    const p = this.pair[i]!;
    return ring.lastOf(i) >= oldest || (p >= 0 && ring.lastOf(p) >= oldest);
  }

  slotToken(i: number): string {
    return this.slots.keys[i]!;
  }

  slotMarket(i: number): string {
    return this.market[i] ?? '';
  }

  /** The other token of the market, or -1. */
  slotPair(i: number): number {
    return this.pair[i]!;
  }

  /** The book is not fresh right now (open gap). */
  slotStale(i: number): boolean {
    return this.gaps.isOpen(i);
  }

  /** Window w of the token overlaps a gap. */
  slotGap(i: number, w: number, now: number): boolean {
    return this.gaps.overlaps(i, now - this.windowsMs[w]!, now);
  }

  /** The token has a book: a baseline now or updates in window w. */
  slotHasBook(i: number, w: number, now: number): boolean {
    return this.st[i * S + S_HAS] === 1 || this.rings[w]!.sum(i, now, F_DEPTH_N) > 0;
  }

  slotFlow(i: number, w: number, now: number): number {
    return this.rings[w]!.sum(i, now, F_FLOW);
  }

  slotNormalized(i: number, w: number, now: number): number {
    return normalizeOfi(this.rings[w]!.sum(i, now, F_OFI), this.depthOf(i, w, now));
  }

  slotValue(i: number, w: number, now: number): OfiValue {
    const r = this.rings[w]!;
    const W = this.windowsMs[w]!;
    const ofi = r.sum(i, now, F_OFI);
    const depth = this.depthOf(i, w, now);
    const from = now - W;
    const gap = this.gaps.overlaps(i, from, now);
    const seen = this.st[i * S + S_SEEN]!;
    const start = Number.isNaN(seen) ? now : Math.max(from, seen);
    const coverage = Math.min(1, Math.max(0, now - start - this.gaps.gapMs(i, start, now)) / W);
    return {
      windowMs: W,
      ofi,
      normalized: normalizeOfi(ofi, depth),
      tradeFlow: r.sum(i, now, F_FLOW),
      depth,
      gap,
      coverage,
      confidence: coverage * (gap ? GAP_CONFIDENCE_FACTOR : 1),
    };
  }

  /** Per-bucket OFI of the shortest window ÷ its average depth, oldest first. */
  slotHistory(i: number, now: number): number[] {
    const r = this.rings[0]!;
    const B = r.buckets;
    const depth = this.depthOf(i, 0, now);
    const last = r.lastOf(i);
    const b = Math.max(r.bucketOf(now), last);
    const out: number[] = [];
    for (let k = b - B + 1; k <= b; k++) out.push(k <= last && k > last - B && k >= 0 ? normalizeOfi(r.data[r.offset(i, k) + F_OFI]!, depth) : 0);
    return out;
  }

  // ---- checkpoints ----------------------------------------------------------

  toCheckpoint(now: number): OfiCheckpoint {
    const tokens: OfiCheckpoint['tokens'] = [];
    for (let i = 0; i < this.slots.end; i++) {
      const t = this.slots.keys[i]!;
      if (t === '') continue;
      const w = this.rings.map((r) => r.dump(i, now));
      const g = this.gaps.dump(i);
      if (w.every((d) => d.slots.length === 0) && g.length === 0) continue;
      const f = this.st[i * S + S_SEEN]!;
      tokens.push({ t, m: this.market[i] ?? '', r: ROLE_NAME[this.role[i]!]!, f: Number.isNaN(f) ? null : f, w, g });
    }
    return { v: 1, kind: 'ofi', savedAt: now, windowsMs: [...this.windowsMs], buckets: this.buckets, tokens };
  }

  /**
   * Restores a checkpoint taken at most OFI_STALE_MS ago with the same windows.
   * Returns false (state untouched, reason in restoreError) on anything else.
   * The downtime becomes a gap, and every restored token stays in an open gap
   * until its next snapshot.
   */
  fromCheckpoint(json: unknown, now: number): boolean {
    const res = parseOfiCheckpoint(json, now, this.windowsMs, this.buckets);
    if (!res.ok) return this.fail(res.reason);
    const ck = res.ck;
    this.restoreError = '';
    for (const tk of ck.tokens) {
      const i = this.slots.get(tk.t) ?? this.track(tk.t, tk.m);
      if (i < 0) continue;
      if (this.role[i] === ROLE.none && tk.r !== 'none') {
        this.role[i] = ROLE[tk.r];
        this.market[i] = tk.m;
      }
      tk.w.forEach((d, w) => this.rings[w]!.load(i, d.last, d.slots));
      this.gaps.load(i, tk.g, now);
      this.gaps.add(i, ck.savedAt, Infinity, now);
      this.st[i * S + S_SEEN] = tk.f ?? NaN;
      this.st[i * S + S_HAS] = 0;
    }
    this.relinkPairs();
    return true;
  }

  // ---- internals ------------------------------------------------------------

  private fail(reason: string): false {
    this.restoreError = reason;
    return false;
  }

  private track(token: string, marketId: string): number {
    // Ids may come straight from a frame (a trade for a token not registered yet): keep copies.
    const i = this.slots.add(ownKey(token));
    if (i >= 0 && !this.market[i]) this.market[i] = ownKey(marketId);
    return i;
  }

  /** Looks the book's token up once and caches its slot on the book. */
  private bind(book: OrderBook): number {
    const i = this.slots.get(book.asset) ?? this.track(book.asset, book.market);
    if (i < 0) return i;
    const old = this.bookOf[i];
    if (old !== undefined && old !== book && old.slotOwner === this) old.slotOwner = null;
    this.bookOf[i] = book;
    book.slotOwner = this;
    book.slot = i;
    return i;
  }

  /** Slot i was freed or handed to another token (SlotListener). */
  reset(i: number): void {
    const book = this.bookOf[i];
    if (book !== undefined && book.slotOwner === this) book.slotOwner = null;
    // Written for every slot as it is added, so the array stays dense: bind
    // writing far past its end turned it into a dictionary and back, a map of
    // its own that deoptimised this code in every replay of a sweep.
    this.bookOf[i] = undefined;
    const p = this.pair[i]!;
    if (p >= 0 && this.pair[p] === i) this.pair[p] = -1;
    for (const r of this.rings) r.clear(i);
    this.gaps.clear(i);
    this.st[i * S + S_HAS] = 0;
    this.role[i] = ROLE.none;
    this.pair[i] = -1;
    this.st[i * S + S_SEEN] = NaN;
    this.market[i] = '';
  }

  private relinkPairs(): void {
    const yesOf = new Map<string, number>();
    for (let i = 0; i < this.slots.end; i++) if (this.slots.keys[i] !== '' && this.role[i] === ROLE.yes && this.pair[i]! < 0) yesOf.set(this.market[i]!, i);
    for (let i = 0; i < this.slots.end; i++) {
      if (this.slots.keys[i] === '' || this.role[i] !== ROLE.no || this.pair[i]! >= 0) continue;
      const y = yesOf.get(this.market[i]!);
      if (y === undefined) continue;
      this.pair[i] = y;
      this.pair[y] = i;
    }
  }

  /** Slot capacity grew (SlotListener). */
  grow(c: number): void {
    for (const r of this.rings) r.grow(c);
    this.gaps.grow(c);
    this.st = grown(this.st, c * S);
    this.role = grown(this.role, c);
    this.pair = grown(this.pair, c, -1);
    this.bindClocks();
  }

  private bindClocks(): void {
    this.rings.forEach((r, w) => {
      if (w < INLINE_WINDOWS) r.bindLast(this.st, S, S_LAST + w);
    });
  }

  private depthOf(i: number, w: number, now: number): number {
    const r = this.rings[w]!;
    const n = r.sum(i, now, F_DEPTH_N);
    if (n > 0) return r.sum(i, now, F_DEPTH) / n;
    return this.st[i * S + S_HAS] ? this.st[i * S + S_QB]! + this.st[i * S + S_QA]! : 0;
  }
}

