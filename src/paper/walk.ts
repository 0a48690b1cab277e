// Walking a book for a taker order: level by level from the best price, never
// past the limit, each level's size capped by what is there (less what earlier
// paper fills already took from the same, unchanged book). The result is the
// fill plan: real levels only, so a paper fill is never better than live.
import type { PaperBook, Side } from './types.js';
import { floorShares } from './money.js';

export interface LevelTake {
  /** Units. */
  price: number;
  size: number;
}

export interface Walk {
  takes: LevelTake[];
  filled: number;
  /** Volume-weighted price, units (NaN when nothing filled). */
  vwap: number;
  /** Worst level touched, units. */
  worst: number;
}

/** What earlier paper fills took from a book that has not changed since. */
export class Consumed {
  private readonly byToken = new Map<string, { stamp: string; taken: Map<number, number> }>();

  private stampOf(book: PaperBook): string {
    return `${book.version ?? ''}/${book.receivedAt}/${book.askPx.length}/${book.bidPx.length}`;
  }

  /** Shares already taken at `price` on this exact book state. */
  taken(tokenId: string, book: PaperBook, side: Side, price: number): number {
    const e = this.byToken.get(tokenId);
    if (!e || e.stamp !== this.stampOf(book)) return 0;
    return e.taken.get(side === 'BUY' ? price : -price) ?? 0;
  }

  record(tokenId: string, book: PaperBook, side: Side, takes: readonly LevelTake[]): void {
    const stamp = this.stampOf(book);
    let e = this.byToken.get(tokenId);
    if (!e || e.stamp !== stamp) this.byToken.set(tokenId, (e = { stamp, taken: new Map() }));
    for (const t of takes) {
      const k = side === 'BUY' ? t.price : -t.price;
      e.taken.set(k, (e.taken.get(k) ?? 0) + t.size);
    }
  }

  clear(): void {
    this.byToken.clear();
  }
}

/** Best price on the side a taker of `side` would hit (BUY → best ask). */
export function bestOpposite(book: PaperBook, side: Side): number | undefined {
  const px = side === 'BUY' ? book.askPx : book.bidPx;
  return px.length ? px[px.length - 1] : undefined;
}

export function bestBid(book: PaperBook): number | undefined {
  return book.bidPx.length ? book.bidPx[book.bidPx.length - 1] : undefined;
}

export function bestAsk(book: PaperBook): number | undefined {
  return book.askPx.length ? book.askPx[book.askPx.length - 1] : undefined;
}

const within = (side: Side, price: number, limit: number) => (side === 'BUY' ? price <= limit : price >= limit);

/**
 * Plans a taker fill of up to `size` shares: a BUY takes asks at or below
 * `limit`, a SELL takes bids at or above it.
 */
export function walkBook(book: PaperBook, side: Side, size: number, limit: number, consumed?: Consumed, tokenId = ''): Walk {
  const px = side === 'BUY' ? book.askPx : book.bidPx;
  const sz = side === 'BUY' ? book.askSz : book.bidSz;
  const takes: LevelTake[] = [];
  let left = floorShares(size);
  let filled = 0;
  let notional = 0;
  let worst = NaN;
  for (let i = px.length - 1; i >= 0 && left > 0; i--) {
    const price = px[i]!;
    if (!within(side, price, limit)) break;
    const avail = floorShares(sz[i]! - (consumed ? consumed.taken(tokenId, book, side, price) : 0));
    if (avail <= 0) continue;
    const take = Math.min(left, avail);
    takes.push({ price, size: take });
    left = floorShares(left - take + 1e-9);
    filled += take;
    notional += take * price;
    worst = price;
  }
  filled = Math.round(filled * 100) / 100;
  return { takes, filled, vwap: filled > 0 ? notional / filled : NaN, worst };
}

/** Shares visible at or better than `limit` on the side a `side` taker hits. */
export function depthAtOrBetter(book: PaperBook, side: Side, limit: number, consumed?: Consumed, tokenId = ''): number {
  const px = side === 'BUY' ? book.askPx : book.bidPx;
  const sz = side === 'BUY' ? book.askSz : book.bidSz;
  let depth = 0;
  for (let i = px.length - 1; i >= 0; i--) {
    if (!within(side, px[i]!, limit)) break;
    depth += Math.max(0, sz[i]! - (consumed ? consumed.taken(tokenId, book, side, px[i]!) : 0));
  }
  return depth;
}

/** Dollars (price × shares, in units·shares / 1e4) visible at or better than `limit`. */
export function depthValueUnits(book: PaperBook, side: Side, limit: number): number {
  const px = side === 'BUY' ? book.askPx : book.bidPx;
  const sz = side === 'BUY' ? book.askSz : book.bidSz;
  let v = 0;
  for (let i = px.length - 1; i >= 0; i--) {
    if (!within(side, px[i]!, limit)) break;
    v += px[i]! * sz[i]!;
  }
  return v;
}
