import { describe, expect, it } from 'vitest';
import { BookCache } from '../../src/book/book-cache.js';
import type { BookEvent, Level, PriceChangeEvent, Side } from '../../src/protocol/events.js';
import { SignalHub } from '../../src/signals/hub.js';
import { T0, trade } from './helpers.js';

const L = (price: number, size: number): Level => ({ price, size });

function snap(asset: string, ts: number, bids: Level[], asks: Level[]): BookEvent {
  return { type: 'book', asset, market: 'm1', ts, bids, asks, hash: '' };
}

function pc(asset: string, ts: number, side: Side, price: number, size: number): PriceChangeEvent {
  return { type: 'price_change', market: 'm1', ts, changes: [{ asset, side, price, size }] };
}

/** A BookCache wired to a hub the way the engine does it, YES 0.50×100 / 0.52×200 and its mirror. */
function wired() {
  const books = new BookCache();
  const hub = new SignalHub();
  let now = T0;
  books.onUpdate((book, kind) => hub.onBook(book, kind, now));
  hub.registerMarket('m1', 'Y', 'N');
  const at = (t: number) => (now = t);
  books.apply(snap('Y', 1, [L(5000, 100)], [L(5200, 200)]), now);
  books.apply(snap('N', 1, [L(4800, 200)], [L(5000, 100)]), now);
  return { books, hub, at };
}

describe('SignalHub wired to a BookCache', () => {
  it('price_change bid 0.50 → 150 on YES and the mirrored ask on NO: OFI row +50, one row, divergence 0', () => {
    const { books, hub, at } = wired();
    books.apply(pc('Y', 2, 'BUY', 5000, 150), at(T0 + 100));
    books.apply(pc('N', 2, 'SELL', 5000, 150), at(T0 + 100));
    const rows = hub.ofiRows(10, T0 + 200);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token: 'Y', marketId: 'm1', ofi: 50, gap: false, stale: false });
    expect(rows[0]!.divergence).toBeCloseTo(0, 12);
    expect(hub.top(10, T0 + 200)[0]).toMatchObject({ market: 'm1', ofi: 50 });
  });

  it('tick_size_change makes the book out-of-sync: changes until the resync are not flow, the resync snapshot is not flow, the row is flagged', () => {
    const { books, hub, at } = wired();
    books.apply({ type: 'tick_size_change', asset: 'Y', market: 'm1', oldTick: 100, newTick: 10, ts: 2 }, at(T0 + 1_000));
    expect(hub.ofiRows(1, T0 + 1_500)[0]!.stale).toBe(true);
    books.apply(pc('Y', 3, 'BUY', 5000, 900), at(T0 + 2_000));
    books.apply(snap('Y', 4, [L(5500, 1000)], [L(5600, 10)]), at(T0 + 3_000));
    const row = hub.ofiRows(1, T0 + 4_000)[0]!;
    expect(row.ofi).toBe(0);
    expect(row.gap).toBe(true);
    expect(row.stale).toBe(false);
    expect(row.confidence).toBeLessThan(row.coverage);
    const sig = hub.score('m1', T0 + 4_000, { feedUp: true, closed: false });
    expect(sig.gap).toBe(true);
  });

  it('trades reach OFI trade flow and the micro score: BUY YES 2,500 × 0.52 ($1,300) is YES flow and a whale', () => {
    const { hub } = wired();
    hub.onTrade(trade('Y', 'BUY', 5200, 2500, 5), T0 + 500);
    expect(hub.ofi.value('Y', 30_000, T0 + 600)!.tradeFlow).toBe(2500);
    const sig = hub.score('m1', T0 + 600, { feedUp: true, closed: false });
    expect(sig).toMatchObject({ volumeFlow: 1, whale: 1, whales: 1, trades: 1 });
    expect(sig.type).toBe('LOW_LIQUIDITY_WEAK_BULLISH'); // 0.35 + 0.25 = 0.6 but 1 trade
  });

  it('after 20 s of a still mid (0.51), bid 0.51 + ask 0.56 (mid 0.5350, +250) reaches spikes() with the market id', () => {
    const { books, hub, at } = wired();
    // Size-only changes: the mid stays 0.51 for 20 s.
    for (let k = 1; k <= 20; k++) books.apply(pc('Y', 10 + k, 'BUY', 5000, k % 2 ? 150 : 100), at(T0 + k * 1_000));
    books.apply(pc('Y', 40, 'BUY', 5100, 50), at(T0 + 21_000)); // bid 0.51: mid 0.5150, +50 < 100: no spike
    books.apply(pc('Y', 41, 'SELL', 5200, 0), at(T0 + 21_100)); // ask side empty: no mid
    books.apply(pc('Y', 42, 'SELL', 5600, 100), at(T0 + 21_200)); // ask 0.56: mid 0.5350, +250 from 0.51
    const s = hub.spikes(T0 + 21_200);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ token: 'Y', marketId: 'm1', move: 250 });
  });

  it('markGap reaches all three; checkpoint round trip through JSON restores both parts', () => {
    const { books, hub, at } = wired();
    books.apply(pc('Y', 2, 'BUY', 5000, 150), at(T0 + 100));
    hub.onTrade(trade('Y', 'BUY', 5200, 10, 5), T0 + 200);
    hub.markGap(['Y', 'N'], T0 + 300, T0 + 400);
    expect(hub.ofiRows(1, T0 + 500)[0]!.gap).toBe(true);
    const json = JSON.parse(JSON.stringify(hub.toCheckpoint(T0 + 1_000)));
    const fresh = new SignalHub();
    expect(fresh.fromCheckpoint(json, T0 + 3_000)).toBe(true);
    expect(fresh.ofi.value('Y', 30_000, T0 + 3_000)!.ofi).toBe(50);
    expect(fresh.score('m1', T0 + 3_000, { feedUp: true, closed: false }).trades).toBe(1);
    expect(fresh.fromCheckpoint({ v: 1, kind: 'nope' }, T0)).toBe(false);
    expect(fresh.restoreErrors.ofi).toMatch(/invalid/);
  });

  it('removeMarket forgets the market everywhere; a new market reusing the slots starts clean (ofi 0, 0 trades)', () => {
    const { books, hub, at } = wired();
    books.apply(pc('Y', 2, 'BUY', 5000, 150), at(T0 + 100));
    hub.onTrade(trade('Y', 'BUY', 5200, 10, 5), T0 + 200);
    hub.removeMarket('m1', 'Y', 'N');
    expect(hub.ofiRows(10, T0 + 300)).toEqual([]);
    expect(hub.score('m1', T0 + 300, { feedUp: true, closed: false }).type).toBe('MARKET_UNAVAILABLE');
    hub.registerMarket('m2', 'Y2', 'N2');
    const y2 = books.applySnapshot({ type: 'book', asset: 'Y2', market: 'm2', ts: 9, bids: [L(4000, 10)], asks: [L(4100, 10)], hash: '' }, T0 + 400);
    hub.onBook(y2, 'snapshot', T0 + 400);
    expect(hub.ofi.value('Y2', 30_000, T0 + 500)!.ofi).toBe(0);
    expect(hub.score('m2', T0 + 500, { feedUp: true, closed: false }).trades).toBe(0);
    expect(hub.ofi.size).toBe(2); // Y2 and N2, in the slots Y and N freed
  });

  it('a trade on a token that belongs to no registered market reaches OFI flow but not the micro score', () => {
    const { hub } = wired();
    hub.onTrade(trade('X', 'BUY', 5000, 10, 1, 'mx'), T0);
    expect(hub.ofi.value('X', 30_000, T0)!.tradeFlow).toBe(10);
    expect(hub.micro.stats.unknown).toBe(1);
  });

  it('a trade the BookCache announced on its book takes the book\'s slot: same flow and score as a lookup by id; a trade with no book still counts', () => {
    const run = (announce: boolean) => {
      const { books, hub, at } = wired();
      const t1 = trade('Y', 'BUY', 5200, 2500, 5);
      const t2 = trade('N', 'SELL', 4800, 30, 6);
      const tx = trade('X', 'BUY', 5000, 10, 7, 'mx'); // no book: the BookCache drops it, the hub looks X up
      at(T0 + 500);
      if (announce) for (const t of [t1, tx, t2]) books.apply(t, T0 + 500);
      for (const t of [t1, tx, t2]) hub.onTrade({ ...t, asset: (' ' + t.asset).slice(1) }, T0 + 500);
      const v = (tok: string) => hub.ofi.value(tok, 30_000, T0 + 600)!.tradeFlow;
      return { y: v('Y'), n: v('N'), x: v('X'), score: hub.score('m1', T0 + 600, { feedUp: true, closed: false }) };
    };
    const announced = run(true);
    expect(announced).toEqual(run(false));
    expect(announced).toMatchObject({ y: 2500, n: -30, x: 10, score: { trades: 2, whales: 1 } });
  });

  it('a book whose token was removed and re-registered is looked up again: flow lands on the new slot, the old market stays empty', () => {
    const { books, hub, at } = wired();
    const y = books.get('Y')!;
    hub.removeMarket('m1', 'Y', 'N');
    hub.registerMarket('m0', 'Z', 'W'); // takes a freed slot
    hub.registerMarket('m1', 'Y', 'N');
    expect(y.slotOwner).toBe(null);
    books.apply(snap('Y', 5, [L(5000, 100)], [L(5200, 200)]), at(T0 + 100));
    books.apply(pc('Y', 6, 'BUY', 5000, 150), at(T0 + 200));
    books.apply(trade('Y', 'BUY', 5200, 40, 7), T0 + 300);
    hub.onTrade(trade('Y', 'BUY', 5200, 40, 7), T0 + 300);
    expect(hub.ofi.value('Y', 30_000, T0 + 400)).toMatchObject({ ofi: 50, tradeFlow: 40 });
    for (const other of ['Z', 'W']) expect(hub.ofi.value(other, 30_000, T0 + 400)).toMatchObject({ ofi: 0, tradeFlow: 0 });
    expect(hub.ofi.boundSlot(y)).toBe(hub.ofi.slotOf('Y'));
  });
});
