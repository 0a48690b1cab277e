// Confirmation on depth when a leg is quiet. The screen nominates a threshold
// pair ("above 40%" quoted above "above 38%" on the same date); POST /books
// then fetches every leg so the arbitrage loop, which reads books alone and
// only within its quote-age rule, sees the whole basket fresh at once. A leg
// nobody trades (the 38% YES near 0.04) has a streamed book that is correct
// but old, and the venue answers with that same book: the answer is not
// applied (nothing newer), yet it must still count as confirming the book
// now, or the pair is never reported.
import { describe, expect, it } from 'vitest';
import { BookCache } from '../../src/book/book-cache.js';
import { ArbScanner } from '../../src/arb/scanner.js';
import type { BookEvent, Level } from '../../src/protocol/events.js';
import { market } from '../arb/helpers.js';

const L = (price: number, size: number): Level => ({ price, size });
const snap = (asset: string, ts: number, bid: number, ask: number): BookEvent => ({ type: 'book', asset, market: 'm', ts, bids: [L(bid, 5_000)], asks: [L(ask, 5_000)], hash: `h${asset}${ts}` });

describe('screen confirmation with a quiet leg', () => {
  const hi = market("Will Trump's approval rating be above 40% on January 7, 2027?", { eventId: 'approval' });
  const lo = market("Will Trump's approval rating be above 38% on January 7, 2027?", { eventId: 'approval' });
  // Planted: the 40% rung quoted above the 38% rung. BUY YES 38% at 0.038 + BUY NO 40% at 0.874 costs 0.912 for a set worth 1.
  const quotes: [string, number, number][] = [
    [hi.tokenIds[0]!, 1_260, 1_470],
    [hi.tokenIds[1]!, 8_530, 8_740],
    [lo.tokenIds[0]!, 170, 380],
    [lo.tokenIds[1]!, 9_620, 9_830],
  ];

  it('a not-newer POST /books answer for the quiet leg confirms it: stale before, threshold 40% ⇒ 38% reported after', () => {
    const s = new ArbScanner();
    s.build([hi, lo]);
    expect(s.relations().map((r) => r.id)).toEqual([`threshold:${hi.id}>${lo.id}`]);
    const books = new BookCache();
    // Every book streamed at t=0 (venue ts 1000); at t=60 s three legs have traded since, the 38% YES has not.
    for (const [t, bid, ask] of quotes) books.apply(snap(t, 1_000, bid, ask), 0);
    for (const [t, bid, ask] of quotes) if (t !== lo.tokenIds[0]) books.applyRestSnapshot(snap(t, 59_000, bid, ask), 60_000);
    const bookOf = (t: string) => books.get(t);
    expect(s.scanAll(bookOf, 60_000)).toEqual([]);
    expect(s.lastScan.rejected.stale).toBeGreaterThan(0);
    // The confirmation batch's answer for the quiet leg: the same book, stamped as the held one.
    const r = books.applyRestSnapshot(snap(lo.tokenIds[0]!, 1_000, 170, 380), 60_000);
    expect(r.applied).toBe(false);
    expect(r.book.receivedAt).toBe(60_000);
    const opps = s.scanAll(bookOf, 60_000);
    expect(opps.map((o) => o.id)).toEqual([`threshold:${hi.id}>${lo.id}`]);
    expect(opps[0]!.legs.map((l) => [l.marketId, l.side, l.outcome, l.price])).toEqual([
      [lo.id, 'BUY', 'YES', 380],
      [hi.id, 'BUY', 'NO', 8_740],
    ]);
    expect(opps[0]!.edge).toBeCloseTo(1 - 0.038 - 0.874, 6);
  });

  it('an answer older than the book held confirms nothing (a late answer); one stamped as the book held does; receivedAt never goes backwards', () => {
    const books = new BookCache();
    books.apply(snap('q', 5_000, 170, 380), 10_000);
    books.apply({ type: 'price_change', market: 'm', ts: 6_000, changes: [{ asset: 'q', side: 'BUY', price: 180, size: 100 }] }, 11_000);
    expect(books.get('q')!.updateTs).toBe(6_000);
    expect(books.applyRestSnapshot(snap('q', 4_000, 170, 380), 70_000)).toMatchObject({ applied: false, book: { receivedAt: 11_000 } });
    expect(books.applyRestSnapshot(snap('q', 5_000, 170, 380), 70_000)).toMatchObject({ applied: false, book: { receivedAt: 11_000 } });
    expect(books.applyRestSnapshot(snap('q', 6_000, 170, 380), 9_000)).toMatchObject({ applied: false, book: { receivedAt: 11_000 } });
    expect(books.applyRestSnapshot(snap('q', 6_000, 170, 380), 70_000)).toMatchObject({ applied: false, book: { receivedAt: 70_000 } });
    expect(books.get('q')!.bestBid).toBe(180);
  });
});
