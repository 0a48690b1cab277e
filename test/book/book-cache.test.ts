import { describe, expect, it } from 'vitest';
import { BookCache } from '../../src/book/book-cache.js';
import { decodeFrame } from '../../src/protocol/market-channel.js';
import type { BookEvent, Level, MarketEvent, PriceChange, PriceChangeEvent } from '../../src/protocol/events.js';
import { decodeRestBook } from '../../src/protocol/clob.js';
import { fixtureText, HAVE_FIXTURES, skipNote } from '../protocol/fixtures.js';

skipNote('book-cache.test.ts (real replay part)');

const A = 'asset-yes';
const B = 'asset-no';
const L = (price: number, size: number): Level => ({ price, size });

function snap(asset: string, ts: number, bids: Level[] = [L(3200, 10), L(3300, 5)], asks: Level[] = [L(3500, 4), L(3400, 8)]): BookEvent {
  return { type: 'book', asset, market: 'm', ts, bids, asks, hash: `h${ts}` };
}

function pc(ts: number, ...changes: PriceChange[]): PriceChangeEvent {
  return { type: 'price_change', market: 'm', ts, changes };
}

function ch(asset: string, side: 'BUY' | 'SELL', price: number, size: number, bestBid?: number, bestAsk?: number): PriceChange {
  const c: PriceChange = { asset, side, price, size };
  if (bestBid !== undefined) c.bestBid = bestBid;
  if (bestAsk !== undefined) c.bestAsk = bestAsk;
  return c;
}

describe('BookCache snapshots and price changes', () => {
  it('a book snapshot makes the book fresh with bestBid 3300 / bestAsk 3400 regardless of wire order', () => {
    const c = new BookCache();
    const book = c.applySnapshot(snap(A, 1000), 5);
    expect(book.state).toBe('fresh');
    expect(book.bestBid).toBe(3300);
    expect(book.bestAsk).toBe(3400);
    expect(book.snapshotTs).toBe(1000);
    expect(book.hash).toBe('h1000');
    expect(book.receivedAt).toBe(5);
  });

  it('price_change before any snapshot is dropped and counted: stats {applied 0, dropped 2}, no book created for an untracked asset', () => {
    const c = new BookCache();
    c.track(B);
    c.apply(pc(1000, ch(A, 'BUY', 3300, 1), ch(B, 'SELL', 3400, 1)), 1);
    expect(c.stats).toEqual({ applied: 0, dropped: 2 });
    expect(c.get(A)).toBeUndefined();
    expect(c.get(B)!.levelCount).toBe(0);
    expect(c.get(B)!.state).toBe('stale');
  });

  it('price_change older than the last book (ts 999 < 1000) is dropped; ts 1000 and 1001 are applied', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(999, ch(A, 'BUY', 3300, 77)), 0);
    expect(c.get(A)!.sizeAt('BUY', 3300)).toBe(5);
    expect(c.stats).toEqual({ applied: 0, dropped: 1 });
    c.apply(pc(1000, ch(A, 'BUY', 3300, 6)), 0);
    c.apply(pc(1001, ch(A, 'BUY', 3300, 7)), 0);
    expect(c.get(A)!.sizeAt('BUY', 3300)).toBe(7);
    expect(c.stats).toEqual({ applied: 2, dropped: 1 });
    expect(c.get(A)!.updateTs).toBe(1001);
  });

  it('one message, two tokens: the entry for the snapshotted asset applies, the other is dropped', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1100, ch(A, 'SELL', 3400, 0, 3300, 3500), ch(B, 'BUY', 6600, 3, 6600, 6700)), 0);
    expect(c.get(A)!.bestAsk).toBe(3500);
    expect(c.get(A)!.state).toBe('fresh');
    expect(c.stats).toEqual({ applied: 1, dropped: 1 });
  });

  it('price_change size is the new aggregate and "0" removes: BUY 3300 → 9 then → 0 leaves bestBid 3200', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, ch(A, 'BUY', 3300, 9)), 0);
    expect(c.get(A)!.bestBidSize).toBe(9);
    c.apply(pc(1002, ch(A, 'BUY', 3300, 0)), 0);
    expect(c.get(A)!.bestBid).toBe(3200);
  });

  it('price_change hash becomes the book hash', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, { ...ch(A, 'BUY', 3300, 9), hash: 'abc' }), 0);
    expect(c.get(A)!.hash).toBe('abc');
  });

  it('a later snapshot replaces both sides; an older REST snapshot (ts 900 < 1000) does not roll the book back', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(snap(A, 900, [L(100, 1)], [L(9900, 1)]), 0);
    expect(c.get(A)!.bestBid).toBe(3300);
    expect(c.get(A)!.snapshotTs).toBe(1000);
    c.apply(snap(A, 1200, [L(4000, 1)], [L(4100, 1)]), 0);
    expect(c.get(A)!.top('BUY')).toEqual([L(4000, 1)]);
    expect(c.get(A)!.top('SELL')).toEqual([L(4100, 1)]);
  });
});

describe('BookCache sync state', () => {
  it('best_bid 3300 / best_ask 3400 agreeing with the local top after applying keeps the book fresh', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, ch(A, 'BUY', 3200, 11, 3300, 3400)), 0);
    expect(c.get(A)!.state).toBe('fresh');
    expect(c.needsResync.size).toBe(0);
  });

  it('best_bid 3350 ≠ local 3300 after applying → out-of-sync and in needsResync', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, ch(A, 'BUY', 3200, 11, 3350, 3400)), 0);
    expect(c.get(A)!.state).toBe('out-of-sync');
    expect(c.get(A)!.reason).toContain('best bid');
    expect([...c.needsResync]).toEqual([A]);
  });

  it('best_ask 3500 ≠ local 3400 after applying → out-of-sync and in needsResync', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, ch(A, 'SELL', 3500, 1, 3300, 3500)), 0);
    expect(c.get(A)!.state).toBe('out-of-sync');
    expect(c.get(A)!.reason).toContain('best ask');
    expect(c.needsResync.has(A)).toBe(true);
  });

  it('the check uses the top AFTER applying: removing ask 3400 with best_ask 3500 stays fresh', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, ch(A, 'SELL', 3400, 0, 3300, 3500)), 0);
    expect(c.get(A)!.state).toBe('fresh');
  });

  it('venue best_bid 0 / best_ask 1 (10000) on empty sides agree with an empty local book', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000, [L(3300, 1)], [L(3400, 1)]), 0);
    c.apply(pc(1001, ch(A, 'BUY', 3300, 0, 0, 3400)), 0);
    c.apply(pc(1002, ch(A, 'SELL', 3400, 0, 0, 10_000)), 0);
    expect(c.get(A)!.levelCount).toBe(0);
    expect(c.get(A)!.state).toBe('fresh');
  });

  it('best_bid_ask event 3300/3450 disagreeing with local 3300/3400 → out-of-sync', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply({ type: 'best_bid_ask', asset: A, market: 'm', bestBid: 3300, bestAsk: 3400, ts: 1001 }, 0);
    expect(c.get(A)!.state).toBe('fresh');
    c.apply({ type: 'best_bid_ask', asset: A, market: 'm', bestBid: 3300, bestAsk: 3450, ts: 1002 }, 0);
    expect(c.get(A)!.state).toBe('out-of-sync');
    expect(c.needsResync.has(A)).toBe(true);
  });

  it('tick_size_change 0.01 → 0.001 clears the book, sets tick 10, marks out-of-sync and needsResync; a new snapshot → fresh and leaves needsResync', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply({ type: 'tick_size_change', asset: A, market: 'm', oldTick: 100, newTick: 10, ts: 1001 }, 0);
    const b = c.get(A)!;
    expect(b.levelCount).toBe(0);
    expect(b.tick).toBe(10);
    expect(b.state).toBe('out-of-sync');
    expect(b.reason).toContain('0.01 → 0.001');
    expect(c.needsResync.has(A)).toBe(true);
    c.apply(snap(A, 1002, [L(3310, 1)], [L(3320, 1)]), 0);
    expect(b.state).toBe('fresh');
    expect(b.bestBid).toBe(3310);
    expect(c.needsResync.has(A)).toBe(false);
  });

  it('markStale then price_change (dropped) then a new snapshot → fresh; markStale returns how many changed state', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(snap(B, 1000), 0);
    expect(c.markStale([A, B, 'unknown'], 'reconnect')).toBe(2);
    expect(c.markStale([A], 'again')).toBe(0);
    expect(c.get(A)!.state).toBe('stale');
    expect(c.get(A)!.reason).toBe('again');
    c.apply(pc(1001, ch(A, 'BUY', 3300, 50)), 0);
    expect(c.stats.dropped).toBe(1);
    expect(c.get(A)!.sizeAt('BUY', 3300)).toBe(5);
    // A snapshot older than the pre-reconnect one is accepted: the stale book has no baseline.
    c.apply(snap(A, 500), 0);
    expect(c.get(A)!.state).toBe('fresh');
    expect(c.get(A)!.reason).toBe('');
  });

  it('counts(): 4 tracked → {total 4, fresh 1, stale 2, outOfSync 1}', () => {
    const c = new BookCache();
    c.track('s1');
    c.apply(snap('f', 1000), 0);
    c.apply(snap('o', 1000), 0);
    c.apply({ type: 'tick_size_change', asset: 'o', market: 'm', oldTick: 100, newTick: 10, ts: 1001 }, 0);
    c.apply(snap('s2', 1000), 0);
    c.markStale(['s2'], 'gap');
    expect(c.counts()).toEqual({ total: 4, fresh: 1, stale: 2, outOfSync: 1 });
    c.untrack('o');
    expect(c.counts()).toEqual({ total: 3, fresh: 1, stale: 2, outOfSync: 0 });
    expect(c.needsResync.has('o')).toBe(false);
  });

  it('last_trade_price 0.491 → lastTradePrice 4910 on a tracked book; events for untracked assets are ignored', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply({ type: 'last_trade_price', asset: A, market: 'm', price: 4910, size: 85.36, side: 'SELL', ts: 1001 }, 7);
    expect(c.get(A)!.lastTradePrice).toBe(4910);
    c.apply({ type: 'last_trade_price', asset: B, market: 'm', price: 4910, size: 1, side: 'BUY', ts: 1001 }, 7);
    c.apply({ type: 'tick_size_change', asset: B, market: 'm', oldTick: 100, newTick: 10, ts: 1001 }, 7);
    expect(c.get(B)).toBeUndefined();
  });

  it('listeners hear snapshot/change/state/trade in order and stop after unsubscribe', () => {
    const c = new BookCache();
    const heard: string[] = [];
    const off = c.onUpdate((b, kind) => heard.push(`${b.asset}:${kind}`));
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1001, ch(A, 'BUY', 3300, 1, 9999)), 0);
    c.apply({ type: 'last_trade_price', asset: A, market: 'm', price: 3300, size: 1, side: 'BUY', ts: 1002 }, 0);
    off();
    c.apply(snap(A, 2000), 0);
    expect(heard).toEqual([`${A}:state`, `${A}:snapshot`, `${A}:state`, `${A}:change`, `${A}:trade`]);
  });
});

describe.skipIf(!HAVE_FIXTURES)('BookCache replay of the real polypy capture (messages_hash.jsonl)', () => {
  const lines = (): string[] =>
    fixtureText('polypy/tests/orderbook/data/messages_hash.jsonl')
      .split('\n')
      .filter((l) => l.trim() !== '');
  const ws = (raw: string): MarketEvent => {
    const r = decodeFrame(raw);
    expect(r.errors).toEqual([]);
    return r.events[0]!;
  };
  const rest = (raw: string): BookEvent => {
    const r = decodeRestBook(JSON.parse(raw));
    if (!r.ok) expect.fail(JSON.stringify(r.error));
    return r.value.book;
  };

  it('book → price_change → matches REST /book line 3 level for level; → price_change → matches line 5; stays fresh; the other token is dropped', () => {
    const ls = lines();
    const c = new BookCache();
    c.apply(ws(ls[0]!), 1);
    const asset = (ws(ls[0]!) as BookEvent).asset;
    const b = c.get(asset)!;
    expect([b.bestBid, b.bestAsk]).toEqual([3300, 3400]);

    c.apply(ws(ls[1]!), 2); // removes ask 0.92 on this token; the other token has no snapshot
    expect(c.stats).toEqual({ applied: 1, dropped: 1 });
    expect(b.state).toBe('fresh');
    const r3 = rest(ls[2]!);
    expect(b.top('BUY')).toEqual([...r3.bids].sort((x, y) => y.price - x.price));
    expect(b.top('SELL')).toEqual([...r3.asks].sort((x, y) => x.price - y.price));
    expect(b.hash).toBe(r3.hash);

    c.apply(ws(ls[3]!), 3); // bid 0.06: 5.11 → 10.11
    expect(b.sizeAt('BUY', 600)).toBe(10.11);
    expect(b.state).toBe('fresh');
    const r5 = rest(ls[4]!);
    expect(b.top('BUY')).toEqual([...r5.bids].sort((x, y) => y.price - x.price));
    expect(b.top('SELL')).toEqual([...r5.asks].sort((x, y) => x.price - y.price));
    expect(b.hash).toBe(r5.hash);
    expect(c.stats).toEqual({ applied: 2, dropped: 2 });
    expect(c.needsResync.size).toBe(0);
  });
});

describe('BookCache REST snapshots (they land out of the feed order)', () => {
  it('fresh book at 1000 + change at 2000: a REST answer stamped 1000 or 2000 is not applied (the change survives); one stamped 3000 is', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(2000, ch(A, 'BUY', 3300, 0), ch(A, 'BUY', 3100, 9)), 0);
    expect(c.applyRestSnapshot(snap(A, 1000), 1).applied).toBe(false);
    expect(c.applyRestSnapshot(snap(A, 2000), 1).applied).toBe(false);
    expect(c.get(A)!.sizeAt('BUY', 3300)).toBe(0);
    expect(c.get(A)!.bestBid).toBe(3200);
    expect(c.get(A)!.updateTs).toBe(2000);
    const r = c.applyRestSnapshot(snap(A, 3000), 2);
    expect(r.applied).toBe(true);
    expect(r.book.bestBid).toBe(3300);
    expect(r.book.snapshotTs).toBe(3000);
  });

  it('stale book: a REST answer stamped 1500 is applied and changes buffered after it (ts 2000) are replayed; gapCount counts markStale calls and out-of-sync findings', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    expect(c.gapCount(A)).toBe(0);
    c.markStale([A], 'gap');
    c.markStale([A], 'gap again');
    expect(c.gapCount(A)).toBe(2);
    c.apply(pc(2000, ch(A, 'SELL', 3400, 0)), 0);
    const r = c.applyRestSnapshot(snap(A, 1500), 1);
    expect(r.applied).toBe(true);
    expect(r.book.state).toBe('fresh');
    expect(r.book.bestAsk).toBe(3500);
    expect(r.book.updateTs).toBe(2000);
  });

  it('out-of-sync book: a REST answer older than its last snapshot is not applied', () => {
    const c = new BookCache();
    c.apply(snap(A, 1000), 0);
    c.apply(pc(1000, ch(A, 'BUY', 3300, 5, 3350)), 0);
    expect(c.get(A)!.state).toBe('out-of-sync');
    expect(c.gapCount(A)).toBe(1);
    expect(c.applyRestSnapshot(snap(A, 900), 1).applied).toBe(false);
    expect(c.applyRestSnapshot(snap(A, 1000), 1).applied).toBe(true);
    expect(c.get(A)!.state).toBe('fresh');
  });
});
