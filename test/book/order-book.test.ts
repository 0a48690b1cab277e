import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../src/book/order-book.js';
import type { Level } from '../../src/protocol/events.js';
import { prng } from '../protocol/samples.js';

const L = (price: number, size: number): Level => ({ price, size });

// The tail of the real polypy 2025-10-23 book in units: best bid 0.33, best ask 0.34.
const BIDS_ASC = [L(100, 110_000), L(3000, 12), L(3200, 448.56), L(3300, 152.17)];
const ASKS_DESC = [L(9200, 12), L(3700, 100), L(3500, 40), L(3400, 914.14)];

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const r = prng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function book(bids: Level[] = BIDS_ASC, asks: Level[] = ASKS_DESC): OrderBook {
  const b = new OrderBook('asset');
  b.replace(bids, asks);
  return b;
}

describe('OrderBook snapshot ordering', () => {
  it('real wire order (bids ascending, asks descending): bestBid 3300, bestAsk 3400, top() best-first', () => {
    const b = book();
    expect(b.bestBid).toBe(3300);
    expect(b.bestAsk).toBe(3400);
    expect(b.bestBidSize).toBe(152.17);
    expect(b.bestAskSize).toBe(914.14);
    expect(b.top('BUY', 2)).toEqual([L(3300, 152.17), L(3200, 448.56)]);
    expect(b.top('SELL', 3)).toEqual([L(3400, 914.14), L(3500, 40), L(3700, 100)]);
    expect(b.top('BUY')).toHaveLength(4);
  });

  it('OpenAPI order (bids descending, asks ascending) gives the same book: bestBid 3300, bestAsk 3400', () => {
    const b = book([...BIDS_ASC].reverse(), [...ASKS_DESC].reverse());
    expect(b.bestBid).toBe(3300);
    expect(b.bestAsk).toBe(3400);
    expect(b.top('BUY')).toEqual(book().top('BUY'));
    expect(b.top('SELL')).toEqual(book().top('SELL'));
  });

  it('20 random wire orders all give bids 3300>3200>3000>100 and asks 3400<3500<3700<9200', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const b = book(shuffled(BIDS_ASC, seed), shuffled(ASKS_DESC, seed + 100));
      expect(b.top('BUY').map((l) => l.price)).toEqual([3300, 3200, 3000, 100]);
      expect(b.top('SELL').map((l) => l.price)).toEqual([3400, 3500, 3700, 9200]);
      // Internal layout: best level last on both sides.
      expect(b.bidPx).toEqual([100, 3000, 3200, 3300]);
      expect(b.askPx).toEqual([9200, 3700, 3500, 3400]);
    }
  });

  it('zero-size levels in a snapshot are dropped: bids [(3300,0),(3200,5)] → bestBid 3200, 1 level', () => {
    const b = book([L(3300, 0), L(3200, 5)], []);
    expect(b.bestBid).toBe(3200);
    expect(b.levelCount).toBe(1);
    expect(b.bestAsk).toBeUndefined();
    expect(b.bestAskSize).toBe(0);
  });

  it('duplicate prices in a snapshot: bids [(5000,10),(4900,1),(5000,20)] → one 5000 level of size 20 (the later wins)', () => {
    const b = book([L(5000, 10), L(4900, 1), L(5000, 20)], []);
    expect(b.bidPx).toEqual([4900, 5000]);
    expect(b.sizeAt('BUY', 5000)).toBe(20);
    expect(b.levelCount).toBe(2);
  });

  // Regression (fixed): OrderBook.replace filters size-0 levels before de-duplicating, so a later duplicate "0" does not win: bids [(5000,10),(5000,0)] keep size 10 instead of removing the level.
  it('duplicate prices in a snapshot where the later is 0: bids [(5000,10),(5000,0)] → no 5000 level', () => {
    const b = book([L(5000, 10), L(5000, 0)], []);
    expect(b.sizeAt('BUY', 5000)).toBe(0);
    expect(b.bestBid).toBeUndefined();
  });

  it('a new snapshot replaces both sides: old 3300/3400 levels gone, bestBid 4000, bestAsk 4100', () => {
    const b = book();
    b.replace([L(4000, 1)], [L(4100, 2)]);
    expect(b.bidPx).toEqual([4000]);
    expect(b.askPx).toEqual([4100]);
    expect(b.sizeAt('BUY', 3300)).toBe(0);
    expect(b.sizeAt('SELL', 3400)).toBe(0);
    b.replace([], []);
    expect(b.levelCount).toBe(0);
    expect(b.bestBid).toBeUndefined();
  });

  it('replace() does not keep references to the caller\'s level objects (mutating the input later has no effect)', () => {
    const bids = [L(3300, 10)];
    const b = book(bids, []);
    bids[0]!.size = 999;
    expect(b.bestBidSize).toBe(10);
  });

  it('replaceColumns (a compiled recording\'s levels) builds the same book as replace over 500 random snapshots with duplicates, zeros and any order (seed 11)', () => {
    const r = prng(11);
    const side = (n: number) => Array.from({ length: n }, () => L(100 * (1 + Math.floor(r() * 30)), r() < 0.15 ? 0 : Math.round(r() * 1e4) / 100));
    for (let k = 0; k < 500; k++) {
      const bids = side(Math.floor(r() * 12));
      const asks = side(Math.floor(r() * 12));
      const lead = Math.floor(r() * 5);
      const all = [...side(lead), ...bids, ...asks];
      const columns = { px: Float64Array.from(all, (l) => l.price), sz: Float64Array.from(all, (l) => l.size), start: lead, bids: bids.length, asks: asks.length };
      const a = new OrderBook('t');
      a.replace(bids, asks);
      const b = new OrderBook('t');
      b.setLevel('BUY', 4242, 1);
      b.replaceColumns(columns);
      expect([b.bidPx, b.bidSz, b.askPx, b.askSz, b.topBidPx, b.topAskSz]).toEqual([a.bidPx, a.bidSz, a.askPx, a.askSz, a.topBidPx, a.topAskSz]);
    }
  });
});

describe('OrderBook.setLevel (price_change semantics)', () => {
  it('size is the new aggregate, not a delta: BUY 3300 → 200 makes the level 200 (was 152.17)', () => {
    const b = book();
    b.setLevel('BUY', 3300, 200);
    expect(b.sizeAt('BUY', 3300)).toBe(200);
    expect(b.bestBidSize).toBe(200);
    expect(b.levelCount).toBe(8);
  });

  it('size "0" removes the level: SELL 3400 → 0 makes bestAsk 3500; BUY 3300 → 0 makes bestBid 3200', () => {
    const b = book();
    b.setLevel('SELL', 3400, 0);
    expect(b.bestAsk).toBe(3500);
    b.setLevel('BUY', 3300, 0);
    expect(b.bestBid).toBe(3200);
    expect(b.levelCount).toBe(6);
  });

  it('removing a level that does not exist is a no-op: SELL 3450 → 0 leaves 8 levels', () => {
    const b = book();
    b.setLevel('SELL', 3450, 0);
    expect(b.levelCount).toBe(8);
    expect(b.askPx).toEqual([9200, 3700, 3500, 3400]);
  });

  it('new levels insert in order: BUY 3100 goes between 3000 and 3200; BUY 3350 becomes best; SELL 3600 between 3700 and 3500', () => {
    const b = book();
    b.setLevel('BUY', 3100, 7);
    expect(b.bidPx).toEqual([100, 3000, 3100, 3200, 3300]);
    b.setLevel('BUY', 3350, 1);
    expect(b.bestBid).toBe(3350);
    b.setLevel('SELL', 3600, 3);
    expect(b.askPx).toEqual([9200, 3700, 3600, 3500, 3400]);
    b.setLevel('SELL', 50, 3);
    expect(b.bestAsk).toBe(50);
    expect(b.crossed).toBe(true);
  });

  it('BUY touches only bids and SELL only asks: SELL 3300 → 5 adds an ask at 3300, the 3300 bid stays 152.17', () => {
    const b = book();
    b.setLevel('SELL', 3300, 5);
    expect(b.sizeAt('BUY', 3300)).toBe(152.17);
    expect(b.sizeAt('SELL', 3300)).toBe(5);
    expect(b.bestAsk).toBe(3300);
    expect(b.crossed).toBe(true);
  });

  it('matches a Map model over 3,000 random setLevel ops (seed 42): sorted, no zero levels, same sizes', () => {
    const r = prng(42);
    const b = new OrderBook('x');
    const model = { BUY: new Map<number, number>(), SELL: new Map<number, number>() };
    for (let i = 0; i < 3000; i++) {
      const side = r() < 0.5 ? 'BUY' : 'SELL';
      const price = 1 + Math.floor(r() * 60) * 50;
      const size = r() < 0.3 ? 0 : Math.round(r() * 1000) / 10;
      b.setLevel(side, price, size);
      if (size > 0) model[side].set(price, size);
      else model[side].delete(price);
    }
    const expectBids = [...model.BUY.entries()].sort((a, c) => c[0] - a[0]).map(([p, s]) => L(p, s));
    const expectAsks = [...model.SELL.entries()].sort((a, c) => a[0] - c[0]).map(([p, s]) => L(p, s));
    expect(b.top('BUY')).toEqual(expectBids);
    expect(b.top('SELL')).toEqual(expectAsks);
    expect(b.bestBid).toBe(expectBids[0]?.price);
    expect(b.bestAsk).toBe(expectAsks[0]?.price);
  });

  it('the cached top (topBidPx/Sz, topAskPx/Sz) equals the arrays\' best level after each of 2,000 random setLevel / replace / clear ops (seed 7)', () => {
    const r = prng(7);
    const b = new OrderBook('x');
    const top = (px: number[], sz: number[]) => (px.length ? [px[px.length - 1], sz[sz.length - 1]] : [NaN, 0]);
    for (let i = 0; i < 2000; i++) {
      const op = r();
      if (op < 0.02) b.clear();
      else if (op < 0.06) b.replace([L(1 + Math.floor(r() * 60) * 50, 5)], r() < 0.3 ? [] : [L(3001 + Math.floor(r() * 60) * 50, 7)]);
      else b.setLevel(r() < 0.5 ? 'BUY' : 'SELL', 1 + Math.floor(r() * 60) * 50, r() < 0.4 ? 0 : Math.round(r() * 1000) / 10);
      expect([b.topBidPx, b.topBidSz]).toEqual(top(b.bidPx, b.bidSz));
      expect([b.topAskPx, b.topAskSz]).toEqual(top(b.askPx, b.askSz));
    }
  });

  it('clear() empties both sides', () => {
    const b = book();
    b.clear();
    expect(b.levelCount).toBe(0);
    expect(b.top('BUY')).toEqual([]);
    expect(b.crossed).toBe(false);
  });
});
