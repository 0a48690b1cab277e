// A refresh end to end against the simulator's Binance-shaped server: tiers,
// ages, neutral rows, start prices of up/down windows, and calls per refresh.
import { afterEach, describe, expect, it } from 'vitest';
import { BinanceSpot } from '../../src/refdata/providers/binance.js';
import { DeribitDvol } from '../../src/refdata/providers/deribit.js';
import type { MappedRule } from '../../src/refdata/resolve.js';
import { RefDataService } from '../../src/refdata/service.js';
import { CryptoPaths } from '../../src/sim/crypto-paths.js';
import { RefDataServer } from '../../src/sim/refdata-server.js';
import { venueMs, wallMs } from '../../src/clock.js';

let server: RefDataServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const MIN = 60_000;

describe('RefDataService.refresh', () => {
  it('prices mapped rules from one batched spot call and per-symbol vol, caches both, and stays neutral where data is missing', async () => {
    let venue = Date.parse('2026-02-03T19:00:00Z');
    const paths = new CryptoPaths(3, venue - 6 * 3_600_000);
    server = new RefDataServer({ paths, now: () => venue, missingRate: 0 });
    const url = await server.start();
    const svc = new RefDataService(new BinanceSpot(url, () => venueMs(venue)), { clock: { wall: () => wallMs(venue), venue: () => venueMs(venue) } });
    const btcNow = paths.price('BTC', venue)!;
    const start = venue + 10_000;
    const rules: Array<{ marketId: string; rule: MappedRule }> = [
      { marketId: 'm-above', rule: { status: 'mapped', asset: 'BTC', kind: 'above', strike: Math.round(btcNow), windowStart: null, resolvesAt: venue + 30 * MIN, source: 'binance' } },
      { marketId: 'm-updown', rule: { status: 'mapped', asset: 'ETH', kind: 'updown', strike: null, windowStart: start, resolvesAt: start + 15 * MIN, source: 'chainlink' } },
      { marketId: 'm-hype', rule: { status: 'mapped', asset: 'HYPE', kind: 'above', strike: 40, windowStart: null, resolvesAt: venue + 30 * MIN, source: 'binance' } },
    ];
    const r1 = await svc.refresh(rules);
    expect(r1.stats.calls).toEqual({ price: 1, rv1m: 2 });
    const above = r1.rows.find((r) => r.marketId === 'm-above')!;
    expect(above).toMatchObject({ provider: 'binance', symbol: 'BTCUSDT', tier: 'resolved', spotAgeMs: 0 });
    expect(above.fair.status).toBe('priced');
    if (above.fair.status === 'priced') {
      // At the money, 30 min out: close to one half.
      expect(above.fair.p).toBeGreaterThan(0.4);
      expect(above.fair.p).toBeLessThan(0.6);
      expect(above.fair.inputs.sigmaKind).toBe('realised');
    }
    expect(r1.rows.find((r) => r.marketId === 'm-hype')).toMatchObject({ tier: 'neutral', symbol: null, fair: { status: 'neutral' } });
    expect(r1.rows.find((r) => r.marketId === 'm-updown')?.fair).toMatchObject({ status: 'neutral', reason: expect.stringContaining('window not open') });

    // Inside the 2 s spot cache: no calls at all.
    const r2 = await svc.refresh(rules);
    expect(r2.stats.calls).toEqual({});

    // The window opens; the first sample after the start becomes its start price (Binance as a proxy for Chainlink: aggregated).
    venue = start + 1_000;
    const r3 = await svc.refresh(rules);
    expect(r3.stats.calls).toEqual({ price: 1 });
    venue = start + 5 * MIN;
    const r4 = await svc.refresh(rules);
    const ud = r4.rows.find((r) => r.marketId === 'm-updown')!;
    expect(ud.tier).toBe('aggregated');
    expect(ud.fair.status).toBe('priced');
    if (ud.fair.status === 'priced') {
      expect(ud.fair.inputs.startPrice).toBeCloseTo(paths.price('ETH', start + 1_000)!, 2);
      const up = paths.price('ETH', venue)! >= ud.fair.inputs.startPrice!;
      expect(ud.fair.p > 0.5).toBe(up);
    }
    expect(server.hits['/api/v3/exchangeInfo']).toBe(1);
  });

  it('implied volatility (Deribit DVOL) where the venue lists it, realised elsewhere; one DVOL call per currency, cached', async () => {
    const venue = Date.parse('2026-02-03T19:00:00Z');
    const paths = new CryptoPaths(3, venue - 6 * 3_600_000);
    server = new RefDataServer({ paths, now: () => venue, missingRate: 0 });
    const url = await server.start();
    const svc = new RefDataService(new BinanceSpot(url, () => venueMs(venue)), { clock: { wall: () => wallMs(venue), venue: () => venueMs(venue) }, implied: new DeribitDvol(`${url}/api/v2`, () => venueMs(venue)) });
    const rule = (asset: string): MappedRule => ({ status: 'mapped', asset, kind: 'above', strike: paths.price(asset, venue)!, windowStart: null, resolvesAt: venue + 60 * MIN, source: 'binance' });
    const rows = [{ marketId: 'b', rule: rule('BTC') }, { marketId: 'e', rule: rule('ETH') }, { marketId: 's', rule: rule('SOL') }];
    const r = await svc.refresh(rows);
    expect(r.stats.calls).toEqual({ price: 1, rv1m: 3, dvol: 2 });
    const kind = (id: string) => {
      const f = r.rows.find((x) => x.marketId === id)!.fair;
      return f.status === 'priced' ? [f.inputs.sigmaKind, f.inputs.sigma] : ['neutral', 0];
    };
    expect(kind('b')[0]).toBe('implied');
    expect(kind('b')[1]).toBeGreaterThan(0.5 * 1.01);
    expect(kind('b')[1]).toBeLessThan(0.5 * 1.1);
    expect(kind('s')[0]).toBe('realised');
    const again = await svc.refresh(rows);
    expect(again.stats.calls).toEqual({});
  });

  it('provider down: every row neutral within one refresh, no exception', async () => {
    const svc = new RefDataService(new BinanceSpot('http://127.0.0.1:9'), { clock: { wall: () => wallMs(1), venue: () => venueMs(1) } });
    const r = await svc.refresh([{ marketId: 'x', rule: { status: 'mapped', asset: 'BTC', kind: 'above', strike: 1, windowStart: null, resolvesAt: 1e13, source: 'binance' } }]);
    expect(r.rows.map((x) => x.fair.status)).toEqual(['neutral']);
    expect(svc.map.lastError).toBeDefined();
  });
});
