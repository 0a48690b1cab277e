// The market WebSocket channel as the venue behaves (research §1, DESIGN §4):
// first frame {type:"market", assets_ids, initial_dump}, array/object frames,
// current price_change form, text PING → PONG, operation subscribe/unsubscribe
// without acks, custom events only when enabled, and the per-connection cap.
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { SimPool, bookHash, getJson, manualClock, waitFor, type Json, type WsClient } from './helpers.js';

const pool = new SimPool();
afterEach(() => pool.stopAll());

const KNOWN = new Set(['book', 'price_change', 'last_trade_price', 'tick_size_change', 'best_bid_ask', 'new_market', 'market_resolved']);
const CUSTOM = new Set(['best_bid_ask', 'new_market', 'market_resolved']);
const num = /^\d*(\.\d+)?$/;

/** Open markets of a sim as [yes, no] token pairs. */
function tokenPairs(sim: Simulator, n: number, filter = (q: string) => true): [string, string][] {
  return sim.world.markets.filter((m) => !m.closed && filter(m.question)).slice(0, n).map((m) => [...m.tokenIds] as [string, string]);
}

/** Every asset an event concerns. */
function assetsOf(e: Json): string[] {
  if (e.event_type === 'price_change') return e.price_changes.map((c: Json) => c.asset_id);
  if (e.event_type === 'new_market' || e.event_type === 'market_resolved') return e.assets_ids;
  return [e.asset_id];
}

/**
 * Steps a manual-clock sim n times, then waits until every frame it sent is in.
 * The first barrier makes sure the server has processed everything the clients sent.
 */
async function run(sim: Simulator, n: number, ...clients: WsClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.barrier()));
  for (let i = 0; i < n; i++) sim.stepOnce();
  await Promise.all(clients.map((c) => c.barrier()));
}

describe('initial subscription', () => {
  it('answers the first frame with one JSON-array frame of book events, one per asset, equal to /book', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-dump', markets: 200, ...manualClock(30_000, 20) });
    const assets = tokenPairs(sim, 4).flat();
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: assets, initial_dump: true });
    await waitFor(() => c.frames.length >= 1, 3_000, 'book dump');
    await c.barrier();
    const data = c.frames.filter((f) => f.text !== 'PONG');
    expect(data).toHaveLength(1);
    const first = JSON.parse(data[0]!.text);
    expect(Array.isArray(first)).toBe(true);
    expect(first).toHaveLength(assets.length);
    expect(first.map((e: Json) => e.asset_id)).toEqual(assets);
    for (const e of first) {
      expect(e.event_type).toBe('book');
      expect(e.market).toBe(sim.exchange.marketOf(e.asset_id)!.conditionId);
      expect(e.timestamp).toMatch(/^\d{13}$/);
      expect(e.hash).toMatch(/^[0-9a-f]{40}$/);
      for (const l of [...e.bids, ...e.asks]) {
        expect(l.price).toMatch(num);
        expect(l.size).toMatch(num);
      }
      const bp = e.bids.map((l: Json) => Number(l.price));
      const ap = e.asks.map((l: Json) => Number(l.price));
      expect([...bp].sort((a, b) => a - b)).toEqual(bp);
      expect([...ap].sort((a, b) => b - a)).toEqual(ap);
      // Nothing changed since (frozen clock): the snapshot is the REST book.
      const rest = (await getJson(`${urls.clob}/book?token_id=${e.asset_id}`)).body;
      expect(e.hash).toBe(rest.hash);
      expect(e.bids).toEqual(rest.bids);
      expect(e.asks).toEqual(rest.asks);
      expect(e.timestamp).toBe(rest.timestamp);
      expect(rest.hash).toBe(bookHash(rest));
    }
  });

  it('sends no snapshot with initial_dump:false', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-nodump', markets: 200, ...manualClock(30_000, 0) });
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: tokenPairs(sim, 2).flat(), initial_dump: false });
    await c.barrier();
    expect(c.frames.map((f) => f.text)).toEqual(['PONG']);
  });

  it('answers text PING with text PONG', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-ping', markets: 200, ...manualClock(30_000, 0) });
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: tokenPairs(sim, 1).flat(), initial_dump: false });
    c.send('PING');
    c.send('PING');
    await waitFor(() => c.pongs === 2, 3_000, 'two PONGs');
    expect(c.frames.map((f) => f.text)).toEqual(['PONG', 'PONG']);
  });
});

describe('live events', () => {
  it('streams current-form price_change and last_trade_price events (all strings)', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-live', markets: 200, speed: 600, rate: 3000, stepMs: 20 });
    const pairs = tokenPairs(sim, 150);
    const subscribed = new Set(pairs.flat());
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: [...subscribed], initial_dump: true });
    await waitFor(() => c.eventsOf('price_change').length >= 300 && c.eventsOf('last_trade_price').length >= 50, 10_000, 'live events');
    let bothTokens = 0;
    for (const e of c.events) {
      expect(KNOWN.has(e.event_type)).toBe(true);
      expect(CUSTOM.has(e.event_type)).toBe(false);
      for (const a of assetsOf(e)) expect(subscribed.has(a)).toBe(true);
    }
    for (const e of c.eventsOf('price_change')) {
      expect(Object.keys(e).sort()).toEqual(['event_type', 'market', 'price_changes', 'timestamp']);
      expect(e.timestamp).toMatch(/^\d{13}$/);
      expect(e.price_changes.length).toBeGreaterThan(0);
      const m = sim.exchange.marketOf(e.price_changes[0].asset_id) ?? sim.world.markets[sim.world.byToken.get(e.price_changes[0].asset_id)!.market];
      expect(e.market).toBe(m!.conditionId);
      if (new Set(e.price_changes.map((x: Json) => x.asset_id)).size === 2) bothTokens++;
      for (const x of e.price_changes) {
        for (const k of ['asset_id', 'price', 'size', 'side', 'hash', 'best_bid', 'best_ask']) expect(typeof x[k]).toBe('string');
        expect(m!.tokenIds).toContain(x.asset_id);
        expect(['BUY', 'SELL']).toContain(x.side);
        expect(x.price).toMatch(num);
        expect(x.size).toMatch(num);
        expect(x.best_bid).toMatch(num);
        expect(x.best_ask).toMatch(num);
        expect(x.hash).toMatch(/^[0-9a-f]{40}$/);
      }
    }
    // One message can cover both tokens of a market.
    expect(bothTokens).toBeGreaterThan(0);
    for (const e of c.eventsOf('last_trade_price')) {
      for (const k of ['asset_id', 'market', 'price', 'size', 'side', 'timestamp', 'fee_rate_bps']) expect(typeof e[k]).toBe('string');
      expect(['BUY', 'SELL']).toContain(e.side);
      expect(Number(e.price)).toBeGreaterThan(0);
      expect(Number(e.price)).toBeLessThan(1);
      expect(Number(e.size)).toBeGreaterThan(0);
    }
  });

  it('sends a lone event as a JSON object frame and several as a JSON array frame', async () => {
    // About one market action per step: some steps yield one event, some several.
    const { sim, urls } = await pool.start({ seed: 'ws-shapes', markets: 200, ...manualClock(30_000, 1) });
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: tokenPairs(sim, 200).flat(), initial_dump: false });
    await run(sim, 60, c);
    const data = c.frames.filter((f) => f.text !== 'PONG');
    const objects = data.filter((f) => !Array.isArray(JSON.parse(f.text)));
    const arrays = data.filter((f) => Array.isArray(JSON.parse(f.text)));
    expect(objects.length).toBeGreaterThan(0);
    expect(arrays.length).toBeGreaterThan(0);
    for (const f of arrays) expect(f.events!.length).toBeGreaterThan(1);
    for (const f of [...objects, ...arrays]) for (const e of f.events!) expect(KNOWN.has(e.event_type)).toBe(true);
  });

  it('delivers only the subscribed token entries of a two-token price_change', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-yes-only', markets: 200, ...manualClock(30_000, 40) });
    const yesOnly = tokenPairs(sim, 200).map(([y]) => y);
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: yesOnly, initial_dump: false });
    await run(sim, 30, c);
    const pcs = c.eventsOf('price_change');
    expect(pcs.length).toBeGreaterThan(50);
    const allowed = new Set(yesOnly);
    for (const e of c.events) for (const a of assetsOf(e)) expect(allowed.has(a)).toBe(true);
  });
});

describe('subscription updates', () => {
  it('operation subscribe adds an asset (its book arrives) with no ack', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-sub', markets: 200, ...manualClock(30_000, 0) });
    const [[a], [x]] = tokenPairs(sim, 2);
    const c = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: [a], initial_dump: true });
    await c.barrier();
    const before = c.frames.length;
    c.send({ operation: 'subscribe', assets_ids: [x] });
    await c.barrier();
    const after = c.frames.slice(before).filter((f) => f.text !== 'PONG');
    // Exactly one frame: the new asset's book. No ack, no echo.
    expect(after).toHaveLength(1);
    const evs = after[0]!.events!;
    expect(evs).toHaveLength(1);
    expect(evs[0].event_type).toBe('book');
    expect(evs[0].asset_id).toBe(x);
  });

  it('operation unsubscribe stops events for that asset; re-subscribing brings a fresh book', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-unsub', markets: 200, ...manualClock(30_000, 40) });
    const all = tokenPairs(sim, 100).flat();
    const dropped = new Set(all.filter((_, i) => i % 2 === 0));
    const c = await pool.client(urls.ws);
    const control = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: all, initial_dump: false });
    control.send({ type: 'market', assets_ids: all, initial_dump: false });
    await run(sim, 5, c, control);
    expect(c.events.some((e) => assetsOf(e).some((a) => dropped.has(a)))).toBe(true);

    c.send({ operation: 'unsubscribe', assets_ids: [...dropped] });
    await c.barrier(); // everything after this PONG reflects the unsubscription
    const mark = c.events.length;
    const controlMark = control.events.length;
    await run(sim, 30, c, control);
    const later = c.events.slice(mark);
    expect(later.length).toBeGreaterThan(0);
    for (const e of later) for (const a of assetsOf(e)) expect(dropped.has(a)).toBe(false);
    // The dropped assets did have events in that time (seen on the control connection).
    expect(control.events.slice(controlMark).some((e) => assetsOf(e).some((a) => dropped.has(a)))).toBe(true);

    const back = [...dropped][0]!;
    const mark2 = c.events.length;
    c.send({ operation: 'subscribe', assets_ids: [back] });
    await c.barrier();
    expect(c.events.slice(mark2).map((e) => [e.event_type, e.asset_id])).toEqual([['book', back]]);
  });
});

describe('custom features', () => {
  // Up/down windows last 15 or 60 minutes: four 1-hour steps resolve them all.
  const upDown = (q: string) => /Up or Down/.test(q);

  it('market_resolved and new_market reach only custom_feature_enabled connections', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-custom', markets: 300, ...manualClock(3_600_000, 40) });
    const assets = [...tokenPairs(sim, 10, upDown).flat(), ...tokenPairs(sim, 20).flat()];
    expect(assets.length).toBeGreaterThan(40);
    const custom = await pool.client(urls.ws);
    const plain = await pool.client(urls.ws);
    custom.send({ type: 'market', assets_ids: assets, initial_dump: true, custom_feature_enabled: true });
    plain.send({ type: 'market', assets_ids: assets, initial_dump: true });
    await Promise.all([custom.barrier(), plain.barrier()]);
    await run(sim, 4, custom, plain);

    const resolved = custom.eventsOf('market_resolved');
    expect(resolved.length).toBeGreaterThan(0);
    for (const e of resolved) {
      for (const k of ['id', 'market', 'winning_asset_id', 'winning_outcome', 'timestamp']) expect(typeof e[k]).toBe('string');
      expect(e.assets_ids).toHaveLength(2);
      expect(e.assets_ids).toContain(e.winning_asset_id);
      expect(assets).toContain(e.assets_ids[0]);
      expect(['Up', 'Down', 'Yes', 'No']).toContain(e.winning_outcome);
      expect(Array.isArray(e.tags)).toBe(true);
      expect(typeof e.event_message).toBe('object');
      // Gamma agrees: the market is closed with the winner's price at 1.
      const g = (await getJson(`${urls.gamma}/markets?id=${e.id}`)).body[0];
      expect(g.closed).toBe(true);
      const win = e.assets_ids.indexOf(e.winning_asset_id);
      expect(JSON.parse(g.outcomePrices)[win]).toBe('1');
    }
    expect(custom.eventsOf('new_market').length).toBeGreaterThan(0);
    for (const e of custom.eventsOf('new_market')) {
      for (const k of ['id', 'question', 'market', 'slug', 'timestamp']) expect(typeof e[k]).toBe('string');
      expect(e.assets_ids).toHaveLength(2);
      expect(e.outcomes).toHaveLength(2);
    }
    expect(plain.events.filter((e) => CUSTOM.has(e.event_type))).toEqual([]);
    expect(plain.eventsOf('price_change').length).toBeGreaterThan(0);
  });

  // Regression (fixed): src/sim/exchange.ts never emits best_bid_ask (the Outbound comment lists it, no code produces it).
  it('best_bid_ask events arrive on custom_feature_enabled connections only', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-bba', markets: 200, ...manualClock(30_000, 40) });
    const assets = tokenPairs(sim, 100).flat();
    const custom = await pool.client(urls.ws);
    const plain = await pool.client(urls.ws);
    custom.send({ type: 'market', assets_ids: assets, initial_dump: false, custom_feature_enabled: true });
    plain.send({ type: 'market', assets_ids: assets, initial_dump: false });
    await Promise.all([custom.barrier(), plain.barrier()]);
    await run(sim, 30, custom, plain);
    expect(plain.eventsOf('price_change').length).toBeGreaterThan(0);
    expect(plain.eventsOf('best_bid_ask')).toEqual([]);
    const bba = custom.eventsOf('best_bid_ask');
    expect(bba.length).toBeGreaterThan(0);
    for (const e of bba) for (const k of ['asset_id', 'market', 'best_bid', 'best_ask', 'spread', 'timestamp']) expect(typeof e[k]).toBe('string');
  });
});

describe('per-connection cap', () => {
  it('with wsCap 5, subscribing 10 assets serves books and events for the first 5 only', async () => {
    const { sim, urls } = await pool.start({ seed: 'ws-cap', markets: 200, wsCap: 5, ...manualClock(30_000, 60) });
    // The most active markets, so every asset sees events within a few steps.
    const active = sim.world.markets
      .filter((m) => !m.closed)
      .sort((a, b) => b.activity - a.activity)
      .slice(0, 10)
      .map((m) => m.tokenIds[0]);
    const [served, ignored] = [active.slice(0, 5), active.slice(5)];
    const c = await pool.client(urls.ws);
    const control = await pool.client(urls.ws);
    c.send({ type: 'market', assets_ids: active, initial_dump: true });
    control.send({ type: 'market', assets_ids: ignored, initial_dump: true });
    await Promise.all([c.barrier(), control.barrier()]);
    expect(c.eventsOf('book').map((e) => e.asset_id)).toEqual(served);
    // Later subscribe operations past the cap are accepted silently and serve nothing.
    c.send({ operation: 'subscribe', assets_ids: [ignored[0]] });
    await run(sim, 40, c, control);
    const seen = new Set(c.events.flatMap(assetsOf));
    for (const a of ignored) expect(seen.has(a)).toBe(false);
    expect(c.events.length).toBeGreaterThan(5);
    // The ignored assets were live (another connection got their events).
    expect(control.events.filter((e) => e.event_type !== 'book').length).toBeGreaterThan(0);
  });
});
