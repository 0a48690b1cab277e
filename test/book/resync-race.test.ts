// A REST resync answer is served at one moment and lands later. Meanwhile the
// feed can make the book fresh again on its own (the venue sends a full `book`
// after every trade) and apply newer changes; the late answer must not roll
// those back. And a second gap while the answer travels is not covered by it.
// Real simulator (HTTP + WebSocket on 127.0.0.1) and real engine; the sim
// clock is stepped by hand, and the simulator's slow-REST fault holds each
// answer after it is computed, so the order of events is fixed.
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator.js';
import { Engine } from '../../src/engine.js';
import { openDatabase } from '../../src/persist/db.js';
import { waitFor } from '../helpers/wait.js';

const HOLD_MS = 3000;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup() {
  const sim = new Simulator({ seed: 'resync-race', markets: 6, speed: 1, rate: 0, stepMs: 1000, clockStart: 'manual' });
  const urls = await sim.start();
  const { db } = openDatabase(':memory:');
  const engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, {});
  cleanup = async () => {
    await engine.stop();
    await sim.stop();
    db.close();
  };
  await engine.start();
  await waitFor(() => engine.stats().books.total > 0 && engine.stats().books.fresh === engine.stats().books.total, { what: 'all books fresh' });
  const m = sim.world.markets.find((x) => !x.closed && sim.exchange.book(x.tokenIds[0])?.bestAsk !== undefined)!;
  const asset = m.tokenIds[0];
  const venueBook = async () => {
    const res = await fetch(`${urls.clob}/books`, { method: 'POST', body: JSON.stringify([{ token_id: asset }]) });
    const [v] = (await res.json()) as { bids: { price: string; size: string }[]; asks: { price: string; size: string }[]; timestamp: string }[];
    const side = (ls: { price: string; size: string }[]) => [...ls].reverse().map((l) => ({ price: Math.round(Number(l.price) * 10_000), size: Number(l.size) }));
    return { ts: Number(v!.timestamp), book: JSON.stringify([side(v!.bids), side(v!.asks)]) };
  };
  const ours = () => {
    const b = engine.books.get(asset)!;
    return JSON.stringify([b.top('BUY'), b.top('SELL')]);
  };
  /** Takes the venue's best ask (a trade: price_change, then a full book) and sends it. */
  const trade = () => {
    const b = sim.exchange.book(asset)!;
    sim.exchange.take(m, asset, 'BUY', b.bestAskSize, b.bestAsk);
    sim.ws.flush(sim.exchange.out);
    sim.exchange.out.length = 0;
  };
  /** Makers requote the taken level back: a price_change with no book after it. */
  const requote = () => {
    sim.exchange.requote(m, true);
    sim.ws.flush(sim.exchange.out);
    sim.exchange.out.length = 0;
  };
  return { sim, engine, m, asset, venueBook, ours, trade, requote };
}

describe('REST resync answers that land late', () => {
  it('a book made fresh by the feed while the answer travels keeps the newer changes it applied', async () => {
    const { sim, engine, asset, venueBook, ours, trade, requote } = await setup();
    // A gap: the book is stale and a resync is due.
    engine.books.markStale([asset], 'test gap');
    sim.stepOnce();
    trade(); // the venue's full book after the trade goes out on the socket…
    const tradeTs = sim.exchange.book(asset)!.updateTs;
    const superseded = engine.resyncer.superseded;
    sim.opts.faults.slowrest = HOLD_MS;
    const served = sim.stats()['injected'] as { slowRest: number };
    const before = served.slowRest;
    // …and the resync request reaches the venue after that trade.
    const done = engine.resyncer.run([asset]);
    let landed = false;
    void done.then(() => (landed = true));
    await waitFor(() => (sim.stats()['injected'] as { slowRest: number }).slowRest > before, { what: 'REST answer computed' });
    sim.opts.faults.slowrest = 0; // only that answer is held
    await waitFor(() => engine.books.get(asset)!.state === 'fresh' && engine.books.get(asset)!.snapshotTs === tradeTs, { what: 'feed book after the trade' });
    // While the answer is held, a newer change arrives over the feed.
    sim.stepOnce();
    requote();
    const requoteTs = sim.exchange.book(asset)!.updateTs;
    expect(requoteTs).toBeGreaterThan(tradeTs);
    await waitFor(() => engine.books.get(asset)!.updateTs === requoteTs, { what: 'requote applied' });
    const venue = await venueBook();
    expect(venue.ts).toBe(requoteTs);
    expect(ours()).toBe(venue.book);
    expect(landed).toBe(false); // the answer is still held on the way back
    await done;
    // The answer (served at the trade, older than the requote) was not applied.
    const b = engine.books.get(asset)!;
    expect(ours()).toBe(venue.book);
    expect(b.state).toBe('fresh');
    expect(b.updateTs).toBe(requoteTs);
    expect(engine.resyncer.superseded).toBeGreaterThan(superseded);
  }, 60_000);

  it('a second gap while the answer travels: the answer is not applied and the book is fetched again', async () => {
    const { sim, engine, asset, venueBook, ours, trade } = await setup();
    sim.opts.faults.slowrest = HOLD_MS;
    const injected = () => (sim.stats()['injected'] as { slowRest: number }).slowRest;
    const before = injected();
    const superseded = engine.resyncer.superseded;
    // First gap: resync asked for and served at once (held on the way back).
    engine.books.markStale([asset], 'first gap');
    const first = engine.resyncer.run([asset]);
    await waitFor(() => injected() > before, { what: 'first answer computed' });
    sim.opts.faults.slowrest = 0; // only that answer is held
    // The venue moves on and the frame carrying it is lost: a second gap.
    sim.stepOnce();
    sim.opts.faults.garbage = 1;
    trade();
    sim.opts.faults.garbage = 0;
    // The engine finds the lost frame, marks the shard's books stale and asks again.
    await waitFor(() => engine.ingest.counters.rejectedFrames > 0, { what: 'garbled frame rejected' });
    expect(engine.books.get(asset)!.state).toBe('stale');
    await first;
    await waitFor(() => engine.books.get(asset)!.state === 'fresh', { what: 'fresh again', timeoutMs: 30_000 });
    const venue = await venueBook();
    expect(ours()).toBe(venue.book);
    expect(engine.books.get(asset)!.snapshotTs).toBe(venue.ts);
    expect(engine.resyncer.superseded).toBeGreaterThan(superseded);
  }, 60_000);
});
