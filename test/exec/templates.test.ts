// Pre-signed templates. A property test drives random touch moves, tick and
// version changes, key rotations, closes and time against the cache and checks
// every template it hands out against an independent model of "still valid"
// (zero stale). Against the simulator: templates for its recurring markets,
// posted through the journal and a keep-alive socket; hit rate and decision →
// bytes-on-socket latency are measured and every posted template is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { Rng } from '../../src/rng.js';
import { TemplateCache } from '../../src/exec/templates.js';
import { orderAmounts, type TickSize } from '../../src/exec/orders.js';
import type { ExchangeVersion } from '../../src/exec/contracts.js';
import type { Simulator } from '../../src/sim/simulator.js';
import type { SimMarket } from '../../src/sim/world-types.js';
import { PRICE_SCALE } from '../../src/protocol/units.js';
import { SimPool, manualClock } from '../sim/helpers.js';
import { tempDir } from '../helpers/paths.js';
import { openDatabase } from '../../src/persist/db.js';
import { LiveJournal } from '../../src/persist/live-journal.js';
import { LiveTrader } from '../../src/exec/trader.js';
import { Venue } from '../../src/exec/venue.js';
import { l1Headers } from '../../src/exec/auth.js';
import { Secret } from '../../src/exec/secret.js';
import { wallMs } from '../../src/clock.js';

const account = privateKeyToAccount(generatePrivateKey());
const who = { account, funder: account.address, signatureType: 0 as const };

describe('template cache: zero stale templates handed out', () => {
  it('random state changes never let an out-of-date template through', async () => {
    const rng = new Rng('templates-property');
    let now = 1_780_000_000_000;
    const ttlMs = 30_000;
    const cache = new TemplateCache(who, 2, { window: 2, ttlMs, cap: 500, now: () => wallMs(now) });
    // The model: what the test itself believes the state is.
    const model = new Map<string, { tick: TickSize; bid: number; ask: number; closed: boolean }>();
    let version: ExchangeVersion = 2;
    let epoch = 0;
    const keyEpochAtSign = new Map<string, number>();
    for (const token of ['101', '202']) {
      model.set(token, { tick: '0.01', bid: 0.45, ask: 0.47, closed: false });
      cache.watch(token, { tick: '0.01', negRisk: token === '202', sizes: ['5'] });
      cache.touch(token, 0.45, 0.47);
    }
    let handed = 0;
    for (let step = 0; step < 60; step++) {
      await cache.refill();
      for (const t of cache['ready'].values()) if (!keyEpochAtSign.has(t.order.salt)) keyEpochAtSign.set(t.order.salt, epoch);
      const u = rng.next();
      const token = rng.next() < 0.5 ? '101' : '202';
      const s = model.get(token)!;
      if (u < 0.45) {
        const tick = Number(s.tick);
        const move = Math.round((rng.next() - 0.5) * 8) * tick;
        s.bid = Math.min(0.9, Math.max(0.1, +(s.bid + move).toFixed(4)));
        s.ask = +(s.bid + 2 * tick).toFixed(4);
        cache.touch(token, s.bid, s.ask);
      } else if (u < 0.55) {
        s.tick = s.tick === '0.01' ? '0.001' : '0.01';
        cache.tickChanged(token, s.tick);
        cache.touch(token, s.bid, s.ask);
      } else if (u < 0.6) {
        version = version === 2 ? 3 : 2;
        cache.versionChanged(version);
      } else if (u < 0.65) {
        epoch++;
        cache.rotateKey(who);
      } else if (u < 0.68 && !s.closed) {
        s.closed = true;
        cache.closed(token);
      } else {
        now += Math.floor(rng.next() * 20_000);
      }
      // Ask for every price near the touch; whatever comes out must be valid now.
      const tick = Number(s.tick);
      for (let k = -3; k <= 3; k++) {
        const price = (s.bid + k * tick).toFixed(s.tick === '0.01' ? 2 : 3);
        for (const side of ['BUY', 'SELL'] as const) {
          const t = cache.take(token, side, price, '5');
          if (!t) continue;
          handed++;
          const p = Math.round(Number(price) / tick);
          expect(s.closed).toBe(false);
          expect(t.version).toBe(version);
          expect(t.tick).toBe(s.tick);
          expect(keyEpochAtSign.get(t.order.salt)).toBe(epoch);
          expect(now - t.signedAt).toBeLessThan(ttlMs);
          expect(p >= Math.round(s.bid / tick) - 2 && p <= Math.round(s.ask / tick) + 2).toBe(true);
          const amounts = orderAmounts(side, price, '5', s.tick);
          expect(t.order.makerAmount).toBe(amounts.makerAmount.toString());
        }
      }
    }
    expect(handed).toBeGreaterThan(20);
    expect(cache.stats.signed).toBeGreaterThan(handed);
  }, 300_000);

  it('the LRU cap bounds the cache', async () => {
    const cache = new TemplateCache(who, 2, { window: 3, cap: 10 });
    cache.watch('7', { tick: '0.01', negRisk: false, sizes: ['5', '10'] });
    cache.touch('7', 0.5, 0.51);
    await cache.refill();
    expect(cache.size).toBe(10);
  }, 60_000);
});

describe('templates against the simulator', () => {
  const pool = new SimPool();
  let sim: Simulator;
  let clob: string;
  let markets: SimMarket[];
  let trader: LiveTrader;
  let venue: Venue;

  beforeAll(async () => {
    let urls;
    ({ sim, urls } = await pool.start({ seed: 'templates', markets: 200, ...manualClock(2_000, 10), desk: { startingBalance: 1_000_000 } }));
    clob = urls.clob;
    for (let i = 0; i < 5; i++) sim.stepOnce();
    const recurring = new Set(sim.world.families.filter((f) => f.recurMs > 0).map((f) => f.index));
    markets = sim.world.markets
      .filter((m) => !m.closed && recurring.has(m.family))
      .filter((m) => {
        const b = sim.exchange.book(m.tokenIds[0]);
        return b?.bestBid !== undefined && b.bestAsk !== undefined && b.bestBid > 20 * m.tick && b.bestAsk < PRICE_SCALE - 20 * m.tick;
      })
      .slice(0, 5);
    expect(markets.length).toBe(5);
    const raw = (await (await fetch(`${clob}/auth/api-key`, { method: 'POST', headers: await l1Headers(account, Math.floor(Date.now() / 1000)) })).json()) as { apiKey: string; secret: string; passphrase: string };
    const creds = { key: raw.apiKey, secret: new Secret(raw.secret), passphrase: new Secret(raw.passphrase) };
    const { db } = openDatabase(join(tempDir('pc-tpl-'), 'j.db'));
    venue = new Venue({ clob, address: account.address, creds });
    trader = new LiveTrader({ account, funder: account.address, signatureType: 0, apiKey: creds.key, venue, journal: new LiveJournal(db) });
  }, 60_000);
  afterAll(async () => {
    venue?.close();
    await pool.stopAll();
  });

  it('hit rate, decision → bytes on the socket, and every posted template accepted', async () => {
    const rng = new Rng('templates-sim');
    const cache = new TemplateCache(who, 2, { window: 3 });
    const tickOf = (m: SimMarket) => String(m.tick / PRICE_SCALE) as TickSize;
    const sync = () => {
      for (const m of markets) {
        const b = sim.exchange.book(m.tokenIds[0]);
        if (!b || m.closed) {
          cache.closed(m.tokenIds[0]);
          continue;
        }
        cache.tickChanged(m.tokenIds[0], tickOf(m));
        cache.touch(m.tokenIds[0], b.bestBid! / PRICE_SCALE, b.bestAsk! / PRICE_SCALE);
      }
    };
    for (const m of markets) cache.watch(m.tokenIds[0], { tick: tickOf(m), negRisk: m.negRisk, sizes: ['5', '10'] });
    sync();
    await cache.refill();
    const lat: number[] = [];
    const done: Promise<{ state: string; error?: unknown }>[] = [];
    // Warm the keep-alive connection once (connection setup is not the hot path).
    {
      const m = markets[0]!;
      const b = sim.exchange.book(m.tokenIds[0])!;
      const warm = cache.take(m.tokenIds[0], 'BUY', (b.bestBid! / PRICE_SCALE).toFixed(tickOf(m).split('.')[1]!.length), '5');
      expect(warm).toBeDefined();
      done.push(trader.placeTemplate(warm!, 'GTC', true).done);
      await done[0];
      cache.stats.hits = cache.stats.misses = 0;
    }
    const N = 400;
    for (let i = 0; i < N; i++) {
      if (i % 20 === 19) {
        // The market moves; the cache follows and refills off the hot path.
        sim.stepOnce();
        sync();
        await cache.refill();
      }
      const m = markets[Math.floor(rng.next() * markets.length)]!;
      const b = sim.exchange.book(m.tokenIds[0])!;
      const side = rng.next() < 0.5 ? 'BUY' : 'SELL';
      // A passive order 0–3 ticks behind the touch (post-only never crosses).
      const units = side === 'BUY' ? b.bestBid! - Math.floor(rng.next() * 4) * m.tick : b.bestAsk! + Math.floor(rng.next() * 4) * m.tick;
      const tickDp = tickOf(m).split('.')[1]!.length;
      const size = rng.next() < 0.5 ? '5' : '10';
      if (side === 'SELL') continue; // the account holds no shares to sell
      const t0 = performance.now();
      const t = cache.take(m.tokenIds[0], side, (units / PRICE_SCALE).toFixed(tickDp), size);
      if (!t) continue;
      const r = trader.placeTemplate(t, 'GTC', true);
      lat.push((await r.flushed) - t0);
      // One decision at a time: a later order must not queue behind an earlier one's answer on the connection.
      done.push(r.done);
      await r.done;
      // Refill between decisions (off the measured path): the used template is replaced.
      await cache.refill();
    }
    const results = await Promise.all(done);
    const hitRate = cache.stats.hits / (cache.stats.hits + cache.stats.misses);
    lat.sort((a, b) => a - b);
    const p50 = lat[Math.floor(lat.length * 0.5)]!;
    const p99 = lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]!;
    process.stdout.write(`templates: ${lat.length} posted, hit rate ${(hitRate * 100).toFixed(1)}%, decision→socket p50 ${p50.toFixed(3)} ms p99 ${p99.toFixed(3)} ms, stale refused ${cache.stats.refusedStale}\n`);
    expect(results.filter((r) => r.state !== 'LIVE')).toEqual([]);
    expect(hitRate).toBeGreaterThanOrEqual(0.9);
    // The targets are p50 ≤ 1 ms and p99 ≤ 5 ms on an idle box; this test shares two cores with the
    // simulator in the same process and other jobs, so its defaults are looser (tighten with the env).
    expect(p50).toBeLessThanOrEqual(Number(process.env.TEMPLATE_P50_MS ?? 2));
    expect(p99).toBeLessThanOrEqual(Number(process.env.TEMPLATE_P99_MS ?? 50));
    await trader.cancelAll();
  }, 300_000);
});
