// The venue's own book for one token. It is written apart from the engine's
// book (src/book/) on purpose: the soak's "every fresh book equals the
// venue's" then compares two independent implementations, not a class with
// itself. Levels live in maps keyed by integer price units (0.0001); each
// level holds the market makers' aggregate size and a FIFO queue of accounts'
// resting orders, and its public size is the sum of both — what REST /book and
// the market channel show, like the real venue's book.
import type { Side } from '../protocol/events.js';

/** What the book needs to know about an account's resting order. */
export interface Resting {
  side: Side;
  /** Price units. */
  price: number;
  original: number;
  matched: number;
  /** Funder address: a taker never matches its own resting orders. */
  maker: string;
}

interface Level<R> {
  makers: number;
  queue: R[];
}

/** One fill from `match`: against the makers' size, or against a resting order. */
export interface BookFill<R> {
  price: number;
  size: number;
  order?: R;
}

/** A level whose public size changed (size 0 = gone). */
export interface Touched {
  side: Side;
  price: number;
  size: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const left = (o: Resting) => o.original - o.matched;

export class SimBook<R extends Resting = Resting> {
  market = '';
  /** Tick size in price units. */
  tick = 100;
  /** Sim-clock ms of the last change. */
  updateTs = 0;
  snapshotTs = 0;
  lastTradePrice: number | undefined;
  /** Bumped on every change of a public level. */
  version = 0;
  /** The venue's own book is always current (read as a BookView by tests and benches). */
  state: 'fresh' | 'stale' | 'out-of-sync' = 'fresh';
  receivedAt = 0;
  /** Called with every public level change (the exchange's level log). */
  onLevel: ((side: Side, price: number, size: number) => void) | undefined;
  /** Called when every level is dropped at once (a tick size change). */
  onReset: (() => void) | undefined;

  private readonly bids = new Map<number, Level<R>>();
  private readonly asks = new Map<number, Level<R>>();
  /** Prices best-first per side (bids descending, asks ascending), kept in step with the maps. */
  private readonly bidOrder: number[] = [];
  private readonly askOrder: number[] = [];
  private resting = { BUY: 0, SELL: 0 };
  private view: { version: number; bidPx: number[]; bidSz: number[]; askPx: number[]; askSz: number[] } | undefined;

  constructor(readonly asset: string) {}

  private side(s: Side): Map<number, Level<R>> {
    return s === 'BUY' ? this.bids : this.asks;
  }

  /** Prices of one side, best first (a live view: copy before changing the book while walking it). */
  prices(s: Side): readonly number[] {
    return s === 'BUY' ? this.bidOrder : this.askOrder;
  }

  /** Where `price` is (or would go) in a side's best-first order. */
  private slot(s: Side, price: number): number {
    // Bids best-first are descending, asks ascending: compare on a signed axis.
    const a = s === 'BUY' ? this.bidOrder : this.askOrder;
    const dir = s === 'BUY' ? -1 : 1;
    const key = dir * price;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dir * a[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private newLevel(s: Side, price: number): Level<R> {
    const l: Level<R> = { makers: 0, queue: [] };
    this.side(s).set(price, l);
    (s === 'BUY' ? this.bidOrder : this.askOrder).splice(this.slot(s, price), 0, price);
    return l;
  }

  private dropLevel(s: Side, price: number): void {
    this.side(s).delete(price);
    const a = s === 'BUY' ? this.bidOrder : this.askOrder;
    const i = this.slot(s, price);
    if (a[i] === price) a.splice(i, 1);
  }

  /** Public size at a price (makers plus resting orders). */
  size(s: Side, price: number): number {
    const l = this.side(s).get(price);
    return l ? total(l) : 0;
  }

  /** The market makers' part of a level. */
  makersAt(s: Side, price: number): number {
    const l = (s === 'BUY' ? this.bids : this.asks).get(price);
    return l === undefined ? 0 : l.makers;
  }

  /** Prices where the makers quote, best first (a copy). */
  makerPrices(s: Side): number[] {
    // Without resting orders every level is a maker level (empty levels are removed).
    if (!this.resting[s]) return this.prices(s).slice();
    const m = this.side(s);
    return this.prices(s).filter((p) => m.get(p)!.makers > 0);
  }

  /** Best price of the accounts' resting orders on a side. */
  bestResting(s: Side): number | undefined {
    if (!this.resting[s]) return undefined;
    const m = this.side(s);
    for (const p of this.prices(s)) if (m.get(p)!.queue.length) return p;
    return undefined;
  }

  get bestBid(): number | undefined {
    return this.prices('BUY')[0];
  }
  get bestAsk(): number | undefined {
    return this.prices('SELL')[0];
  }
  get bestBidSize(): number {
    const p = this.bestBid;
    return p === undefined ? 0 : this.size('BUY', p);
  }
  get bestAskSize(): number {
    const p = this.bestAsk;
    return p === undefined ? 0 : this.size('SELL', p);
  }

  /** Sets the makers' size at a price; returns the level's new public size. */
  setMakers(s: Side, price: number, size: number): number {
    const m = this.side(s);
    let l = m.get(price);
    if (!l) {
      if (size <= 0) return 0;
      l = this.newLevel(s, price);
    }
    l.makers = Math.max(0, size);
    return this.changed(s, price, l);
  }

  /** Queues an account's order at the back of its level; returns the level's public size. */
  add(o: R): number {
    const l = this.side(o.side).get(o.price) ?? this.newLevel(o.side, o.price);
    l.queue.push(o);
    this.resting[o.side]++;
    return this.changed(o.side, o.price, l);
  }

  /** Takes an account's order off its level; undefined when it was not resting here. */
  remove(o: R): number | undefined {
    const l = this.side(o.side).get(o.price);
    const i = l ? l.queue.indexOf(o) : -1;
    if (!l || i < 0) return undefined;
    l.queue.splice(i, 1);
    this.resting[o.side]--;
    return this.changed(o.side, o.price, l);
  }

  /** Every resting order, bids then asks. */
  orders(): R[] {
    const out: R[] = [];
    for (const m of [this.bids, this.asks]) for (const l of m.values()) out.push(...l.queue);
    return out;
  }

  /** Resting orders of one side, best price first, time order within a price. */
  ordersOf(s: Side): R[] {
    const m = this.side(s);
    const out: R[] = [];
    for (const p of this.prices(s)) out.push(...m.get(p)!.queue);
    return out;
  }

  /** Drops every maker level (a tick size change); accounts' orders stay. */
  dropMakers(): void {
    this.onReset?.();
    for (const s of ['BUY', 'SELL'] as const) {
      const m = this.side(s);
      for (const [p, l] of m) {
        l.makers = 0;
        if (!l.queue.length) this.dropLevel(s, p);
        else this.onLevel?.(s, p, total(l));
      }
    }
    this.version++;
  }

  /**
   * Shares a taker on `takerSide` could get at `limit` or better, leaving out
   * the resting orders of `exclude` (its own).
   */
  fillable(takerSide: Side, limit: number, exclude?: string): number {
    const s: Side = takerSide === 'BUY' ? 'SELL' : 'BUY';
    const m = this.side(s);
    let n = 0;
    for (const p of this.prices(s)) {
      if (takerSide === 'BUY' ? p > limit : p < limit) break;
      const l = m.get(p)!;
      n += l.makers;
      for (const o of l.queue) if (o.maker !== exclude) n += left(o);
    }
    return n;
  }

  /**
   * Price-time matching for a taker: levels best first, no further than
   * `limit`; at each level the accounts' orders (oldest first) fill ahead of
   * the makers' size. `exclude`'s own orders are skipped and stay. Returns the
   * fills and every level whose public size changed.
   */
  match(takerSide: Side, shares: number, limit: number | undefined, exclude?: string): { fills: BookFill<R>[]; touched: Touched[] } {
    const s: Side = takerSide === 'BUY' ? 'SELL' : 'BUY';
    const m = this.side(s);
    const fills: BookFill<R>[] = [];
    const touched: Touched[] = [];
    for (const p of this.prices(s).slice()) {
      if (shares <= 0.005) break;
      if (limit !== undefined && (takerSide === 'BUY' ? p > limit : p < limit)) break;
      const l = m.get(p)!;
      const before = total(l);
      for (let i = 0; i < l.queue.length && shares > 0.005; ) {
        const o = l.queue[i]!;
        if (o.maker === exclude) {
          i++;
          continue;
        }
        const q = round2(Math.min(shares, left(o)));
        if (q <= 0) break;
        shares -= q;
        o.matched = round2(o.matched + q);
        fills.push({ price: p, size: q, order: o });
        if (left(o) < 0.005) {
          l.queue.splice(i, 1);
          this.resting[s]--;
        } else i++;
      }
      if (shares > 0.005 && l.makers > 0) {
        const q = Math.min(shares, l.makers);
        shares -= q;
        l.makers = round2(l.makers - q);
        fills.push({ price: p, size: round2(q) });
      }
      const after = total(l);
      if (after !== before) {
        this.changed(s, p, l);
        touched.push({ side: s, price: p, size: after });
      }
    }
    return { fills, touched };
  }

  private changed(s: Side, price: number, l: Level<R>): number {
    this.version++;
    const size = total(l);
    if (size <= 0 && !l.queue.length) this.dropLevel(s, price);
    this.onLevel?.(s, price, size);
    return size;
  }

  private materialise(): NonNullable<SimBook['view']> {
    if (this.view && this.view.version === this.version) return this.view;
    const bp = this.bidOrder.slice().reverse();
    const ap = this.askOrder.slice().reverse();
    this.view = {
      version: this.version,
      bidPx: bp,
      bidSz: bp.map((p) => this.size('BUY', p)),
      askPx: ap,
      askSz: ap.map((p) => this.size('SELL', p)),
    };
    return this.view;
  }

  /**
   * Every public level in the venue's wire order: bids ascending, then asks
   * descending (best last on each side). No arrays are built.
   */
  forEachWire(fn: (side: Side, price: number, size: number) => void): void {
    for (let i = this.bidOrder.length - 1; i >= 0; i--) fn('BUY', this.bidOrder[i]!, total(this.bids.get(this.bidOrder[i]!)!));
    for (let i = this.askOrder.length - 1; i >= 0; i--) fn('SELL', this.askOrder[i]!, total(this.asks.get(this.askOrder[i]!)!));
  }

  /** Bid prices ascending (best last), as the venue serialises them and BookView readers expect. */
  get bidPx(): readonly number[] {
    return this.materialise().bidPx;
  }
  get bidSz(): readonly number[] {
    return this.materialise().bidSz;
  }
  /** Ask prices descending (best last). */
  get askPx(): readonly number[] {
    return this.materialise().askPx;
  }
  get askSz(): readonly number[] {
    return this.materialise().askSz;
  }
}

function total<R extends Resting>(l: Level<R>): number {
  if (l.queue.length === 0) return l.makers;
  let n = l.makers;
  for (const o of l.queue) n += left(o);
  return round2(n);
}
