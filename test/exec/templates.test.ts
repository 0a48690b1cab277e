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
import { SigningWorker } from '../../src/exec/sign-worker.js';
import { buildSignedOrder, orderAmounts, type TickSize } from '../../src/exec/orders.js';
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

const key = generatePrivateKey();
const account = privateKeyToAccount(key);
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

  it('a refill asked for while one runs takes another round: the window that moved meanwhile is signed too', async () => {
    const cache = new TemplateCache(who, 2, { window: 1 });
    cache.watch('7', { tick: '0.01', negRisk: false, sizes: ['5'] });
    cache.touch('7', 0.3, 0.31);
    const first = cache.refill();
    // The book moves while the first refill signs: its list was taken before the move.
    cache.touch('7', 0.6, 0.61);
    expect(await cache.refill()).toBe(0);
    const signed = await first;
    expect(cache.wanted()).toEqual([]);
    // 0.59–0.62 on both sides, after whatever of 0.29–0.32 the first round signed.
    expect(signed).toBeGreaterThanOrEqual(8);
    for (const p of ['0.59', '0.60', '0.61', '0.62']) for (const side of ['BUY', 'SELL'] as const) expect(cache.take('7', side, p, '5')).toBeDefined();
  }, 60_000);
});

describe('signing in a worker thread', () => {
  it('gives the same bytes as signing here, for every signature type, neg-risk on and off, versions 2 and 3', async () => {
    const worker = new SigningWorker(new Secret(key), account.address);
    await worker.ready;
    try {
      const funder = '0x00000000000000000000000000000000000000aa' as const;
      let n = 0;
      for (const signatureType of [0, 1, 2, 3] as const) {
        for (const negRisk of [false, true]) {
          for (const version of [2, 3] as const) {
            const intent = { tokenId: '123456789', side: (n % 2 ? 'SELL' : 'BUY') as 'BUY' | 'SELL', price: '0.37', size: '12.5', tick: '0.01' as TickSize, negRisk, version };
            const here = { account, funder: signatureType === 0 ? account.address : funder, signatureType };
            const opts = { salt: String(1000 + n++), timestampMs: 1_780_000_000_000 + n };
            const a = await buildSignedOrder(intent, here, opts);
            const b = await buildSignedOrder(intent, { ...here, account: worker.account }, opts);
            expect(b).toEqual(a);
          }
        }
      }
      expect(worker.signed).toBe(16);
    } finally {
      await worker.close();
    }
    await expect(buildSignedOrder({ tokenId: '1', side: 'BUY', price: '0.5', size: '5', tick: '0.01', negRisk: false, version: 2 }, { ...who, account: worker.account })).rejects.toThrow(/closed/);
  }, 60_000);

  it('refuses a key that does not belong to the wallet address', async () => {
    const worker = new SigningWorker(new Secret(generatePrivateKey()), account.address);
    await expect(worker.ready).rejects.toThrow(/different key/);
    await worker.close();
  }, 30_000);
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

  /**
   * Decisions against templates while the cache refills in the background, as
   * it does in the console: the refill is started after every decision and
   * never awaited, so a decision can arrive while a refill is signing. With
   * `signer` 'worker' the signing runs in a worker thread; with 'main' on this
   * thread (the comparison, under TEMPLATE_COMPARE=1).
   */
  async function session(signer: 'worker' | 'main', decisions: number) {
    const rng = new Rng(`templates-sim-${signer}`);
    const worker = signer === 'worker' ? new SigningWorker(new Secret(key), account.address) : undefined;
    if (worker) await worker.ready;
    const cache = new TemplateCache(worker ? { ...who, account: worker.account } : who, 2, { window: 3, parallel: worker ? 2 : 1 });
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
    let refills = 0;
    for (let i = 0; i < decisions; i++) {
      if (i % 20 === 19) {
        // The market moves; the cache follows (the refill it needs runs in the background).
        sim.stepOnce();
        sync();
      }
      const m = markets[Math.floor(rng.next() * markets.length)]!;
      const b = sim.exchange.book(m.tokenIds[0])!;
      const side = rng.next() < 0.5 ? 'BUY' : 'SELL';
      // A passive order 0–3 ticks behind the touch (post-only never crosses).
      const units = side === 'BUY' ? b.bestBid! - Math.floor(rng.next() * 4) * m.tick : b.bestAsk! + Math.floor(rng.next() * 4) * m.tick;
      const tickDp = tickOf(m).split('.')[1]!.length;
      const size = rng.next() < 0.5 ? '5' : '10';
      if (side === 'SELL') continue; // the account holds no shares to sell
      // The decision is an event due at a moment (a frame arriving, a timer): measured from when it was
      // due, so time the event loop spent elsewhere first (signing a refill on this thread) counts.
      const gap = 2 + Math.floor(rng.next() * 4);
      const t0 = performance.now() + gap;
      await new Promise<void>((r) => setTimeout(r, gap));
      const t = cache.take(m.tokenIds[0], side, (units / PRICE_SCALE).toFixed(tickDp), size);
      if (t) {
        const r = trader.placeTemplate(t, 'GTC', true);
        lat.push((await r.flushed) - t0);
        // One decision at a time: a later order must not queue behind an earlier one's answer on the connection.
        done.push(r.done);
        await r.done;
      }
      // Refill in the background (never awaited here): the next decision may land while it signs.
      void cache.refill().then(() => refills++);
    }
    while (cache['refilling']) await new Promise<void>((r) => setTimeout(r, 5));
    const results = await Promise.all(done);
    const hitRate = cache.stats.hits / (cache.stats.hits + cache.stats.misses);
    lat.sort((a, b) => a - b);
    const p50 = lat[Math.floor(lat.length * 0.5)]!;
    const p99 = lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]!;
    process.stdout.write(`templates (${signer} signing): ${lat.length} posted, hit rate ${(hitRate * 100).toFixed(1)}%, decision→socket p50 ${p50.toFixed(3)} ms p99 ${p99.toFixed(3)} ms max ${lat.at(-1)!.toFixed(3)} ms, stale refused ${cache.stats.refusedStale}, background refills ${refills}\n`);
    await trader.cancelAll();
    await worker?.close();
    return { results, hitRate, p50, p99, signedInWorker: worker?.signed ?? 0 };
  }

  it('hit rate, decision → bytes on the socket with refills signing in a worker meanwhile, and every posted template accepted', async () => {
    const decisions = Number(process.env.TEMPLATE_DECISIONS ?? 200);
    const r = await session('worker', decisions);
    expect(r.results.filter((x) => x.state !== 'LIVE')).toEqual([]);
    expect(r.signedInWorker).toBeGreaterThan(50);
    expect(r.hitRate).toBeGreaterThanOrEqual(0.9);
    // The targets are p50 ≤ 1 ms and p99 ≤ 5 ms on an idle box, measured from when the decision was
    // due (timer lateness included). This test shares two cores with the simulator in the same
    // process and other jobs, so its defaults are looser (tighten with the env).
    expect(r.p50).toBeLessThanOrEqual(Number(process.env.TEMPLATE_P50_MS ?? 5));
    expect(r.p99).toBeLessThanOrEqual(Number(process.env.TEMPLATE_P99_MS ?? 100));
    if (process.env.TEMPLATE_COMPARE) {
      // The same session signing on this thread: a decision waits for the signature in progress.
      const main = await session('main', decisions);
      expect(r.p50).toBeLessThan(main.p50);
    }
  }, 300_000);
});
