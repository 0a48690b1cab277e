// Full `book` events where the venue sends them: after every trade that moves a
// book (market channel docs) and after every tick_size_change (the makers'
// orders are replaced on the new grid; a client drops its book and waits for
// the next snapshot). A client that follows only the stream — replace on
// `book`, apply `price_change`, drop on `tick_size_change` — holds exactly the
// REST book after every step, with no REST resync at all.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBooks, SimPool, bookHash, manualClock, postJson, type Json } from './helpers.js';

const pool = new SimPool();
afterAll(() => pool.stopAll());

function levelsKey(levels: Map<string, string> | { price: string; size: string }[]): string {
  const entries = levels instanceof Map ? [...levels.entries()] : levels.map((l) => [l.price, l.size] as [string, string]);
  return entries
    .map(([p, s]) => `${Number(p)}:${Number(s)}`)
    .sort()
    .join(',');
}

describe('book events in the stream', () => {
  it('a stream-only client matches REST /book after every step, across tick size changes and trades', async () => {
    const { sim, urls } = await pool.start({ seed: 'book-events', markets: 220, ...manualClock(120_000, 30) });
    const assets = sim.world.markets.flatMap((m) => m.tokenIds);
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: assets, initial_dump: true });
    await c.barrier();
    const local = new LocalBooks();
    for (const b of c.eventsOf('book')) local.applyBook(b);
    let cursor = c.frames.length;
    let tickChanges = 0;
    let tradeBooks = 0;
    let trades = 0;
    let compared = 0;
    const mismatches: string[] = [];
    const orphanTicks: string[] = [];
    const tradesWithoutBook: string[] = [];
    for (let step = 0; step < 400 && (step < 60 || tickChanges < 4); step++) {
      sim.stepOnce();
      await c.barrier();
      const touched = new Set<string>();
      for (; cursor < c.frames.length; cursor++) {
        const events: Json[] = c.frames[cursor]!.events ?? [];
        const dropped = new Set<string>();
        const traded = new Set<string>();
        for (const e of events) {
          if (e.event_type === 'tick_size_change') {
            tickChanges++;
            local.books.delete(e.asset_id);
            dropped.add(e.asset_id);
          } else if (e.event_type === 'book') {
            local.applyBook(e);
            dropped.delete(e.asset_id);
            if (traded.delete(e.asset_id)) tradeBooks++;
            touched.add(e.asset_id);
          } else if (e.event_type === 'last_trade_price') {
            trades++;
            traded.add(e.asset_id);
          } else if (e.event_type === 'price_change') {
            for (const x of e.price_changes) {
              local.applyChange(x);
              touched.add(x.asset_id);
            }
          }
        }
        // The fresh book comes in the same frame as the tick change; a trade's book too.
        orphanTicks.push(...[...dropped].filter((a) => sim.exchange.book(a)));
        tradesWithoutBook.push(...[...traded].filter((a) => sim.exchange.book(a)));
      }
      const ids = [...touched];
      if (!ids.length) continue;
      const { status, body } = await postJson(`${urls.clob}/books`, ids.map((token_id) => ({ token_id })));
      expect(status).toBe(200);
      for (const b of body as Json[]) {
        const mine = local.books.get(b.asset_id);
        if (!mine) continue;
        compared++;
        expect(b.hash).toBe(bookHash(b));
        if (levelsKey(mine.bids) !== levelsKey(b.bids) || levelsKey(mine.asks) !== levelsKey(b.asks)) mismatches.push(`${b.asset_id.slice(0, 8)}… step ${step}`);
      }
    }
    expect(tickChanges).toBeGreaterThanOrEqual(4);
    expect(trades).toBeGreaterThan(100);
    expect(tradeBooks).toBeGreaterThan(50);
    expect(orphanTicks).toEqual([]);
    expect(tradesWithoutBook).toEqual([]);
    expect(compared).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('the book after a tick change carries the new tick grid and the REST hash', async () => {
    const { sim, urls } = await pool.start({ seed: 'book-events-2', markets: 220, ...manualClock(120_000, 30) });
    const assets = sim.world.markets.flatMap((m) => m.tokenIds);
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: assets, initial_dump: true });
    await c.barrier();
    let found: { tick: Json; book: Json } | undefined;
    for (let step = 0; step < 400 && !found; step++) {
      const from = c.frames.length;
      sim.stepOnce();
      await c.barrier();
      for (const f of c.frames.slice(from)) {
        const evs: Json[] = f.events ?? [];
        const tick = evs.find((e) => e.event_type === 'tick_size_change');
        if (!tick) continue;
        const book = evs.slice(evs.indexOf(tick)).find((e) => e.event_type === 'book' && e.asset_id === tick.asset_id);
        if (book) found = { tick, book };
      }
    }
    expect(found).toBeDefined();
    const { tick, book } = found!;
    const step = Number(tick.new_tick_size);
    for (const l of [...book.bids, ...book.asks]) expect(Math.abs(Number(l.price) / step - Math.round(Number(l.price) / step))).toBeLessThan(1e-6);
    expect(book.timestamp).toBe(tick.timestamp);
    const rest = (await postJson(`${urls.clob}/books`, [{ token_id: book.asset_id }])).body[0];
    if (rest.timestamp === book.timestamp) {
      expect(rest.tick_size).toBe(tick.new_tick_size);
      expect(book.hash).toBe(rest.hash);
    }
  }, 120_000);
});
