// The simulator's resolved past (src/sim/history.ts): deterministic, closed
// before the epoch, calibrated unless a longshot bias is asked for, with ids
// that never collide with the live world's, and served by the simulator's
// Gamma and CLOB routes once attached.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { resolvedFromGamma } from '../../src/backtest/resolved.js';
import { fromBackfill, loadSimHistory } from '../../src/sim/resolved-history.js';
import { calibrationBins } from '../../src/backtest/stats.js';
import { decodePricesHistory } from '../../src/protocol/clob.js';
import { decodeGammaMarket } from '../../src/protocol/gamma.js';
import { Exchange } from '../../src/sim/exchange.js';
import { BACKFILL_EVENT_BASE, BACKFILL_MARKET_BASE, attachBackfill, generateBackfill, quotedMid, type Backfill } from '../../src/sim/history.js';
import { quoteYes } from '../../src/sim/quotes.js';
import { World } from '../../src/sim/world.js';
import { SimPool, getJson, manualClock, type Json } from '../sim/helpers.js';

const SMALL = { days: 20, familiesPerDay: 20, categoryRates: { 'Crypto/BTC-UpDown': 6 } };

function digest(bf: Backfill): string {
  const h = createHash('sha1');
  for (const m of bf.markets) {
    h.update(`${m.id}|${m.question}|${m.tokenIds.join(',')}|${m.closedMs}|${m.winner}|${bf.events[m.event]!.id}\n`);
    h.update(Buffer.from(bf.history.get(m.tokenIds[0])!.buffer));
  }
  return h.digest('hex');
}

describe('generateBackfill', () => {
  const world = new World({ seed: 'bf-1', markets: 300 });
  const truthBefore = JSON.stringify(world.exportTruth());
  const bf = generateBackfill(world, SMALL);

  it('is deterministic for a seed; another seed gives another past', () => {
    expect(digest(generateBackfill(new World({ seed: 'bf-1', markets: 50 }), SMALL))).toBe(digest(bf));
    expect(digest(generateBackfill(new World({ seed: 'bf-2', markets: 50 }), SMALL))).not.toBe(digest(bf));
  });

  it('leaves the live world alone: same markets, ids and exportTruth() as a world that never had one', () => {
    attachBackfill(world, SMALL);
    expect(JSON.stringify(world.exportTruth())).toBe(truthBefore);
    expect(JSON.stringify(new World({ seed: 'bf-1', markets: 300 }).exportTruth())).toBe(truthBefore);
  });

  it('several hundred markets across the categories, all closed inside the window before the epoch', () => {
    expect(bf.markets.length).toBeGreaterThan(500);
    expect(new Set(bf.markets.map((m) => m.category)).size).toBeGreaterThanOrEqual(10);
    for (const m of bf.markets) {
      expect(m.closed).toBe(true);
      expect(m.closedMs).toBeLessThan(world.epochMs);
      expect(m.closedMs).toBeGreaterThanOrEqual(bf.startMs);
      expect([0, 1]).toContain(m.winner);
    }
  });

  it('ids, events, tokens and condition ids never collide with the live world', () => {
    for (const m of bf.markets) {
      expect(Number(m.id)).toBeGreaterThanOrEqual(BACKFILL_MARKET_BASE);
      expect(world.byId.has(m.id)).toBe(false);
      expect(world.byToken.has(m.tokenIds[0])).toBe(false);
      expect(world.byToken.has(m.tokenIds[1])).toBe(false);
      expect(world.byCondition.has(m.conditionId)).toBe(false);
    }
    for (const e of bf.events) expect(Number(e.id)).toBeGreaterThanOrEqual(BACKFILL_EVENT_BASE);
    expect(new Set(bf.markets.map((m) => m.id)).size).toBe(bf.markets.length);
  });

  it('each series ends with the settlement at closedTime; every earlier point is a live quote before it', () => {
    const bad: string[] = [];
    for (const m of bf.markets) {
      const h = bf.history.get(m.tokenIds[0])!;
      const n = h.length / 2;
      if (h[2 * (n - 1)] !== m.closedMs! / 1000 || h[2 * (n - 1) + 1] !== (m.winner ? 10_000 : 0)) bad.push(`${m.id} settlement`);
      for (let i = 0; i < n - 1; i++) {
        const t = h[2 * i]!;
        const p = h[2 * i + 1]!;
        if (t * 1000 >= m.closedMs! || p <= 0 || p >= 10_000 || (i > 0 && t <= h[2 * i - 2]!)) bad.push(`${m.id} point ${i}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('quotedMid is the mid of quoteYes best levels', () => {
    for (const fair of [0.002, 0.01, 0.037, 0.2, 0.5, 0.77, 0.96, 0.999]) {
      for (const hs of [0.01, 0.02, 0.03]) {
        for (const tick of [10, 100]) {
          const q = quoteYes(fair, hs, tick);
          expect(quotedMid(fair, hs, tick)).toBe(Math.round((q.bids[0]! + q.asks[0]!) / 2));
        }
      }
    }
  });
});

describe('calibration of the backfill quotes', () => {
  const world = new World({ seed: 'bf-cal', markets: 50 });
  const yesAt = (ms: ReturnType<typeof fromBackfill>) => {
    const f: number[] = [];
    const y: number[] = [];
    for (const m of ms) {
      const T = Math.min(m.closedMs, m.endMs) - 24 * 3_600_000;
      let i = -1;
      for (let k = 0; k < m.t.length && m.t[k]! * 1000 <= T; k++) i = k;
      if (i < 0) continue;
      f.push(m.p[i]! / 10_000);
      y.push(m.winner === 0 ? 1 : 0);
    }
    return calibrationBins(f, y, 10);
  };

  it('calibrated by default: a day out, every well-filled price bin wins about as often as it is priced', () => {
    const bins = yesAt(fromBackfill(generateBackfill(world, { days: 45 })));
    const filled = bins.filter((b) => b.n >= 300);
    expect(filled.length).toBeGreaterThanOrEqual(3);
    for (const b of filled) expect(Math.abs(b.rate - b.price)).toBeLessThan(0.04);
  });

  it('with a favourite–longshot bias of 0.2 longshots are overpriced: the lowest bin wins less than its price', () => {
    const bins = yesAt(fromBackfill(generateBackfill(world, { days: 45, longshotBias: 0.2 })));
    const low = bins[0]!;
    expect(low.lo).toBe(0);
    expect(low.rate).toBeLessThan(low.price * 0.75);
  });
});

describe('loadSimHistory', () => {
  it('adds the live world markets that resolved while the exchange ran', () => {
    const world = new World({ seed: 'bf-live', markets: 300 });
    const ex = new Exchange(world, 'bf-live', 'fast');
    for (let i = 0; i < 30; i++) ex.step(10 * 60_000, 20);
    const closed = world.markets.filter((m) => m.closed);
    expect(closed.length).toBeGreaterThan(0);
    const all = loadSimHistory({ world, exchange: ex }, SMALL);
    const live = all.filter((m) => Number(m.id) < BACKFILL_MARKET_BASE);
    expect(live.map((m) => m.id).sort()).toEqual(closed.map((m) => m.id).sort());
    for (const m of live) {
      const w = world.market(m.id)!;
      expect(m.winner).toBe(w.winner === 1 ? 0 : 1);
      expect(m.p[m.p.length - 1]).toBe(w.winner ? 10_000 : 0);
    }
  });
});

describe('served by the simulator once attached', () => {
  const pool = new SimPool();
  afterAll(() => pool.stopAll());

  it('Gamma closed=true lists the backfill (1/0 prices, closedTime); /prices-history serves its series; decoding gives the in-process markets', async () => {
    const { sim, urls } = await pool.start({ seed: 'bf-http', markets: 200, ...manualClock(60_000, 1) });
    const before = await getJson(`${urls.gamma}/markets?closed=true&limit=100`);
    expect(before.body).toEqual([]);
    const bf = attachBackfill(sim.world, SMALL);

    const page = await getJson(`${urls.gamma}/markets?closed=true&limit=100&order=closedTime&ascending=false`);
    expect(page.status).toBe(200);
    expect(page.body).toHaveLength(100);
    let last = Infinity;
    for (const m of page.body as Json[]) {
      expect(m.closed).toBe(true);
      expect(['["1","0"]', '["0","1"]']).toContain(m.outcomePrices);
      expect(m.closedTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00$/);
      const t = Date.parse(m.closedTime.replace(' ', 'T').replace('+00', 'Z'));
      expect(t).toBeLessThanOrEqual(last);
      last = t;
      expect(Number(m.events[0].id)).toBeGreaterThanOrEqual(BACKFILL_EVENT_BASE);
    }
    // Open listings are unchanged.
    const open = await getJson(`${urls.gamma}/markets?limit=100`);
    expect(open.body.every((m: Json) => !m.closed && Number(m.id) < BACKFILL_MARKET_BASE)).toBe(true);

    const sample = bf.markets.filter((_, i) => i % Math.floor(bf.markets.length / 12) === 0).slice(0, 12);
    const inProcess = new Map(fromBackfill(bf).map((m) => [m.id, m]));
    for (const m of sample) {
      const g = await getJson(`${urls.gamma}/markets/${m.id}`);
      expect(g.status).toBe(200);
      const byToken = await getJson(`${urls.gamma}/markets?clob_token_ids=${m.tokenIds[1]}`);
      expect(byToken.body[0].id).toBe(m.id);
      const h = await getJson(`${urls.clob}/prices-history?market=${m.tokenIds[0]}&startTs=0&endTs=${Math.ceil(sim.world.epochMs / 1000)}&fidelity=1`);
      const cm = decodeGammaMarket(g.body);
      const hp = decodePricesHistory(h.body);
      expect(cm.ok && hp.ok).toBe(true);
      if (!cm.ok || !hp.ok) continue;
      const r = resolvedFromGamma(cm.value, hp.value, m.tokenIds[0], undefined, 'sim');
      expect(typeof r).toBe('object');
      if (typeof r === 'string') continue;
      const want = inProcess.get(m.id)!;
      expect(r.winner).toBe(want.winner);
      expect(r.closedMs).toBe(want.closedMs);
      expect(r.endMs).toBe(want.endMs);
      expect(r.category).toBe(want.category);
      expect(r.eventId).toBe(want.eventId);
      expect([...r.t]).toEqual([...want.t]);
      expect([...r.p]).toEqual([...want.p]);
      // The NO token's series mirrors YES.
      const no = await getJson(`${urls.clob}/prices-history?market=${m.tokenIds[1]}&fidelity=1`);
      expect(no.body.history[0].p).toBeCloseTo(1 - want.p[0]! / 10_000, 4);
    }
  });
});
