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
import type { TradeEvent } from '../protocol/market-channel.js';
import { BucketRing } from './bucket-ring.js';
import { GapLog } from './gap-log.js';
import { GAP_CONFIDENCE_FACTOR } from './micro-math.js';
import { NO_ASK, NO_BID, normalizeOfi, ofiEvent } from './ofi-math.js';
import { OFI_STALE_MS, ofiCheckpointSchema, type OfiCheckpoint } from './ofi-checkpoint.js';
import { Slots } from './slots.js';

export { OFI_STALE_MS } from './ofi-checkpoint.js';
export const DEFAULT_OFI_WINDOWS_MS: readonly number[] = [30_000, 300_000];
export const DEFAULT_OFI_BUCKETS = 30;
export const DEFAULT_MAX_TOKENS = 100_000;

export type BookKind = 'snapshot' | 'change' | 'state' | 'trade';
export type TokenRole = 'yes' | 'no' | 'none';

export interface OfiOptions {
  /** Rolling windows in ms; the first is the pane's default and the sparkline's. */
  windowsMs?: readonly number[];
  /** Buckets per window (= sparkline points). */
  buckets?: number;
  maxTokens?: number;
  initialCapacity?: number;
}

export interface OfiValue {
  windowMs: number;
  /** Σ e over the window, in shares. */
  ofi: number;
  /** ofi / average top-of-book depth (qb + qa). */
  normalized: number;
  /** Σ taker BUY size − Σ taker SELL size on this token. */
  tradeFlow: number;
  /** Average qb + qa over the window (current depth if no update in it). */
  depth: number;
  /** The window overlaps a feed gap or a stale/out-of-sync period. */
  gap: boolean;
  /** Share of the window observed with a healthy feed, [0, 1]. */
  coverage: number;
  /** coverage × 0.5 when gap. */
  confidence: number;
}

export interface OfiRow extends OfiValue {
  marketId: string;
  token: string;
  /** Trade flow in YES terms: YES-token flow − NO-token flow. */
  tradeFlow: number;
  /** Every configured window, shortest first. */
  windows: { windowMs: number; ofi: number; normalized: number; tradeFlow: number; gap: boolean }[];
  /** normalized(YES) + normalized(NO) on the same window: 0 when the books mirror; null without a NO book. */
  divergence: number | null;
  /** Per-bucket OFI of the shortest window ÷ its average depth, oldest first (sums to `normalized` there). */
  history: number[];
  /** The book is not fresh right now (open gap). */
  stale: boolean;
}

/** Compact row for the headless summary key `ofi`. */
export interface OfiTopEntry {
  market: string;
  token: string;
  norm: number;
  ofi: number;
  flow: number;
  div: number | null;
  gap: boolean;
  stale: boolean;
}

const F_OFI = 0; // f64
const F_FLOW = 1; // f64
const F_DEPTH = 0; // f32: Σ (qb + qa) at each book update
const F_DEPTH_N = 1; // f32: number of book updates
const ROLE: Record<TokenRole, number> = { none: 0, yes: 1, no: 2 };
const ROLE_NAME: TokenRole[] = ['none', 'yes', 'no'];

export class OfiTracker {
  readonly windowsMs: readonly number[];
  readonly buckets: number;
  readonly stats = { changes: 0, snapshots: 0, trades: 0, ignored: 0 };
  /** Why the last fromCheckpoint returned false ('' if it did not). */
  restoreError = '';
  private readonly slots: Slots;
  private readonly rings: BucketRing[];
  private readonly gaps: GapLog;
  private pb: Float64Array;
  private qb: Float64Array;
  private pa: Float64Array;
  private qa: Float64Array;
  private hasPrev: Uint8Array;
  private role: Uint8Array;
  private pair: Int32Array;
  private firstSeen: Float64Array;
  private readonly market: string[] = [];

  constructor(opts: OfiOptions = {}) {
    this.windowsMs = [...(opts.windowsMs ?? DEFAULT_OFI_WINDOWS_MS)];
    if (this.windowsMs.length === 0) throw new Error('OfiTracker needs at least one window');
    this.buckets = opts.buckets ?? DEFAULT_OFI_BUCKETS;
    const cap = opts.initialCapacity ?? 1024;
    this.slots = new Slots(cap, opts.maxTokens ?? DEFAULT_MAX_TOKENS, (c) => this.grow(c));
    const c = this.slots.capacity;
    this.rings = this.windowsMs.map((w) => new BucketRing(w, this.buckets, { f64: 2, f32: 2 }, c));
    this.gaps = new GapLog(c, Math.max(...this.windowsMs));
    this.pb = new Float64Array(c);
    this.qb = new Float64Array(c);
    this.pa = new Float64Array(c);
    this.qa = new Float64Array(c);
    this.hasPrev = new Uint8Array(c);
    this.role = new Uint8Array(c);
    this.pair = new Int32Array(c).fill(-1);
    this.firstSeen = new Float64Array(c).fill(NaN);
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
    const i = this.slots.remove(token);
    if (i === undefined) return;
    const p = this.pair[i]!;
    if (p >= 0) this.pair[p] = -1;
    this.reset(i);
  }

  /** BookCache listener shape: snapshot = baseline (never flow), change = flow, state = gap bookkeeping. */
  onBook(book: OrderBook, kind: BookKind, now: number): void {
    if (kind === 'trade') return;
    let i = this.slots.get(book.asset);
    if (i === undefined) {
      i = this.track(book.asset, book.market);
      if (i < 0) return;
    }
    if (book.state !== 'fresh') {
      // Flow across a stale or out-of-sync period is unknowable: drop the baseline.
      this.hasPrev[i] = 0;
      this.gaps.open(i, now);
      if (kind === 'change') this.stats.ignored++;
      return;
    }
    if (kind === 'state') return; // fresh again: the snapshot that made it so follows
    const nb = book.bidPx.length;
    const na = book.askPx.length;
    this.onTop(i, nb ? book.bidPx[nb - 1]! : NO_BID, nb ? book.bidSz[nb - 1]! : 0, na ? book.askPx[na - 1]! : NO_ASK, na ? book.askSz[na - 1]! : 0, kind === 'snapshot', now);
  }

  /** Top-of-book entry point for callers that hold the numbers already (replay, bench). */
  onTop(i: number, pb: number, qb: number, pa: number, qa: number, snapshot: boolean, now: number): void {
    let e = 0;
    if (snapshot || this.hasPrev[i] === 0) {
      // Baseline: a snapshot (or the first fresh update after a gap) is never flow.
      this.stats.snapshots++;
      this.gaps.close(i, now);
      if (this.firstSeen[i] !== this.firstSeen[i]) this.firstSeen[i] = now;
      this.hasPrev[i] = 1;
    } else {
      this.stats.changes++;
      e = ofiEvent(this.pb[i]!, this.qb[i]!, this.pa[i]!, this.qa[i]!, pb, qb, pa, qa);
    }
    // Every update, baseline included, samples the depth used to normalise.
    const depth = qb + qa;
    for (let w = 0; w < this.rings.length; w++) {
      const r = this.rings[w]!;
      const s = r.slot(i, now);
      r.f64[F_OFI]![s] += e;
      r.f32[F_DEPTH]![s] += depth;
      r.f32[F_DEPTH_N]![s] += 1;
    }
    this.pb[i] = pb;
    this.qb[i] = qb;
    this.pa[i] = pa;
    this.qa[i] = qa;
  }

  /** Trade-signed flow from last_trade_price: taker BUY +size, SELL −size. */
  onTrade(t: TradeEvent, now: number): void {
    let i = this.slots.get(t.asset);
    if (i === undefined) {
      i = this.track(t.asset, t.market);
      if (i < 0) return;
    }
    this.stats.trades++;
    if (this.firstSeen[i] !== this.firstSeen[i]) this.firstSeen[i] = now;
    const signed = t.side === 'BUY' ? t.size : -t.size;
    for (let w = 0; w < this.rings.length; w++) {
      const r = this.rings[w]!;
      r.f64[F_FLOW]![r.slot(i, now)] += signed;
    }
  }

  /** A feed gap on these tokens: [startMs, endMs], or open until each book's next snapshot. */
  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    for (const token of tokens) {
      const i = this.slots.get(token);
      if (i === undefined) continue;
      this.gaps.add(i, startMs, endMs ?? Infinity, endMs ?? startMs);
      this.hasPrev[i] = 0;
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
    for (const a of [this.pb, this.qb, this.pa, this.qa, this.hasPrev, this.role, this.pair, this.firstSeen]) n += a.byteLength;
    return n;
  }

  value(token: string, windowMs: number, now: number): OfiValue | undefined {
    const i = this.slots.get(token);
    const w = this.windowsMs.indexOf(windowMs);
    if (i === undefined || w < 0) return undefined;
    return this.read(i, w, now);
  }

  /** Top n market rows by |normalised OFI| on `windowMs` (default: the shortest window). */
  rows(n: number, now: number, windowMs: number = this.windowsMs[0]!): OfiRow[] {
    const w = this.windowsMs.indexOf(windowMs);
    if (w < 0 || n <= 0) return [];
    const ring = this.rings[w]!;
    const oldest = ring.bucketOf(now) - ring.buckets + 1;
    const idx: number[] = [];
    const key: number[] = [];
    for (let i = 0; i < this.slots.end; i++) {
      if (this.slots.keys[i] === '' || this.role[i] === ROLE.no) continue;
      const p = this.pair[i]!;
      if (ring.last[i]! < oldest && (p < 0 || ring.last[p]! < oldest)) continue; // nothing in the window
      const k = Math.abs(this.normalized(i, w, now));
      if (idx.length === n && k <= key[n - 1]!) continue;
      let at = idx.length;
      while (at > 0 && key[at - 1]! < k) at--;
      idx.splice(at, 0, i);
      key.splice(at, 0, k);
      if (idx.length > n) {
        idx.pop();
        key.pop();
      }
    }
    return idx.map((i) => this.row(i, w, now));
  }

  /** Compact top n for the headless summary key `ofi` (shortest window). */
  top(n: number, now: number): OfiTopEntry[] {
    return this.rows(n, now).map((r) => ({
      market: r.marketId,
      token: r.token,
      norm: round(r.normalized, 4),
      ofi: round(r.ofi, 2),
      flow: round(r.tradeFlow, 2),
      div: r.divergence === null ? null : round(r.divergence, 4),
      gap: r.gap,
      stale: r.stale,
    }));
  }

  // ---- checkpoints ----------------------------------------------------------

  toCheckpoint(now: number): OfiCheckpoint {
    const tokens: OfiCheckpoint['tokens'] = [];
    for (let i = 0; i < this.slots.end; i++) {
      const t = this.slots.keys[i]!;
      if (t === '') continue;
      const w = this.rings.map((r) => r.dump(i));
      const g = this.gaps.dump(i);
      if (w.every((d) => d.slots.length === 0) && g.length === 0) continue;
      const f = this.firstSeen[i]!;
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
    const parsed = ofiCheckpointSchema.safeParse(json);
    this.restoreError = '';
    if (!parsed.success) return this.fail(`invalid: ${parsed.error.issues[0]?.message ?? 'schema'}`);
    const ck = parsed.data;
    if (ck.buckets !== this.buckets || ck.windowsMs.join() !== this.windowsMs.join()) return this.fail('window configuration changed');
    if (ck.savedAt > now) return this.fail('saved in the future');
    if (now - ck.savedAt > OFI_STALE_MS) return this.fail(`stale: ${now - ck.savedAt} ms old > ${OFI_STALE_MS} ms`);
    for (const tk of ck.tokens) {
      if (tk.w.length !== this.rings.length || tk.w.some((d) => d.slots.some((s) => s[0]! >= this.buckets))) return this.fail(`bad windows for ${tk.t}`);
    }
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
      this.firstSeen[i] = tk.f ?? NaN;
      this.hasPrev[i] = 0;
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
    const existing = this.slots.get(token);
    if (existing !== undefined) return existing;
    const i = this.slots.add(token);
    if (i < 0) return i;
    this.reset(i);
    this.market[i] = marketId;
    return i;
  }

  private reset(i: number): void {
    for (const r of this.rings) r.clear(i);
    this.gaps.clear(i);
    this.hasPrev[i] = 0;
    this.role[i] = ROLE.none;
    this.pair[i] = -1;
    this.firstSeen[i] = NaN;
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

  private grow(c: number): void {
    for (const r of this.rings) r.grow(c);
    this.gaps.grow(c);
    this.pb = growF64(this.pb, c);
    this.qb = growF64(this.qb, c);
    this.pa = growF64(this.pa, c);
    this.qa = growF64(this.qa, c);
    this.firstSeen = growF64(this.firstSeen, c, NaN);
    const hp = new Uint8Array(c);
    hp.set(this.hasPrev);
    this.hasPrev = hp;
    const ro = new Uint8Array(c);
    ro.set(this.role);
    this.role = ro;
    const pr = new Int32Array(c).fill(-1);
    pr.set(this.pair);
    this.pair = pr;
  }

  private depthOf(i: number, w: number, now: number): number {
    const r = this.rings[w]!;
    const n = r.sum32(i, now, F_DEPTH_N);
    if (n > 0) return r.sum32(i, now, F_DEPTH) / n;
    return this.hasPrev[i] ? this.qb[i]! + this.qa[i]! : 0;
  }

  private normalized(i: number, w: number, now: number): number {
    return normalizeOfi(this.rings[w]!.sum64(i, now, F_OFI), this.depthOf(i, w, now));
  }

  private read(i: number, w: number, now: number): OfiValue {
    const r = this.rings[w]!;
    const W = this.windowsMs[w]!;
    const ofi = r.sum64(i, now, F_OFI);
    const depth = this.depthOf(i, w, now);
    const from = now - W;
    const gap = this.gaps.overlaps(i, from, now);
    const seen = this.firstSeen[i]!;
    const start = Number.isNaN(seen) ? now : Math.max(from, seen);
    const coverage = Math.min(1, Math.max(0, now - start - this.gaps.gapMs(i, start, now)) / W);
    return {
      windowMs: W,
      ofi,
      normalized: normalizeOfi(ofi, depth),
      tradeFlow: r.sum64(i, now, F_FLOW),
      depth,
      gap,
      coverage,
      confidence: coverage * (gap ? GAP_CONFIDENCE_FACTOR : 1),
    };
  }

  private row(i: number, w: number, now: number): OfiRow {
    const p = this.pair[i]!;
    const windows = this.windowsMs.map((W, k) => {
      const v = this.read(i, k, now);
      const tradeFlow = p >= 0 ? v.tradeFlow - this.rings[k]!.sum64(p, now, F_FLOW) : v.tradeFlow;
      return { windowMs: W, ofi: v.ofi, normalized: v.normalized, tradeFlow, gap: v.gap };
    });
    const v = this.read(i, w, now);
    const hasNo = p >= 0 && (this.hasPrev[p] === 1 || this.rings[w]!.sum32(p, now, F_DEPTH_N) > 0);
    return {
      ...v,
      marketId: this.market[i] ?? '',
      token: this.slots.keys[i]!,
      tradeFlow: windows[w]!.tradeFlow,
      windows,
      divergence: hasNo ? v.normalized + this.normalized(p, w, now) : null,
      history: this.history(i, now),
      stale: this.gaps.isOpen(i),
    };
  }

  private history(i: number, now: number): number[] {
    const r = this.rings[0]!;
    const B = r.buckets;
    const depth = this.depthOf(i, 0, now);
    const last = r.last[i]!;
    const b = Math.max(r.bucketOf(now), last);
    const out: number[] = [];
    const ofi = r.f64[F_OFI]!;
    for (let k = b - B + 1; k <= b; k++) out.push(k <= last && k > last - B && k >= 0 ? normalizeOfi(ofi[i * B + (k % B)]!, depth) : 0);
    return out;
  }
}

function growF64(a: Float64Array, c: number, fill = 0): Float64Array {
  const out = new Float64Array(c).fill(fill);
  out.set(a);
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
