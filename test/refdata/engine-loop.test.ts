// Fair value inside the running console, offline: the simulator with crypto
// paths serves the Polymarket origins and the reference-data server; the
// engine syncs the catalog over HTTP, streams books over the WebSocket, and the
// refdata plugin resolves the Bitcoin up/down windows, prices them from the
// simulator's Binance-shaped server, and puts FAIR_VALUE rows in the queue.
// On the simulator's efficient history the strategy is not validated, so its
// rows carry no edge and no size and the paper desk refuses them; the store
// carries the fair line and the arithmetic for the detail view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { Engine } from '../../src/engine.js';
import { openDatabase, type DB } from '../../src/persist/db.js';
import { Simulator } from '../../src/sim/simulator.js';
import { validateFairValue } from '../../src/plugins/fair-validation.js';
import { simFairHistory } from '../../src/sim/fair-history.js';
import { FAIR_LABEL } from '../../src/plugins/refdata-loop.js';
import { EngineStore } from '../../store/engine-store.js';
import { waitFor } from '../helpers/wait.js';
import { takerFeePerShare } from '../../src/arb/fees.js';
import { Secret } from '../../src/alerts/secret.js';
import { inspect } from 'node:util';

let sim: Simulator;
let engine: Engine;
let app: App;
let db: DB;
const KEY = 'ck_test_0123456789abcdef';

beforeAll(async () => {
  sim = new Simulator({ seed: 'fair-loop', markets: 400, speed: 20, rate: 200, crypto: true, clock: 'epoch' });
  const urls = await sim.start();
  db = openDatabase(':memory:').db;
  engine = new Engine({ kind: 'SIM', gammaUrl: urls.gamma, clobUrl: urls.clob, wsUrl: urls.ws }, db, { cycleMs: 200 });
  // Any priced market with a book becomes a row (margin −1), so the verdict gate is what the rows are tested on.
  app = new App(engine, { collector: false, paper: { enabled: true }, refdata: { binanceUrl: urls.refdata!, deribitUrl: `${urls.refdata!}/api/v2`, refreshMs: 200, minEdge: -1, coinalyze: { url: `${urls.refdata!}/v1`, key: new Secret(KEY) } } });
  void engine.start();
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  await sim?.stop();
  db?.close();
});

describe('refdata plugin on the simulator', () => {
  it('the simulator prints a reference-data origin of its own, quoting the same paths its up/down windows settle on', () => {
    expect(sim.urls?.refdata).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set([sim.urls!.gamma, sim.urls!.clob, sim.urls!.refdata]).size).toBe(3);
    expect(sim.world.cryptoPaths).toBe(sim.cryptoPaths);
  });

  it('maps every open BTC up/down window of the catalog to its own window, and prices the open ones from the batched client', async () => {
    const loop = app.refdata!;
    const ups = sim.world.markets.filter((m) => m.category === 'Crypto/BTC-UpDown' && !m.closed);
    expect(ups.length).toBeGreaterThan(0);
    await waitFor(() => ups.every((m) => loop.rules.has(m.id)), { what: 'up/down markets resolved', timeoutMs: 60_000 });
    for (const m of ups) {
      const link = sim.world.families[m.family]!.link!;
      expect(loop.rules.get(m.id)).toMatchObject({ asset: 'BTC', kind: 'updown', source: 'chainlink', windowStart: link.startMs, resolvesAt: link.endMs });
    }
    // An open window gets its start price from the 1-minute candle at its start (a spot sample seen
    // seconds after the start stands in only until that open is read), and is priced.
    const openAt = (id: string) => Number(sim.cryptoPaths!.price('BTC', loop.rules.get(id)!.windowStart!)!.toPrecision(8));
    const priced = await waitFor(() => {
      const rows = [...loop.fair.values()].filter((r) => r.fair.status === 'priced');
      return rows.length && rows.every((r) => r.fair.status === 'priced' && r.fair.inputs.startPrice === openAt(r.marketId)) ? rows[0] : undefined;
    }, { what: 'priced fair values, each from the open at its window start', timeoutMs: 60_000 });
    expect(priced).toMatchObject({ provider: 'binance', symbol: 'BTCUSDT', tier: 'aggregated' });
    if (priced.fair.status !== 'priced') throw new Error('unreachable');
    expect(priced.fair.p).toBeGreaterThan(0);
    expect(priced.fair.p).toBeLessThan(1);
    // Calls stay within one spot call per refresh (one symbol, batch of 100) and a kline per window start.
    const calls = loop.service.batcher.stats.calls;
    expect(calls['price'] ?? 0).toBeLessThanOrEqual(loop.refreshes + 1);
    expect(loop.startLookups).toBeLessThanOrEqual(new Set([...loop.rules.values()].map((r) => r.windowStart)).size);
  }, 130_000);

  it('FAIR_VALUE is not validated on the efficient simulator: its rows show no edge and no size, and the desk refuses them', async () => {
    await validateFairValue(app, simFairHistory(sim));
    const loop = app.refdata!;
    expect(loop.report?.priced).toBeGreaterThanOrEqual(300);
    expect(loop.verdict).not.toBe('VALIDATED');
    const rows = await waitFor(() => {
      const r = app.queue.all().filter((q) => q.label === FAIR_LABEL);
      return r.length ? r : undefined;
    }, { what: 'a FAIR_VALUE row', timeoutMs: 60_000 });
    for (const r of rows) {
      expect(r.verdict).toBe(loop.verdict);
      expect(r.edge).toBeUndefined();
      expect(r.p).toBeUndefined();
      expect(r.exec?.shares ?? 0).toBe(0);
      // Refused by the desk (which gate speaks first depends on the row: confidence, closing soon, then the missing belief).
      expect(r.gate).toMatch(/^(unvalidated|confidence|closing|spread|book)/);
      expect(['WATCH', 'IGNORE']).toContain(r.tier);
    }
    const store = new EngineStore(app, { hz: 5 });
    store.publish();
    const shown = store.getSnapshot().signals.find((s) => s.label === FAIR_LABEL)!;
    expect(shown.edge).toBeUndefined();
    expect(shown.size).toBeUndefined();
    expect(shown.fair?.line).toMatch(/^fair (0\.\d\d|1\.00) · mkt (0\.\d\d|—) · micro [A-Z_]+$/);
    expect(shown.fair?.explain).toMatch(/S0=.* d=\[ln\(S\/S0\)−½σ²τ\]\/σ√τ=.*P\(up\)=/);
    expect(shown.fair?.source).toMatch(/^binance BTCUSDT · aggregated · spot \d+ s old · σ (realised|implied)/);
    if (loop.funding.has('BTC')) expect(shown.fair?.source).toMatch(/ · funding [+-]\d+\.\d{4}% \(coinalyze BTCUSDT_PERP\.A\)$/);
  }, 130_000);

  it('reads perpetual funding from the Coinalyze-shaped server with the key, and the key shows nowhere', async () => {
    const loop = app.refdata!;
    const f = await waitFor(() => loop.funding.get('BTC'), { what: 'BTC funding', timeoutMs: 60_000 });
    expect(f.symbol).toBe('BTCUSDT_PERP.A');
    expect(f.tier).toBe('resolved');
    expect(loop.perps!.batcher.stats.calls['funding']).toBeLessThanOrEqual(loop.refreshes);
    const store = new EngineStore(app, { hz: 5 });
    store.publish();
    const seen = [JSON.stringify(store.getSnapshot()), inspect(loop, { depth: 6 }), JSON.stringify(loop.perps), engine.logLines.join('\n')].join('\n');
    expect(seen).not.toContain(KEY);
  });

  it('a VALIDATED verdict gives the same rows their edge and belief (the fair probability of the bought side)', async () => {
    const loop = app.refdata!;
    const report = { ...loop.report!, verdict: 'VALIDATED' as const, reasons: [] };
    loop.setVerdict(report, 'test');
    const r = app.queue.all().find((q) => q.label === FAIR_LABEL)!;
    const fair = loop.fair.get(r.marketIds[0]!)!;
    if (fair.fair.status !== 'priced') throw new Error('row without a priced fair value');
    const yes = r.tokenId === engine.catalog.markets.get(r.marketIds[0]!)!.tokenIds[0];
    expect(r.p).toBeCloseTo(yes ? fair.fair.p : 1 - fair.fair.p, 12);
    const m = engine.catalog.markets.get(r.marketIds[0]!)!;
    expect(r.edge).toBeCloseTo(r.p! - r.entry! - takerFeePerShare(r.entry!, m.fee), 12);
    expect(r.gate).not.toMatch(/^unvalidated/);
    // Rejected by its backtest: IGNORE, as a rejected scan strategy is, and still no edge.
    loop.setVerdict({ ...report, verdict: 'REJECTED' as const }, 'test');
    const rejected = app.queue.all().filter((q) => q.label === FAIR_LABEL);
    expect(rejected.length).toBeGreaterThan(0);
    for (const q of rejected) expect([q.verdict, q.tier, q.edge]).toEqual(['REJECTED', 'IGNORE', undefined]);
    loop.setVerdict(undefined, 'reset');
    expect(app.queue.all().filter((q) => q.label === FAIR_LABEL).every((q) => q.edge === undefined)).toBe(true);
  });
});
