// The simulator as seen by Polymarket's own TypeScript client (@polymarket/clob-client,
// pinned): every public read method, pointed at the simulator's CLOB origin, asserted
// on shape and on values against the simulator's books, Gamma objects and fills.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClobClient, OrderType, PriceHistoryInterval, Side } from '@polymarket/clob-client';
import { createWalletClient, custom } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { polygon } from 'viem/chains';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { SimPool, bookHash, getJson, manualClock, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let gamma: string;
let client: ClobClient;
let open: SimMarket[];
let closed: SimMarket;

/** Best bid / best ask of a wire book as decimal strings (levels in any order). */
function touch(b: Json): { bid: number; ask: number } {
  return { bid: Math.max(...b.bids.map((l: Json) => Number(l.price))), ask: Math.min(...b.asks.map((l: Json) => Number(l.price))) };
}

beforeAll(async () => {
  let urls;
  // Ten sim minutes per step, driven by the test: nothing moves between two reads.
  ({ sim, urls } = await pool.start({ seed: 'official-client', markets: 300, ...manualClock(600_000, 40) }));
  gamma = urls.gamma;
  for (let i = 0; i < 60 && !sim.world.markets.some((m) => m.closed); i++) sim.stepOnce();
  for (let i = 0; i < 20; i++) sim.stepOnce();
  client = new ClobClient(urls.clob, 137);
  open = sim.world.markets.filter((m) => !m.closed && sim.exchange.lastTrade.has(m.tokenIds[0]));
  closed = sim.world.markets.find((m) => m.closed)!;
}, 60_000);
afterAll(() => pool.stopAll());

describe('@polymarket/clob-client public reads against the simulator', () => {
  it('getOk answers "OK" and getServerTime the venue clock in unix seconds', async () => {
    expect(await client.getOk()).toBe('OK');
    const t = await client.getServerTime();
    expect(Number.isInteger(t)).toBe(true);
    expect(t).toBe(Math.floor(sim.exchange.now / 1000));
  });

  it('getMarkets walks every market in cursor pages until "LTE=", in the snake_case CLOB form', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const r = await client.getMarkets(cursor);
      expect(Object.keys(r).sort()).toEqual(['count', 'data', 'limit', 'next_cursor']);
      expect(r.count).toBe(r.data.length);
      for (const m of r.data) seen.add(m.condition_id);
      cursor = r.next_cursor;
      if (cursor === 'LTE=') break;
    }
    expect(cursor).toBe('LTE=');
    expect(seen.size).toBe(sim.world.markets.length);
  });

  it('getMarket(condition_id) serves tokens[] with prices, and winner after resolution', async () => {
    const m = open[0]!;
    const r = await client.getMarket(m.conditionId);
    expect(r.condition_id).toBe(m.conditionId);
    expect(r.question_id).toBe(m.questionId);
    expect(r.market_slug).toBe(m.slug);
    expect(r.minimum_tick_size).toBe(m.tick / 10_000);
    expect(r.neg_risk).toBe(m.negRisk);
    expect(r.tokens.map((t: Json) => t.token_id)).toEqual(m.tokenIds);
    expect(r.tokens.map((t: Json) => t.winner)).toEqual([false, false]);
    const g = (await getJson(`${gamma}/markets/${m.id}`)).body;
    expect(r.tokens.map((t: Json) => String(t.price))).toEqual(JSON.parse(g.outcomePrices));
    const c = await client.getMarket(closed.conditionId);
    expect(c.closed).toBe(true);
    expect(c.accepting_orders).toBe(false);
    expect(c.tokens.map((t: Json) => t.winner)).toEqual([closed.winner === 1, closed.winner === 0]);
    expect(c.tokens.map((t: Json) => t.price)).toEqual(closed.winner === 1 ? [1, 0] : [0, 1]);
    const missing = await client.getMarket('0x' + '0'.repeat(64));
    expect(missing.status).toBe(404);
  });

  it('getSimplifiedMarkets, getSamplingMarkets and getSamplingSimplifiedMarkets page the same way', async () => {
    const simple = await client.getSimplifiedMarkets();
    expect(simple.limit).toBe(simple.data.length);
    expect(Object.keys(simple.data[0]).sort()).toEqual(['accepting_orders', 'active', 'archived', 'closed', 'condition_id', 'rewards', 'tokens']);
    const sampling = await client.getSamplingMarkets();
    expect(sampling.data.length).toBeGreaterThan(0);
    for (const m of sampling.data) {
      expect(m.accepting_orders).toBe(true);
      expect(m.rewards.rates[0].rewards_daily_rate).toBeGreaterThan(0);
    }
    const sampSimple = await client.getSamplingSimplifiedMarkets();
    expect(sampSimple.data.map((m: Json) => m.condition_id)).toEqual(sampling.data.map((m: Json) => m.condition_id));
  });

  it('getOrderBook / getOrderBooks serve the ten-field summary whose hash getOrderBookHash reproduces', async () => {
    for (const m of open.slice(0, 10)) {
      for (const token of m.tokenIds) {
        const b = (await client.getOrderBook(token)) as Json;
        expect(Object.keys(b)).toEqual(['market', 'asset_id', 'timestamp', 'hash', 'bids', 'asks', 'min_order_size', 'tick_size', 'neg_risk', 'last_trade_price']);
        const served = b.hash;
        expect(await client.getOrderBookHash(b)).toBe(served);
        expect(bookHash(b)).toBe(served);
        expect(b.tick_size).toBe(String(m.tick / 10_000));
      }
    }
    const tokens = open.slice(0, 5).flatMap((m) => m.tokenIds);
    const books = (await client.getOrderBooks(tokens.map((token_id) => ({ token_id, side: Side.BUY })))) as Json[];
    expect(books.map((b) => b.asset_id)).toEqual(tokens);
    for (const b of books) expect(await client.getOrderBookHash({ ...b })).toBe(b.hash);
  });

  it('getTickSize, getNegRisk and getFeeRateBps agree with the book and the Gamma feeSchedule', async () => {
    for (const m of open.slice(0, 8)) {
      const token = m.tokenIds[1];
      const b = (await client.getOrderBook(token)) as Json;
      client.clearTickSizeCache();
      expect(await client.getTickSize(token)).toBe(b.tick_size);
      expect(await client.getNegRisk(token)).toBe(b.neg_risk);
      const g = (await getJson(`${gamma}/markets/${m.id}`)).body;
      expect(await client.getFeeRateBps(token)).toBe(Math.round(g.feeSchedule.rate * 10_000));
      expect(g.feesEnabled).toBe(g.feeSchedule.rate > 0);
    }
  });

  it('getPrice / getPrices: BUY is the best bid, SELL the best ask', async () => {
    const m = open[1]!;
    const token = m.tokenIds[0];
    const { bid, ask } = touch(await client.getOrderBook(token));
    expect(Number((await client.getPrice(token, Side.BUY)).price)).toBe(bid);
    expect(Number((await client.getPrice(token, Side.SELL)).price)).toBe(ask);
    const all = await client.getPrices([
      { token_id: token, side: Side.BUY },
      { token_id: token, side: Side.SELL },
      { token_id: m.tokenIds[1], side: Side.SELL },
    ]);
    expect(Number(all[token].BUY)).toBe(bid);
    expect(Number(all[token].SELL)).toBe(ask);
    expect(Number(all[m.tokenIds[1]].SELL)).toBe(touch(await client.getOrderBook(m.tokenIds[1])).ask);
    const bad = await client.getPrice(token, 'SIDEWAYS' as Side);
    expect(bad.status).toBe(400);
  });

  it('getMidpoint / getMidpoints and getSpread / getSpreads follow the book', async () => {
    const tokens = open.slice(2, 6).map((m) => m.tokenIds[0]);
    const mids = await client.getMidpoints(tokens.map((token_id) => ({ token_id, side: Side.BUY })));
    const spreads = await client.getSpreads(tokens.map((token_id) => ({ token_id, side: Side.BUY })));
    for (const token of tokens) {
      const { bid, ask } = touch(await client.getOrderBook(token));
      const mid = await client.getMidpoint(token);
      expect(Number(mid.mid)).toBeCloseTo((bid + ask) / 2, 9);
      expect(mids[token]).toBe(mid.mid);
      const s = await client.getSpread(token);
      expect(Number(s.spread)).toBeCloseTo(ask - bid, 9);
      expect(spreads[token]).toBe(s.spread);
    }
  });

  it('getLastTradePrice / getLastTradesPrices match the book last_trade_price and the trade events', async () => {
    const picks = open.slice(0, 6);
    const lasts = await client.getLastTradesPrices(picks.map((m) => ({ token_id: m.tokenIds[0], side: Side.BUY })));
    expect(lasts.map((l: Json) => l.token_id)).toEqual(picks.map((m) => m.tokenIds[0]));
    for (const [i, m] of picks.entries()) {
      const token = m.tokenIds[0];
      const b = (await client.getOrderBook(token)) as Json;
      const last = await client.getLastTradePrice(token);
      expect(last.price).toBe(b.last_trade_price);
      expect(['BUY', 'SELL']).toContain(last.side);
      expect(lasts[i]).toEqual({ token_id: token, ...last });
      const events = (await client.getMarketTradesEvents(m.conditionId)) as Json[];
      const newest = events.find((e) => e.market.asset_id === token)!;
      expect(newest.price).toBe(last.price);
      expect(newest.side).toBe(last.side);
      expect(newest.outcome).toBe(m.outcomes[0]);
      expect(newest.transaction_hash).toMatch(/^0x[0-9a-f]{64}$/);
      const ts = events.map((e) => Number(e.timestamp));
      expect([...ts].sort((a, b) => b - a)).toEqual(ts);
    }
  });

  it('getPricesHistory serves the YES mid series and its mirror for NO', async () => {
    const m = open[0]!;
    const yes = await client.getPricesHistory({ market: m.tokenIds[0], interval: PriceHistoryInterval.ONE_DAY, fidelity: 10 });
    const no = await client.getPricesHistory({ market: m.tokenIds[1], interval: PriceHistoryInterval.ONE_DAY, fidelity: 10 });
    const ys = (yes as unknown as { history: { t: number; p: number }[] }).history;
    const ns = (no as unknown as { history: { t: number; p: number }[] }).history;
    expect(ys.length).toBeGreaterThan(5);
    expect(ns.map((x) => x.t)).toEqual(ys.map((x) => x.t));
    for (let i = 0; i < ys.length; i++) expect(ys[i]!.p + ns[i]!.p).toBeCloseTo(1, 4);
    const now = Math.floor(sim.exchange.now / 1000);
    for (const x of ys) expect(x.t).toBeGreaterThanOrEqual(now - 86_400);
  });

  it('createOrder and createMarketOrder sign offline with the tick size, neg-risk flag, fee rate and book the simulator serves', async () => {
    // A local key signs without any RPC: the transport refuses every call.
    const account = privateKeyToAccount(`0x${'11'.repeat(32)}`);
    const wallet = createWalletClient({ account, chain: polygon, transport: custom({ request: async () => Promise.reject(new Error('no RPC in tests')) }) });
    const trader = new ClobClient(client.host, 137, wallet);
    const m = open.find((x) => x.feeRate > 0) ?? open[0]!;
    const token = m.tokenIds[0];
    const book = (await trader.getOrderBook(token)) as Json;
    const { bid, ask } = touch(book);
    const order = await trader.createOrder({ tokenID: token, price: bid, side: Side.BUY, size: 10 });
    expect(order.tokenId).toBe(token);
    expect(order.maker.toLowerCase()).toBe(account.address.toLowerCase());
    expect(order.feeRateBps).toBe(String(Math.round(m.feeRate * 10_000)));
    expect(Number(order.makerAmount)).toBe(Math.round(bid * 10 * 1e6));
    expect(Number(order.takerAmount)).toBe(10 * 1e6);
    expect(order.signature).toMatch(/^0x[0-9a-f]{130}$/);
    // A price under the served tick size is refused by the client itself.
    await expect(trader.createOrder({ tokenID: token, price: Number(book.tick_size) / 2, side: Side.BUY, size: 10 })).rejects.toThrow(`min: ${Number(book.tick_size)}`);
    // A market BUY for $5 is priced from the simulator's asks.
    const market = await trader.createMarketOrder({ tokenID: token, amount: 5, side: Side.BUY, orderType: OrderType.FOK });
    expect(Number(market.makerAmount)).toBe(5 * 1e6);
    expect(Number(market.makerAmount) / Number(market.takerAmount)).toBeGreaterThanOrEqual(ask - 1e-6);
  });
});
