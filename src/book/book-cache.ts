// All local books, and the rules that decide whether each one can be trusted
// (DESIGN §3): fresh, stale (no snapshot since (re)connect, or a gap) or
// out-of-sync (local top disagrees with the venue's best_bid/best_ask, or after a
// tick size change). Only fresh books feed signals, arbitrage and fills.
import type { BookEvent, MarketEvent, PriceChangeEvent } from '../protocol/events.js';
import { ownKey, ownString } from '../protocol/own-string.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { OrderBook, type BookState } from './order-book.js';

export interface BookCounts {
  total: number;
  fresh: number;
  stale: number;
  outOfSync: number;
}

export interface ApplyStats {
  /** Level changes applied. */
  applied: number;
  /** price_change entries dropped: older than the book's snapshot, or no snapshot yet. */
  dropped: number;
}

/** Deltas kept per non-fresh book, to replay those newer than the next snapshot. */
const MAX_PENDING = 2000;

interface PendingDelta {
  ts: number;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
}

export type BookListener = (book: OrderBook, kind: 'snapshot' | 'change' | 'trade' | 'state') => void;

export class BookCache {
  readonly books = new Map<string, OrderBook>();
  /**
   * Changes whenever a book object is created or dropped: a reader that keeps
   * books it looked up (the arbitrage scanner) may reuse them while it holds.
   */
  epoch = 0;
  readonly stats: ApplyStats = { applied: 0, dropped: 0 };
  /**
   * True while the events being applied carry strings of their own (a compiled
   * recording's string table), not slices of a frame: a book keeps them
   * without the copy `ownString` makes.
   */
  stringsOwned = false;
  /** Assets that became out-of-sync and want a REST resync. */
  readonly needsResync = new Set<string>();
  private listeners: BookListener[] = [];
  /**
   * While a book is not fresh its deltas are kept: a REST snapshot may be served
   * before deltas that reach us first, and those must be replayed on top of it.
   */
  private readonly pending = new Map<string, PendingDelta[]>();
  /** Books whose pending buffer overflowed: the next snapshot cannot be trusted alone. */
  private readonly overflowed = new Set<string>();
  /** Gaps per book (stale, out-of-sync): a REST answer asked for before the latest gap may not cover it. */
  private readonly gaps = new Map<string, number>();

  onUpdate(listener: BookListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get(asset: string): OrderBook | undefined {
    return this.books.get(asset);
  }

  /** Registers an asset so it is counted (stale until its first snapshot). */
  track(asset: string, market = ''): OrderBook {
    let book = this.books.get(asset);
    if (!book) {
      book = new OrderBook(ownKey(asset));
      book.market = ownKey(market);
      this.books.set(book.asset, book);
      this.epoch++;
    }
    return book;
  }

  untrack(asset: string): void {
    if (this.books.delete(asset)) this.epoch++;
    this.needsResync.delete(asset);
    this.pending.delete(asset);
    this.overflowed.delete(asset);
    this.gaps.delete(asset);
  }

  /** How many gaps the book has had; changes whenever it is marked stale or found out of sync. */
  gapCount(asset: string): number {
    return this.gaps.get(asset) ?? 0;
  }

  /** Applies one decoded venue event. `now` is the local receive time in ms. */
  apply(ev: MarketEvent, now: number): void {
    switch (ev.type) {
      case 'book':
        this.applySnapshot(ev, now);
        return;
      case 'price_change':
        this.applyChanges(ev, now);
        return;
      case 'last_trade_price': {
        const book = this.books.get(ev.asset);
        if (!book) return;
        book.lastTradePrice = ev.price;
        book.receivedAt = now;
        this.emit(book, 'trade');
        return;
      }
      case 'tick_size_change': {
        const book = this.books.get(ev.asset);
        if (!book) return;
        book.tick = ev.newTick;
        book.receivedAt = now;
        // The venue re-prices levels on a tick change; drop the book and resync.
        book.clear();
        this.setState(book, 'out-of-sync', `tick size ${ev.oldTick / PRICE_SCALE} → ${ev.newTick / PRICE_SCALE}`);
        return;
      }
      case 'best_bid_ask': {
        const book = this.books.get(ev.asset);
        if (!book || book.state !== 'fresh') return;
        book.receivedAt = now;
        this.checkTop(book, ev.bestBid, ev.bestAsk);
        return;
      }
      default:
        return;
    }
  }

  /**
   * A snapshot fetched over REST. It travels outside the WebSocket's order: by
   * the time it lands, the feed may already have made the book fresh again (a
   * venue `book` event, sent after every trade) and applied changes newer than
   * the REST answer. A fresh book that has already reached the answer's
   * timestamp keeps its state, since applying the answer would undo those
   * changes with nothing left to replay. A book that is not fresh takes it (its
   * buffered changes are replayed on top).
   */
  applyRestSnapshot(ev: BookEvent, now: number): { book: OrderBook; applied: boolean } {
    const held = this.books.get(ev.asset);
    if (held && (ev.ts < held.snapshotTs || (held.state === 'fresh' && ev.ts <= held.updateTs))) {
      // A REST book is stamped with its last change (its hash matches the feed's
      // at that timestamp), so an answer stamped exactly as this fresh book says
      // the venue had nothing newer: the book is confirmed current as of now,
      // though not replaced (quote-age gates, such as confirming an arbitrage on
      // depth, read receivedAt). An older answer arrived late and confirms nothing.
      if (held.state === 'fresh' && ev.ts === held.updateTs) held.receivedAt = Math.max(held.receivedAt, now);
      return { book: held, applied: false };
    }
    return { book: this.applySnapshot(ev, now), applied: true };
  }

  /** A full snapshot in the WebSocket's order (or a REST one, see applyRestSnapshot): the book becomes fresh. */
  applySnapshot(ev: BookEvent, now: number): OrderBook {
    const book = this.track(ev.asset, ev.market);
    // A REST snapshot older than what we already applied must not roll the book back.
    if (ev.ts < book.snapshotTs) return book;
    if (book.market !== ev.market) book.market = ownKey(ev.market);
    if (ev.columns) book.replaceColumns(ev.columns);
    else book.replace(ev.bids, ev.asks);
    book.snapshotTs = ev.ts;
    book.updateTs = ev.ts;
    book.receivedAt = now;
    book.hash = this.stringsOwned ? ev.hash : ownString(ev.hash);
    if (ev.lastTradePrice !== undefined) book.lastTradePrice = ev.lastTradePrice;
    // Most snapshots find nothing buffered, overflowed or awaiting resync: skip those lookups by id when the sets are empty.
    const buffered = this.pending.size ? this.pending.get(ev.asset) : undefined;
    if (buffered) {
      this.pending.delete(ev.asset);
      for (const d of buffered) {
        if (d.ts <= ev.ts) continue;
        book.setLevel(d.side, d.price, d.size);
        book.updateTs = d.ts;
      }
    }
    if (this.overflowed.size && this.overflowed.delete(ev.asset)) {
      // Changes were lost while waiting: this snapshot may already be behind.
      this.needsResync.add(book.asset);
      this.gap(book.asset);
      this.setState(book, 'stale', 'resync buffer overflowed; resyncing again');
      this.emit(book, 'snapshot');
      return book;
    }
    if (this.needsResync.size) this.needsResync.delete(ev.asset);
    if (book.state !== 'fresh') this.setState(book, 'fresh', '');
    this.emit(book, 'snapshot');
    return book;
  }

  private applyChanges(ev: PriceChangeEvent, now: number): void {
    const changes = ev.changes;
    const n = changes.length;
    // A message is consistent only after its last entry for an asset: compare the
    // venue's best bid/ask there, whether it stamps per entry or per message.
    // Entries are grouped by asset in practice; `lastOf` finds each group's end.
    for (let i = 0; i < n; i++) {
      const c = changes[i]!;
      const book = this.books.get(c.asset);
      if (!book) {
        this.stats.dropped++;
        continue;
      }
      if (book.state !== 'fresh') this.keep(book.asset, ev.ts, c.side, c.price, c.size);
      // No snapshot yet (stale with no levels) or older than the snapshot: drop.
      if (book.snapshotTs === 0 || ev.ts < book.snapshotTs) {
        this.stats.dropped++;
        continue;
      }
      book.setLevel(c.side, c.price, c.size);
      book.updateTs = ev.ts;
      book.receivedAt = now;
      // The copy is made once per run of entries for the book: a following entry for it with a hash replaces this one.
      if (c.hash !== undefined) {
        const next = changes[i + 1];
        if (next === undefined || next.hash === undefined || next.asset !== c.asset) book.hash = this.stringsOwned ? c.hash : ownString(c.hash);
      }
      this.stats.applied++;
      if (book.state === 'fresh' && isLastOf(changes, i)) this.checkTop(book, c.bestBid, c.bestAsk);
      if (this.listeners.length) this.emit(book, 'change');
    }
  }

  private keep(asset: string, ts: number, side: 'BUY' | 'SELL', price: number, size: number): void {
    let list = this.pending.get(asset);
    if (!list) this.pending.set(asset, (list = []));
    if (list.length >= MAX_PENDING) {
      list.length = 0;
      this.overflowed.add(asset);
    }
    list.push({ ts, side, price, size });
  }

  private checkTop(book: OrderBook, bestBid: number | undefined, bestAsk: number | undefined): void {
    // The venue reports 0 / 1 for an empty side.
    if (bestBid !== undefined && (book.bestBid ?? 0) !== bestBid) {
      this.setState(book, 'out-of-sync', `best bid ${fmt(book.bestBid)} ≠ venue ${fmt(bestBid)}`);
    } else if (bestAsk !== undefined && (book.bestAsk ?? PRICE_SCALE) !== bestAsk) {
      this.setState(book, 'out-of-sync', `best ask ${fmt(book.bestAsk)} ≠ venue ${fmt(bestAsk)}`);
    }
  }

  /** Marks books stale (reconnect, gap); they stay stale until a new snapshot. */
  markStale(assets: Iterable<string>, reason: string): number {
    let n = 0;
    for (const asset of assets) {
      const book = this.books.get(asset);
      if (!book) continue;
      book.snapshotTs = 0;
      this.gap(asset);
      if (book.state !== 'stale') {
        this.setState(book, 'stale', reason);
        n++;
      } else book.reason = reason;
    }
    return n;
  }

  private setState(book: OrderBook, state: BookState, reason: string): void {
    book.state = state;
    book.reason = reason;
    if (state === 'out-of-sync') {
      this.needsResync.add(book.asset);
      this.gap(book.asset);
    }
    this.emit(book, 'state');
  }

  /** From here on the local book is not trusted: a REST answer asked for earlier does not cover it. */
  private gap(asset: string): void {
    this.gaps.set(asset, (this.gaps.get(asset) ?? 0) + 1);
  }

  counts(): BookCounts {
    const c: BookCounts = { total: 0, fresh: 0, stale: 0, outOfSync: 0 };
    for (const b of this.books.values()) {
      c.total++;
      if (b.state === 'fresh') c.fresh++;
      else if (b.state === 'stale') c.stale++;
      else c.outOfSync++;
    }
    return c;
  }

  private emit(book: OrderBook, kind: 'snapshot' | 'change' | 'trade' | 'state'): void {
    for (const l of this.listeners) l(book, kind);
  }
}

function fmt(units: number | undefined): string {
  return units === undefined ? '—' : (units / PRICE_SCALE).toFixed(4);
}

/** True when no later entry of the message touches the same asset. */
function isLastOf(changes: readonly { asset: string }[], i: number): boolean {
  const asset = changes[i]!.asset;
  const next = changes[i + 1];
  // Common case: entries of one asset are contiguous.
  if (next !== undefined && next.asset === asset) return false;
  for (let j = i + 2; j < changes.length; j++) if (changes[j]!.asset === asset) return false;
  return true;
}
