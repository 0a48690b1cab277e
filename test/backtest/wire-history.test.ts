// Resolved history over the wire (src/backtest/wire-history.ts): against the
// simulator serving its backfill, the reader yields exactly the markets and
// series the simulator recorded (so the backtest verdicts are the ones an
// in-process read gives), within the window and cap asked for, in a bounded
// number of paced requests; against a hostile venue it counts what it refused
// and never throws.
import { afterAll, describe, expect, it } from 'vitest';
import { RestClient } from '../../src/feed/rest-client.js';
import { readWireHistory } from '../../src/backtest/wire-history.js';
import { evaluateAll } from '../../src/backtest/evaluate.js';
import type { ResolvedMarket } from '../../src/backtest/types.js';
import { defaultStrategies } from '../../src/scan/strategies.js';
import { fromBackfill } from '../../src/sim/resolved-history.js';
import { generateBackfill } from '../../src/sim/history.js';
import { SimPool } from '../sim/helpers.js';
import { gammaMarket, hostileServer } from '../helpers/hostile.js';

const SMALL = { days: 20, familiesPerDay: 20, categoryRates: { 'Crypto/BTC-UpDown': 6 } };

const plain = (m: ResolvedMarket) => ({ ...m, t: [...m.t], p: [...m.p], source: undefined });

describe('readWireHistory against the simulator', () => {
  const pool = new SimPool();
  afterAll(() => pool.stopAll());

  it('reproduces the recorded backfill exactly (every field, every point) and the same verdicts, in ⌈n/100⌉ pages and ⌈n/20⌉ history batches', async () => {
    // The backfill is generated after start; the first closed listing waits for it.
    const { sim, urls } = await pool.start({ seed: 'wire-1', markets: 200, clock: 'epoch', clockStart: 'manual', backfill: SMALL });
    const rest = new RestClient();
    const r = await readWireHistory(rest, { gammaUrl: urls.gamma, clobUrl: urls.clob, untilMs: sim.world.epochMs });
    const want = fromBackfill(generateBackfill(sim.world, SMALL));
    expect(want.length).toBeGreaterThan(500);
    expect(r.errors).toEqual([]);
    expect(r.rejects).toEqual({});
    expect(r.markets.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(plain(r.markets[i]!), want[i]!.id).toEqual(plain(want[i]!));
    expect(r.markets.every((m) => m.source === 'venue')).toBe(true);
    // The short gaps the generator records (a decision seconds after a quote) survive the wire.
    const shortGaps = want.reduce((n, m) => n + m.t.reduce((k, t, i) => k + (i > 0 && t - m.t[i - 1]! < 60 ? 1 : 0), 0), 0);
    expect(shortGaps).toBeGreaterThan(0);
    expect(r.requests).toBe(Math.ceil(want.length / 100) + Math.ceil(want.length / 20));

    const strategies = defaultStrategies().strategies;
    const opts = { bootstrap: { resamples: 200, seed: 1 } };
    const summary = (ms: ResolvedMarket[]) => evaluateAll(ms, strategies, opts).map((x) => ({ s: x.strategy, n: x.n, wins: x.wins, roi: x.roi, ci: x.roiCi, verdict: x.verdict }));
    expect(summary(r.markets)).toEqual(summary(want));
  }, 120_000);

  it('keeps to the window and the cap: markets closed before untilMs and after sinceMs, newest first up to maxMarkets', async () => {
    const { sim, urls } = await pool.start({ seed: 'wire-2', markets: 200, clock: 'epoch', clockStart: 'manual', backfill: SMALL });
    const all = fromBackfill(generateBackfill(sim.world, SMALL));
    const until = sim.world.epochMs - 5 * 86_400_000;
    const since = sim.world.epochMs - 12 * 86_400_000;
    const inWindow = all.filter((m) => m.closedMs < until && m.closedMs >= since);
    const r = await readWireHistory(new RestClient(), { gammaUrl: urls.gamma, clobUrl: urls.clob, untilMs: until, sinceMs: since });
    expect(r.markets.map((m) => m.id)).toEqual(inWindow.map((m) => m.id));

    const capped = await readWireHistory(new RestClient(), { gammaUrl: urls.gamma, clobUrl: urls.clob, untilMs: sim.world.epochMs, maxMarkets: 150 });
    expect(capped.markets).toHaveLength(150);
    const newest = [...all].sort((a, b) => b.closedMs - a.closedMs)[149]!.closedMs;
    expect(capped.markets.every((m) => m.closedMs >= newest)).toBe(true);
    // Two pages hold 150 markets; a third may have been asked for ahead.
    expect(capped.requests).toBeLessThanOrEqual(3 + Math.ceil(150 / 20));
  }, 120_000);
});

describe('readWireHistory against a hostile venue', () => {
  it('counts malformed markets and series, survives a failing history request, and stops on a cursor that never ends', async () => {
    const closedAt = '2026-05-09 02:07:01+00';
    const market = (i: number, extra: Record<string, unknown> = {}) =>
      gammaMarket(i, { closed: true, outcomePrices: '["1","0"]', closedTime: closedAt, endDate: '2026-05-09T00:00:00Z', startDate: '2026-05-01T00:00:00Z', ...extra });
    const tokens = (i: number) => JSON.parse(market(i)['clobTokenIds'] as string) as string[];
    let gammaHits = 0;
    const gamma = await hostileServer((_req, res) => {
      gammaHits++;
      // The same page again and again, with a next cursor every time.
      const body = { markets: [market(1), market(2), market(3), { id: 4, question: null }, market(5, { outcomePrices: '["0.5","0.5"]' })], next_cursor: 'again' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    const clob = await hostileServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const asked = (JSON.parse(text) as { markets: string[] }).markets;
        const history: Record<string, unknown> = {};
        for (const t of asked) {
          if (t === tokens(1)[0]) history[t] = [{ t: 1778200000, p: 0.42 }, { t: 1778290000, p: 1 }];
          else if (t === tokens(2)[0]) history[t] = [{ t: 'soon', p: 7 }];
          else history[t] = [{ t: 1778200000, p: 0.6 }];
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ history }));
      });
    });
    try {
      const until = Date.parse('2026-06-01T00:00:00Z');
      const r = await readWireHistory(new RestClient({ maxRetries: 0 }), { gammaUrl: gamma.url, clobUrl: clob.url, untilMs: until });
      // Two pages decoded; the third was asked for ahead while the second was read.
      expect(gammaHits).toBe(3);
      gammaHits = 0;
      expect(r.markets.map((m) => m.id).sort()).toEqual(['1', '3']);
      const m1 = r.markets.find((m) => m.id === '1')!;
      expect([...m1.p]).toEqual([4200, 10_000]);
      expect(m1.winner).toBe(0);
      // The undecodable market once per page read (two pages: the second brought nothing new).
      expect(r.rejects).toEqual({ 'malformed market': 2, 'malformed history': 1, 'not settled 1/0': 1 });

      // A CLOB that refuses 1-minute fidelity over the range: the batch is asked again at 12 hours.
      const coarseOnly = await hostileServer((req, res) => {
        let text = '';
        req.on('data', (c) => (text += c));
        req.on('end', () => {
          const b = JSON.parse(text) as { markets: string[]; fidelity: number };
          if (b.fidelity < 720) {
            res.writeHead(400, { 'content-type': 'application/json' });
            return res.end('{"error":"fidelity too fine for this range"}');
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ history: Object.fromEntries(b.markets.map((t) => [t, [{ t: 1778200000, p: 0.3 }]])) }));
        });
      });
      try {
        const c = await readWireHistory(new RestClient({ maxRetries: 0 }), { gammaUrl: gamma.url, clobUrl: coarseOnly.url, untilMs: until });
        expect(c.markets.map((m) => m.id).sort()).toEqual(['1', '2', '3']);
        expect(coarseOnly.hits()).toBe(2);
      } finally {
        await coarseOnly.close();
      }

      // A CLOB that refuses every request: no markets, each counted, the error kept, no exception.
      const down = await hostileServer((_req, res) => {
        res.writeHead(503);
        res.end('down');
      });
      try {
        const d = await readWireHistory(new RestClient({ maxRetries: 0 }), { gammaUrl: gamma.url, clobUrl: down.url, untilMs: until });
        expect(d.markets).toEqual([]);
        expect(d.rejects['history request failed']).toBe(4);
        expect(d.errors.length).toBeGreaterThan(0);
        const none = await readWireHistory(new RestClient({ maxRetries: 0 }), { gammaUrl: down.url, clobUrl: down.url, untilMs: until });
        expect(none.markets).toEqual([]);
        expect(none.errors).toHaveLength(1);
      } finally {
        await down.close();
      }
    } finally {
      await gamma.close();
      await clob.close();
    }
  });
});
