// The simulator as the exchange Polymarket's own V2 client trades against
// (@polymarket/clob-client-v2, pinned, unchanged): it derives an API key with
// an L1 signature, posts signed orders, lists, reads and cancels them; the
// desk rejects what the venue rejects (wrong exchange version, a signer that is
// not the key's address, off-grid price, below minimum size, bad HMAC).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClobClient, Side, OrderType, type ApiKeyCreds } from '@polymarket/clob-client-v2';
import { createWalletClient, custom } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { polygon } from 'viem/chains';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from './helpers.js';
import { buildSignedOrder, orderPayload, type TickSize } from '../../src/exec/orders.js';
import { l2Headers } from '../../src/exec/auth.js';
import { Secret } from '../../src/exec/secret.js';
import { waitFor } from '../helpers/wait.js';

const pool = new SimPool();
let sim: Simulator;
let clob: string;
const account = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey());
const noRpc = custom({ request: async () => { throw new Error('no RPC in tests'); } });
const wallet = createWalletClient({ account, chain: polygon, transport: noRpc });
let creds: ApiKeyCreds;
let client: ClobClient;
let market: SimMarket;

const tickText = (m: SimMarket) => String(m.tick / PRICE_SCALE) as TickSize;
const px = (units: number) => units / PRICE_SCALE;

async function rawPost(body: string, c: ApiKeyCreds, address: `0x${string}`): Promise<{ status: number; json: any }> {
  const h = l2Headers(address, { key: c.key, secret: new Secret(c.secret), passphrase: new Secret(c.passphrase) }, Math.floor(Date.now() / 1000), 'POST', '/order', body);
  const r = await fetch(`${clob}/order`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body });
  return { status: r.status, json: await r.json() };
}

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'trading-official', markets: 120, ...manualClock(60_000, 20), desk: { startingBalance: 500, mineMs: 300, confirmMs: 900 } }));
  clob = urls.clob;
  for (let i = 0; i < 5; i++) sim.stepOnce();
  market = sim.world.markets.find((m) => {
    const b = sim.exchange.book(m.tokenIds[0]);
    return !m.closed && b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestBid > 10 * m.tick && b.bestAsk < PRICE_SCALE - 10 * m.tick;
  })!;
  expect(market).toBeDefined();
  const l1 = new ClobClient({ host: clob, chain: 137, signer: wallet as never });
  creds = await l1.createOrDeriveApiKey();
  client = new ClobClient({ host: clob, chain: 137, signer: wallet as never, creds });
}, 60_000);
afterAll(() => pool.stopAll());

describe('@polymarket/clob-client-v2 trading against the simulator', () => {
  it('creates an API key with L1 auth, derives the same one again, and a new account starts with the configured balance', async () => {
    expect(creds.key).toMatch(/^[0-9a-f-]{36}$/);
    const again = await new ClobClient({ host: clob, chain: 137, signer: wallet as never }).deriveApiKey();
    expect(again).toEqual(creds);
    const bal = await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never });
    expect(bal.balance).toBe(String(500 * 1e6));
  });

  it('posts a signed GTC order, lists it open, reads it by id, cancels it', async () => {
    const token = market.tokenIds[0];
    const bid = sim.exchange.book(token)!.bestBid!;
    const price = px(bid - 2 * market.tick);
    const r = await client.createAndPostOrder({ tokenID: token, price, size: 10, side: Side.BUY }, undefined, OrderType.GTC);
    expect(r.success).toBe(true);
    expect(r.status).toBe('live');
    expect(r.orderID).toMatch(/^0x[0-9a-f]{64}$/);
    const open = await client.getOpenOrders();
    expect(open.map((o) => o.id)).toEqual([r.orderID]);
    expect(open[0]).toMatchObject({ status: 'LIVE', side: 'BUY', asset_id: token, original_size: '10', size_matched: '0', price: String(price), order_type: 'GTC', maker_address: account.address.toLowerCase() });
    const one = await client.getOrder(r.orderID);
    expect(one.id).toBe(r.orderID);
    const c = await client.cancelOrder({ orderID: r.orderID });
    expect(c.canceled).toEqual([r.orderID]);
    expect(await client.getOpenOrders()).toEqual([]);
    const again = await client.cancelOrder({ orderID: r.orderID });
    expect(again.canceled).toEqual([]);
    expect(Object.keys(again.not_canceled)).toEqual([r.orderID]);
  });

  it('cancel-all takes every open order of the key off the book', async () => {
    const token = market.tokenIds[0];
    const bid = sim.exchange.book(token)!.bestBid!;
    const ids: string[] = [];
    for (const k of [3, 4, 5]) ids.push((await client.createAndPostOrder({ tokenID: token, price: px(bid - k * market.tick), size: 6, side: Side.BUY })).orderID);
    expect((await client.getOpenOrders()).length).toBe(3);
    const r = await client.cancelAll();
    expect([...r.canceled].sort()).toEqual([...ids].sort());
    expect(await client.getOpenOrders()).toEqual([]);
    expect(sim.exchange.resting(token, 'BUY')).toEqual([]);
  });

  it('a marketable GTC order fills against the book through the one matching path; the trade settles MATCHED → MINED → CONFIRMED', async () => {
    const token = market.tokenIds[0];
    const ask = sim.exchange.book(token)!.bestAsk!;
    const tradesBefore = sim.exchange.stats.trades;
    const lastBefore = sim.exchange.lastTrade.get(token);
    const r = await client.createAndPostOrder({ tokenID: token, price: px(ask), size: 5, side: Side.BUY }, undefined, OrderType.GTC);
    expect(r.success).toBe(true);
    expect(r.status).toBe('matched');
    expect(r.tradeIDs!.length).toBeGreaterThan(0);
    // The official client waits for the fill's transaction hash (known once mined).
    expect(r.transactionsHashes?.length).toBeGreaterThan(0);
    expect(sim.exchange.lastTrade.get(token)).not.toBe(lastBefore);
    expect(sim.exchange.stats.trades).toBe(tradesBefore);
    const trades = await client.getTrades({ id: r.tradeIDs![0]! });
    expect(trades[0]).toMatchObject({ asset_id: token, side: 'BUY', size: '5', price: String(px(ask)), trader_side: 'TAKER', taker_order_id: r.orderID });
    await waitFor(async () => (await client.getTrades({ id: r.tradeIDs![0]! }))[0]?.status === 'CONFIRMED', { what: 'CONFIRMED' });
    const bal = await client.getBalanceAllowance({ asset_type: 'COLLATERAL' as never });
    expect(Number(bal.balance)).toBe(500 * 1e6 - Math.round(5 * px(ask) * 1e6));
  });

  it('rejects an order signed for another exchange version with order_version_mismatch', async () => {
    const token = market.tokenIds[0];
    const bid = sim.exchange.book(token)!.bestBid!;
    const order = await client.createOrder({ tokenID: token, price: px(bid - market.tick), size: 5, side: Side.BUY }, { tickSize: tickText(market) as never, negRisk: market.negRisk, version: 3 });
    const r: any = await client.postOrder(order, OrderType.GTC);
    expect(r.error).toBe('order_version_mismatch');
    expect(r.status).toBe(400);
  });

  it('rejects a signer that is not the API key address, an off-grid price, a size below the minimum and a wrong HMAC', async () => {
    const token = market.tokenIds[0];
    const bid = sim.exchange.book(token)!.bestBid!;
    const base = { tokenId: token, side: 'BUY' as const, tick: tickText(market), negRisk: market.negRisk, version: 2 as const };
    const good = (p: number) => (p / PRICE_SCALE).toFixed(4);
    const foreign = await buildSignedOrder({ ...base, price: good(bid - market.tick), size: '5' }, { account: other, funder: other.address, signatureType: 0 });
    expect((await rawPost(orderPayload(foreign, creds.key, 'GTC'), creds, account.address)).json.error).toBe('the order signer address has to be the address of the API KEY');
    const fine = market.tick >= 10 ? '0.0001' : undefined;
    if (fine) {
      const off = await buildSignedOrder({ ...base, tick: fine as TickSize, price: good(bid - market.tick - 1), size: '5' }, { account, funder: account.address, signatureType: 0 });
      const r = await rawPost(orderPayload(off, creds.key, 'GTC'), creds, account.address);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/breaks minimum tick size rule/);
    }
    const small = await buildSignedOrder({ ...base, price: good(bid - market.tick), size: '1' }, { account, funder: account.address, signatureType: 0 });
    expect((await rawPost(orderPayload(small, creds.key, 'GTC'), creds, account.address)).json.error).toBe('Size (1) lower than the minimum: 5');
    const ok = await buildSignedOrder({ ...base, price: good(bid - market.tick), size: '5' }, { account, funder: account.address, signatureType: 0 });
    const body = orderPayload(ok, creds.key, 'GTC');
    // Headers computed over one body, another body sent: the HMAC no longer matches.
    const h = l2Headers(account.address, { key: creds.key, secret: new Secret(creds.secret), passphrase: new Secret(creds.passphrase) }, Math.floor(Date.now() / 1000), 'POST', '/order', body);
    const forged = (await fetch(`${clob}/order`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: body.replace('"GTC"', '"FAK"') })).status;
    expect(forged).toBe(401);
    expect(await client.getOpenOrders()).toEqual([]);
  });

  it('a missed heartbeat deadline cancels every order of the key', async () => {
    sim.desk.opts.heartbeatMs = 600;
    const token = market.tokenIds[0];
    const bid = sim.exchange.book(token)!.bestBid!;
    const hb = await client.postHeartbeat('');
    expect(typeof hb.heartbeat_id).toBe('string');
    const next = await client.postHeartbeat(hb.heartbeat_id);
    expect(next.heartbeat_id).not.toBe(hb.heartbeat_id);
    const r = await client.createAndPostOrder({ tokenID: token, price: px(bid - 3 * market.tick), size: 5, side: Side.BUY });
    expect(r.status).toBe('live');
    await waitFor(async () => (await client.getOpenOrders()).length === 0, { what: 'heartbeat cancel', timeoutMs: 10_000 });
    expect(sim.desk.orders.get(r.orderID)!.status).toBe('CANCELED');
    sim.desk.opts.heartbeatMs = 10_000;
  });
});
