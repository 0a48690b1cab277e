// The batched reference-data client against the simulator's loopback
// providers (real HTTP on 127.0.0.1). Calls are counted at the server.
import { afterEach, describe, expect, it } from 'vitest';
import { RefBatcher } from '../../src/refdata/batcher.js';
import { BinanceFutures, BinanceSpot } from '../../src/refdata/providers/binance.js';
import { Coinalyze } from '../../src/refdata/providers/coinalyze.js';
import { SymbolMap } from '../../src/refdata/symbols.js';
import { CryptoPaths, type CoinSpec } from '../../src/sim/crypto-paths.js';
import { RefDataServer } from '../../src/sim/refdata-server.js';
import { ManualClock, venueMs, wallMs } from '../../src/clock.js';

const servers: RefDataServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** 45 coins → 135 Coinalyze perpetuals (3 venues each). */
function manyCoins(n: number): Record<string, CoinSpec> {
  const out: Record<string, CoinSpec> = {};
  for (let i = 0; i < n; i++) out[`C${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`] = { s0: 10 + i, sigma: 0.8 };
  return out;
}

async function start(o: Partial<ConstructorParameters<typeof RefDataServer>[0]> = {}, coins?: Record<string, CoinSpec>) {
  const epoch = Date.now() - 3_600_000;
  const paths = new CryptoPaths(7, epoch, coins);
  const server = new RefDataServer({ paths, now: Date.now, missingRate: 0, ...o });
  servers.push(server);
  const url = await server.start();
  return { server, url, paths };
}

const clock = () => new ManualClock(1_000_000);

describe('RefBatcher with Coinalyze-shaped endpoints (20 symbols per call, 40 calls/min)', () => {
  it('calls per refresh = ⌈symbols / 20⌉ per endpoint, measured at the server; a second refresh inside 15 min makes none', async () => {
    const { server, url } = await start({}, manyCoins(45));
    const c = clock();
    const provider = new Coinalyze('k', `${url}/v1`);
    const map = new SymbolMap(provider, c);
    await map.ensure();
    const symbols = [...new Set(['A', '6', '3'].flatMap((v) => Array.from({ length: 45 }, (_, i) => `C${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}USDT_PERP.${v}`)))];
    expect(symbols).toHaveLength(135);
    const b = new RefBatcher(provider, { clock: c });
    const funding = await b.get('funding', symbols);
    const oi = await b.get('oi', symbols);
    expect(server.hits['/v1/funding-rate']).toBe(Math.ceil(135 / 20));
    expect(server.hits['/v1/open-interest']).toBe(Math.ceil(135 / 20));
    expect([...funding.values()].every((r) => r.status === 'ok')).toBe(true);
    expect([...oi.values()].every((r) => r.status === 'ok')).toBe(true);
    c.advance(14 * 60_000);
    await b.get('funding', symbols);
    expect(server.hits['/v1/funding-rate']).toBe(7);
    c.advance(2 * 60_000);
    await b.get('funding', symbols);
    expect(server.hits['/v1/funding-rate']).toBe(14);
    expect(b.stats.calls['funding']).toBe(14);
  });

  it('concurrent refreshes for overlapping symbols coalesce into one set of calls', async () => {
    const { server, url } = await start({}, manyCoins(20));
    const provider = new Coinalyze('k', `${url}/v1`);
    const b = new RefBatcher(provider, { clock: clock() });
    const all = Array.from({ length: 20 }, (_, i) => `C${String.fromCharCode(65 + i)}AUSDT_PERP.A`).concat(Array.from({ length: 20 }, (_, i) => `C${String.fromCharCode(65 + i)}AUSDT_PERP.6`));
    const [x, y, z] = await Promise.all([b.get('funding', all), b.get('funding', all.slice(10, 30)), b.get('funding', all.slice(0, 5))]);
    expect(server.hits['/v1/funding-rate']).toBe(2);
    expect(b.stats.coalesced).toBe(25);
    expect(x.size).toBe(40);
    expect(y.get(all[15]!)).toEqual(x.get(all[15]!));
    expect(z.get(all[0]!)?.status).toBe('ok');
  });

  it('symbols left out of an answer are cached as missing for 30 s, then asked again alone', async () => {
    const { server, url } = await start({ missingRate: 0.3 }, manyCoins(20));
    const c = clock();
    const provider = new Coinalyze('k', `${url}/v1`);
    const b = new RefBatcher(provider, { clock: c });
    const syms = Array.from({ length: 20 }, (_, i) => `C${String.fromCharCode(65 + i)}AUSDT_PERP.A`);
    const first = await b.get('oi', syms);
    const missing = syms.filter((s) => first.get(s)?.status === 'missing');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThan(20);
    await b.get('oi', syms);
    expect(server.hits['/v1/open-interest']).toBe(1);
    expect(b.stats.negativeHits).toBe(missing.length);
    c.advance(31_000);
    await b.get('oi', syms);
    expect(server.hits['/v1/open-interest']).toBe(2);
  });

  it('a 429 blocks the provider for its Retry-After: later refreshes make no calls and read missing (neutral)', async () => {
    const { server, url } = await start({ coinalyzePerMinute: 2 }, manyCoins(3));
    const c = clock();
    const b = new RefBatcher(new Coinalyze('k', `${url}/v1`), { clock: c, defaultTtlMs: 0 });
    const s = ['CAAUSDT_PERP.A'];
    expect((await b.get('funding', s)).get(s[0]!)?.status).toBe('ok');
    expect((await b.get('oi', s)).get(s[0]!)?.status).toBe('ok');
    const third = await b.get('predicted-funding', s);
    expect(third.get(s[0]!)).toMatchObject({ status: 'missing', reason: expect.stringContaining('429') });
    const callsAfter429 = Object.values(server.hits).reduce((a, n) => a + n, 0);
    c.advance(31_000);
    const fourth = await b.get('funding', s);
    expect(fourth.get(s[0]!)).toMatchObject({ status: 'missing', reason: expect.stringContaining('rate limited') });
    expect(Object.values(server.hits).reduce((a, n) => a + n, 0)).toBe(callsAfter429);
    expect(b.stats.rateLimited).toBe(2);
  });

  it('an unknown key is refused by the server and reads missing, never a value', async () => {
    const { url } = await start({}, manyCoins(2));
    const b = new RefBatcher(new Coinalyze('', `${url}/v1`), { clock: clock() });
    const r = await b.get('funding', ['CAAUSDT_PERP.A']);
    expect(r.get('CAAUSDT_PERP.A')).toMatchObject({ status: 'missing', reason: expect.stringContaining('401') });
  });
});

describe('symbol map and Binance-shaped endpoints', () => {
  it('the market list is fetched once per 24 h; tiers: Binance pair resolved, other-venue perpetual aggregated, unknown coin neutral', async () => {
    const { server, url } = await start();
    const c = clock();
    const spotMap = new SymbolMap(new BinanceSpot(url), c);
    await spotMap.ensure();
    await spotMap.ensure();
    expect(server.hits['/api/v3/exchangeInfo']).toBe(1);
    c.advance(23 * 3_600_000);
    await spotMap.ensure();
    expect(server.hits['/api/v3/exchangeInfo']).toBe(1);
    c.advance(2 * 3_600_000);
    await spotMap.ensure();
    expect(server.hits['/api/v3/exchangeInfo']).toBe(2);
    expect(spotMap.resolve('BTC')).toEqual({ symbol: 'BTCUSDT', tier: 'resolved' });
    expect(spotMap.resolve('HYPE')).toEqual({ symbol: null, tier: 'neutral' });
    const perps = new SymbolMap(new Coinalyze('k', `${url}/v1`), c);
    await perps.ensure();
    expect(perps.resolve('BTC', 'A')).toEqual({ symbol: 'BTCUSDT_PERP.A', tier: 'resolved' });
    expect(perps.resolve('BTC', 'Z')).toMatchObject({ tier: 'aggregated' });
    expect(perps.resolve('NOPE', 'A')).toEqual({ symbol: null, tier: 'neutral' });
  });

  it('spot prices come back in one batched call and equal the hidden path at the venue clock', async () => {
    const fixedNow = Date.now();
    const { server, url, paths } = await start({ now: () => fixedNow });
    const spot = new BinanceSpot(url);
    const map = new SymbolMap(spot, clock());
    await map.ensure();
    const syms = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE', 'BNB'].map((a) => map.resolve(a).symbol!);
    const b = new RefBatcher(spot, { clock: clock(), ttlMs: { price: 2_000 } });
    const r = await b.get('price', syms);
    expect(server.hits['/api/v3/ticker/price']).toBe(1);
    const btc = r.get('BTCUSDT');
    expect(btc?.status).toBe('ok');
    if (btc?.status === 'ok') expect(btc.value).toBeCloseTo(paths.price('BTC', fixedNow)!, 2);
  });

  it('one unlisted symbol fails a Binance ticker batch (code −1121): every symbol of that call reads missing', async () => {
    const { url } = await start();
    const b = new RefBatcher(new BinanceSpot(url), { clock: clock() });
    const r = await b.get('price', ['BTCUSDT', 'HYPEUSDT']);
    expect(r.get('BTCUSDT')).toMatchObject({ status: 'missing', reason: expect.stringContaining('-1121') });
  });

  it('realised volatility from 1-minute klines is near the path σ; premiumIndex serves mark and funding in one call', async () => {
    const { server, url } = await start();
    const b = new RefBatcher(new BinanceSpot(url), { clock: clock() });
    const rv = await b.get('rv1m', ['BTCUSDT', 'ETHUSDT']);
    expect(server.hits['/api/v3/klines']).toBe(2);
    const v = rv.get('BTCUSDT');
    expect(v?.status).toBe('ok');
    if (v?.status === 'ok') {
      expect(v.value).toBeGreaterThan(0.2);
      expect(v.value).toBeLessThan(1.2);
    }
    const fut = new RefBatcher(new BinanceFutures(url), { clock: clock() });
    const mark = await fut.get('mark', ['BTCUSDT', 'ETHUSDT', 'HYPEUSDT']);
    expect(server.hits['/fapi/v1/premiumIndex']).toBe(1);
    expect(mark.get('HYPEUSDT')?.status).toBe('ok');
  });

  it('Binance weight: past the minute budget the server answers 429 with Retry-After and the client stops calling', async () => {
    const { server, url } = await start({ binanceWeight: 30 });
    const c = clock();
    const b = new RefBatcher(new BinanceSpot(url), { clock: c, defaultTtlMs: 0, negativeTtlMs: 0 });
    const reads = [];
    for (let i = 0; i < 12; i++) reads.push((await b.get('price', ['BTCUSDT'])).get('BTCUSDT'));
    expect(reads.filter((r) => r?.status === 'ok')).toHaveLength(7);
    expect(reads[7]).toMatchObject({ status: 'missing', reason: expect.stringContaining('429') });
    expect(server.hits['/api/v3/ticker/price']).toBe(8);
  });
});

/** A venue running `speed` times faster than this machine's clock (the simulator at --speed). */
const fastClock = (speed: number) => {
  let wall = 1_000_000;
  let venue = 9_000_000_000;
  return { wall: () => wallMs(wall), venue: () => venueMs(venue), tick: (wallStep: number) => ((wall += wallStep), (venue += wallStep * speed)) };
};

describe('provider terms run on wall time, however fast the venue clock runs (×600)', () => {
  it('a cached value is still cached after 1 wall second and after 14 wall minutes (140 venue hours); it is read again after 15', async () => {
    const { server, url } = await start({}, manyCoins(3));
    const c = fastClock(600);
    const b = new RefBatcher(new Coinalyze('k', `${url}/v1`), { clock: c });
    const s = ['CAAUSDT_PERP.A'];
    await b.get('funding', s);
    c.tick(1_000);
    await b.get('funding', s);
    expect(server.hits['/v1/funding-rate']).toBe(1);
    c.tick(14 * 60_000);
    await b.get('funding', s);
    expect(server.hits['/v1/funding-rate']).toBe(1);
    expect(b.stats.cacheHits).toBe(2);
    c.tick(60_000);
    await b.get('funding', s);
    expect(server.hits['/v1/funding-rate']).toBe(2);
  });

  it('the per-minute budget counts wall minutes: 38 calls in 6 wall seconds, then refusals, though 60 venue hours passed', async () => {
    const { server, url } = await start({ coinalyzePerMinute: 1_000 }, manyCoins(3));
    const c = fastClock(600);
    const b = new RefBatcher(new Coinalyze('k', `${url}/v1`), { clock: c, defaultTtlMs: 0, negativeTtlMs: 0 });
    const reads = [];
    for (let i = 0; i < 60; i++) {
      reads.push((await b.get('funding', ['CAAUSDT_PERP.A'])).get('CAAUSDT_PERP.A'));
      c.tick(100);
    }
    expect(server.hits['/v1/funding-rate']).toBe(38);
    expect(reads.filter((r) => r?.status === 'ok')).toHaveLength(38);
    expect(reads[38]).toMatchObject({ status: 'missing', reason: 'rate budget spent' });
    expect(b.stats.budgetRefused).toBe(22);
    // A wall minute later the budget is back.
    c.tick(60_000);
    expect((await b.get('funding', ['CAAUSDT_PERP.A'])).get('CAAUSDT_PERP.A')?.status).toBe('ok');
  });

  it("a 429's Retry-After is wall seconds: 10 venue minutes later (1 wall second) the provider is still left alone", async () => {
    const { server, url } = await start({ coinalyzePerMinute: 1 }, manyCoins(3));
    const c = fastClock(600);
    const b = new RefBatcher(new Coinalyze('k', `${url}/v1`), { clock: c, defaultTtlMs: 0 });
    const s = ['CAAUSDT_PERP.A'];
    expect((await b.get('funding', s)).get(s[0]!)?.status).toBe('ok');
    expect((await b.get('oi', s)).get(s[0]!)).toMatchObject({ status: 'missing', reason: expect.stringContaining('429') });
    const hits = Object.values(server.hits).reduce((a, n) => a + n, 0);
    c.tick(1_000);
    expect((await b.get('funding', s)).get(s[0]!)).toMatchObject({ status: 'missing', reason: expect.stringContaining('rate limited') });
    expect(Object.values(server.hits).reduce((a, n) => a + n, 0)).toBe(hits);
  });

  it('the market list is kept 24 wall hours: 25 venue hours (150 wall seconds) later it is not fetched again', async () => {
    const { server, url } = await start();
    const c = fastClock(600);
    const map = new SymbolMap(new BinanceSpot(url), c);
    await map.ensure();
    c.tick(150_000);
    await map.ensure();
    expect(server.hits['/api/v3/exchangeInfo']).toBe(1);
    c.tick(24 * 3_600_000);
    await map.ensure();
    expect(server.hits['/api/v3/exchangeInfo']).toBe(2);
  });

  it('an endpoint with a venue staleness bound reads a value again once its stamp is that old, inside its wall lifetime', async () => {
    const { server, url } = await start();
    const c = fastClock(600);
    const spot = new BinanceSpot(url, c.venue);
    const b = new RefBatcher(spot, { clock: c, ttlMs: { price: 2_000 }, staleMs: { price: 30_000 } });
    await b.get('price', ['BTCUSDT']);
    c.tick(10); // 6 venue seconds: fresh
    await b.get('price', ['BTCUSDT']);
    expect(server.hits['/api/v3/ticker/price']).toBe(1);
    c.tick(50); // 36 venue seconds since the stamp: stale for pricing, so read again though 60 wall ms passed
    await b.get('price', ['BTCUSDT']);
    expect(server.hits['/api/v3/ticker/price']).toBe(2);
  });
});
