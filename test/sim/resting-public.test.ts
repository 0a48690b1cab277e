// An account's resting order is part of the venue's public book, as on
// Polymarket: REST /book and POST /books list it in its level with the SDKs'
// hash, the market channel announces it (and its cancel) as a price_change
// whose hash is the new book's, and the simulator's own takers fill it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClobClient, Side, OrderType, type ApiKeyCreds } from '@polymarket/clob-client-v2';
import { createWalletClient, custom } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { polygon } from 'viem/chains';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock, getJson, postJson, bookHash, LocalBooks, type WsClient, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let urls: Awaited<ReturnType<Simulator['start']>>;
let client: ClobClient;
let market: SimMarket;
let token: string;
let ws: WsClient;
const local = new LocalBooks();
const account = privateKeyToAccount(generatePrivateKey());
const noRpc = custom({ request: async () => { throw new Error('no RPC in tests'); } });
const wallet = createWalletClient({ account, chain: polygon, transport: noRpc });

/** Sends what the exchange queued (the desk's changes) without a market step. */
function flush(): void {
  sim.ws.flush(sim.exchange.out);
  sim.exchange.out.length = 0;
}

/** Applies every market-channel event received so far to the local book; returns the price_change entries for `token`. */
let applied = 0;
function drain(): Json[] {
  const entries: Json[] = [];
  for (; applied < ws.events.length; applied++) {
    const e = ws.events[applied]!;
    if (e.event_type === 'book') local.applyBook(e);
    if (e.event_type === 'price_change') {
      for (const c of e.price_changes) {
        local.applyChange(c);
        if (c.asset_id === token) entries.push(c);
      }
    }
  }
  return entries;
}

const fmt = (units: number) => String(units / PRICE_SCALE);

async function restBook(): Promise<Json> {
  const r = await getJson(`${urls.clob}/book?token_id=${token}`);
  expect(r.status).toBe(200);
  return r.body;
}

function localLevels(): { bids: [string, string][]; asks: [string, string][] } {
  const b = local.books.get(token)!;
  const sort = (m: Map<string, string>) => [...m].sort((x, y) => Number(x[0]) - Number(y[0]));
  return { bids: sort(b.bids), asks: sort(b.asks) };
}

function wireLevels(b: Json): { bids: [string, string][]; asks: [string, string][] } {
  const sort = (ls: Json[]) => ls.map((l: Json) => [l.price, l.size] as [string, string]).sort((x, y) => Number(x[0]) - Number(y[0]));
  return { bids: sort(b.bids), asks: sort(b.asks) };
}

beforeAll(async () => {
  ({ sim, urls } = await pool.start({ seed: 'resting-public', markets: 40, ...manualClock(30_000, 30), desk: { startingBalance: 1_000, mineMs: 200, confirmMs: 400 } }));
  for (let i = 0; i < 3; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestAsk - b.bestBid >= 3 * m.tick && b.bestBid > 10 * m.tick;
  })!;
  expect(market).toBeDefined();
  token = market.tokenIds[0];
  const creds: ApiKeyCreds = await new ClobClient({ host: urls.clob, chain: 137, signer: wallet as never }).createOrDeriveApiKey();
  client = new ClobClient({ host: urls.clob, chain: 137, signer: wallet as never, creds });
  ws = await pool.client(urls.ws);
  ws.send({ type: 'market', assets_ids: [token], initial_dump: true });
  await ws.barrier();
  drain();
  expect(local.books.get(token)).toBeDefined();
}, 60_000);
afterAll(() => pool.stopAll());

describe('resting orders in the public book', () => {
  let orderId = '';
  let price = 0;

  it('a resting bid shows in REST /book, POST /books and a price_change, each with the hash of the book that holds it', async () => {
    const before = sim.exchange.book(token)!;
    price = before.bestAsk! - market.tick; // inside the spread: the new best bid
    const r = await client.createAndPostOrder({ tokenID: token, price: price / PRICE_SCALE, size: 7, side: Side.BUY }, { tickSize: fmt(market.tick) as never, negRisk: market.negRisk }, OrderType.GTC);
    expect(r.status).toBe('live');
    orderId = r.orderID;
    flush();
    await ws.barrier();
    const entries = drain();
    const mine = entries.find((e) => e.price === fmt(price) && e.side === 'BUY');
    expect(mine).toMatchObject({ size: '7', best_bid: fmt(price) });
    const rest = await restBook();
    expect(rest.bids.at(-1)).toEqual({ price: fmt(price), size: '7' });
    expect(rest.hash).toBe(bookHash(rest));
    expect(mine.hash).toBe(rest.hash);
    const [batch] = (await postJson(`${urls.clob}/books`, [{ token_id: token }])).body;
    expect(batch).toEqual(rest);
    // The stream alone rebuilds what REST serves.
    expect(localLevels()).toEqual(wireLevels(rest));
  });

  it('the makers never quote through it, and the simulator\u2019s takers fill it (a MAKER trade for the account)', async () => {
    let matched = 0;
    for (let i = 0; i < 3_000 && matched === 0; i++) {
      sim.stepOnce();
      const b = sim.exchange.book(token);
      if (!b) break; // resolved: nothing more to check
      expect(b.bestAsk === undefined || b.bestAsk > price).toBe(true);
      matched = sim.desk.orders.get(orderId)!.matched;
    }
    expect(matched).toBeGreaterThan(0);
    const trades = await client.getTrades({ asset_id: token });
    const maker = trades.find((t) => t.trader_side === 'MAKER');
    expect(maker).toBeDefined();
    expect(maker!.maker_orders.map((o) => o.order_id)).toContain(orderId);
    expect(Number(maker!.price)).toBe(price / PRICE_SCALE);
    const o = await client.getOrder(orderId);
    expect(Number(o.size_matched)).toBe(matched);
    // The public trade the takers made is the account's fill.
    expect(sim.exchange.lastTrade.get(token)!.price).toBeLessThanOrEqual(sim.exchange.book(token)?.bestAsk ?? PRICE_SCALE);
  });

  it('cancelling takes it out of the public level again, announced with the new hash', async () => {
    const o = sim.desk.orders.get(orderId)!;
    if (o.status !== 'LIVE') {
      // Filled completely: rest a fresh one to cancel.
      const bid = sim.exchange.book(token)!.bestBid!;
      price = bid;
      const r = await client.createAndPostOrder({ tokenID: token, price: price / PRICE_SCALE, size: 6, side: Side.BUY }, { tickSize: fmt(market.tick) as never, negRisk: market.negRisk }, OrderType.GTC);
      orderId = r.orderID;
    }
    flush();
    await ws.barrier();
    drain();
    const withOrder = await restBook();
    const level = (b: Json) => Number(b.bids.find((l: Json) => l.price === fmt(price))?.size ?? 0);
    const left = sim.desk.orders.get(orderId)!;
    const mineLeft = left.original - left.matched;
    expect(level(withOrder)).toBeGreaterThanOrEqual(mineLeft);
    await client.cancelOrder({ orderID: orderId });
    flush();
    await ws.barrier();
    const entries = drain().filter((e) => e.price === fmt(price) && e.side === 'BUY');
    expect(entries.length).toBe(1);
    const after = await restBook();
    expect(level(after)).toBeCloseTo(level(withOrder) - mineLeft, 6);
    expect(entries[0].hash).toBe(after.hash);
    expect(after.hash).toBe(bookHash(after));
    expect(localLevels()).toEqual(wireLevels(after));
  });
});
