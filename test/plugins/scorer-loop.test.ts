// The learned scorer inside the engine: a real Engine, App, book cache, queue
// and store; the retrain runs in the compiled worker (dist, `npm run build`).
// The starting history is our own: markets priced with a favourite-longshot
// bias (outcomes drawn from σ(1.6·logit(mid)), a correction the model can
// learn) or from an efficient market (σ(logit(mid)), nothing to learn).
import { wallMs } from '../../src/clock.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { Engine } from '../../src/engine.js';
import { openDatabase } from '../../src/persist/db.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import type { QueueItem } from '../../src/plugins/queue.js';
import { scorerHistoryOf, type ScorerHistory } from '../../src/plugins/scorer-history.js';
import type { ResolvedMarket } from '../../src/backtest/types.js';
import { EngineStore } from '../../store/engine-store.js';
import { defaultFeatureSpec, logit, sigmoid } from '../../src/model/features.js';
import { liveView } from '../../src/model/live-view.js';
import { predict } from '../../src/model/model.js';
import { strategyMatchesAt } from '../../src/model/samples.js';
import { defaultStrategies } from '../../src/scan/strategies.js';
import { classify } from '../../src/backtest/resolved.js';
import { Rng } from '../../src/rng.js';
import { ROOT } from '../helpers/paths.js';

const workerFile = join(ROOT, 'dist', 'src', 'model', 'train-worker.js');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1, 12);
const SOURCE = { kind: 'SIM' as const, gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' };
const QUESTION = 'Will the highest temperature in Denver be 80°F or higher on June 5?';

/** Resolved markets over 120 days before T0, an hourly mid history each, outcomes from σ(k·logit(mid)). */
function history(k: number, events: number, seed: string): ResolvedMarket[] {
  const rng = new Rng(seed);
  const out: ResolvedMarket[] = [];
  const { folded, category } = classify(QUESTION, undefined, []);
  for (let e = 0; e < events; e++) {
    const endMs = T0 - 120 * DAY + Math.floor((e / events) * 118 * DAY);
    const mid = 0.05 + rng.next() * 0.9;
    const t: number[] = [];
    const p: number[] = [];
    for (let h = 48; h >= 1; h--) {
      t.push(Math.floor((endMs - h * HOUR) / 1000));
      p.push(Math.round(mid * 10_000));
    }
    const winner = rng.next() < sigmoid(k * logit(mid)) ? 0 : 1;
    out.push({ id: `h${e}`, eventId: `ev${e}`, question: QUESTION, folded, category, tokenIds: [`h${e}y`, `h${e}n`], endMs, closedMs: endMs + HOUR, winner, fee: { rate: 0, exponent: 1 }, t: Int32Array.from(t), p: Uint16Array.from(p), volume: 1000, source: 'sim' } as ResolvedMarket);
  }
  return out;
}

let biased: ScorerHistory | undefined;
let efficient: ScorerHistory | undefined;
const biasedHistory = () => (biased ??= scorerHistoryOf(history(1.6, 1500, 'bias'), 'test history', { resamples: 400 }));
const efficientHistory = () => (efficient ??= scorerHistoryOf(history(1, 1500, 'flat'), 'test history', { resamples: 400 }));

function market(id: string, extra: Partial<CatalogMarket> = {}): CatalogMarket {
  return {
    id,
    conditionId: `0x${id}`,
    question: QUESTION,
    slug: id,
    outcomes: ['Yes', 'No'],
    outcomePrices: [5000, 5000],
    tokenIds: [`${id}-yes`, `${id}-no`],
    active: true,
    closed: false,
    volume: 1000,
    liquidity: 1000,
    negRisk: false,
    fee: { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 },
    tickSize: 100,
    minOrderSize: 5,
    tags: [],
    eventId: `e-${id}`,
    endDate: T0 + 3 * DAY,
    ...extra,
  };
}

const open: App[] = [];
afterEach(async () => {
  for (const a of open.splice(0)) await a.scorer.retrainer.close();
});

function world(opts: { expiryMs?: number } = {}) {
  const { db } = openDatabase(':memory:');
  let now = T0;
  const engine = new Engine(SOURCE, db, {}, () => wallMs(now));
  engine.phase = 'streaming';
  const app = new App(engine, { collector: false, screen: false, scorer: { retrain: { workerFile, minEvents: 50, ...(opts.expiryMs ? { expiryMs: opts.expiryMs } : {}) } } });
  open.push(app);
  const book = (token: string, bid: number, ask: number) =>
    engine.books.applySnapshot({ type: 'book', asset: token, market: token, ts: now, hash: '', bids: [{ price: Math.round(bid * 10_000), size: 500 }], asks: [{ price: Math.round(ask * 10_000), size: 400 }] }, now);
  const add = (m: CatalogMarket, yes: [number, number]) => {
    engine.catalog.markets.set(m.id, m);
    app.scorer.onCatalog([m], now);
    book(m.tokenIds[0]!, yes[0], yes[1]);
    book(m.tokenIds[1]!, 1 - yes[1], 1 - yes[0]);
  };
  const row = (id: string, label: string, priority: number): QueueItem => ({ key: `strategy:${label}:${id}`, kind: 'strategy', label, tier: 'ALERT', priority, marketIds: [id], tokenId: `${id}-no`, question: QUESTION, side: 'BUY No', confidence: 0.5, gate: 'ready', verdict: 'VALIDATED', reasoning: 'test', autoTradable: false, seenAt: now, firstSeen: now });
  const store = new EngineStore(app, { now: () => wallMs(now) });
  return { engine, app, store, add, row, tick: (ms: number) => (now += ms), now: () => now };
}

describe.skipIf(!existsSync(workerFile))('the scorer service', () => {
  it('VALIDATED: queue rows carry the model’s P(YES) from the backtest’s feature path, and ML_SCORER rows enter where it beats the ask after fees', async () => {
    const h = biasedHistory();
    expect(h.verdict.verdict).toBe('VALIDATED');
    expect(h.verdict.brierSkillCi[0]).toBeGreaterThan(0);
    const w = world();
    w.add(market('m1'), [0.86, 0.87]);
    w.add(market('m2'), [0.4, 0.6]);
    w.app.queue.upsert(w.row('m1', 'WEATHER_FADE_LONGSHOTS', 0.8));
    await w.app.scorer.seed(h);
    const model = w.app.scorer.retrainer.current!;
    expect(model.rows).toBe(h.samples.n);
    w.app.scorer.cycle();
    const it = w.app.queue.get('strategy:WEATHER_FADE_LONGSHOTS:m1')!;
    expect(it.model?.verdict).toBe('VALIDATED');
    // The same numbers the backtest path gives for this view.
    const spec = defaultFeatureSpec();
    const { folded, category } = classify(QUESTION, undefined, []);
    const endMs = T0 + 3 * DAY;
    const strategies = defaultStrategies().strategies.filter((s) => strategyMatchesAt(s, { category, folded, endMs, fee: market('m1').fee }, w.now(), 0.865, 0.01)).map((s) => s.id);
    const hub = w.app.signals.hub;
    const v = liveView({ atMs: w.now(), endMs, category, strategies, bestBid: 0.86, bestAsk: 0.87, bidDepth: 500, askDepth: 400, ofi: hub.ofi.value('m1-yes', 30_000, w.now()), micro: hub.score('m1', w.now(), { feedUp: true, closed: false }) })!;
    expect(it.model?.mid).toBeCloseTo(0.865, 9);
    expect(it.model!.p!).toBe(predict(model, spec.vector(v), v.mid));
    // A longshot-biased history: the favourite is worth more than its price.
    expect(it.model!.p!).toBeGreaterThan(0.87);
    const ml = w.app.queue.get('strategy:ML_SCORER:m1')!;
    expect(ml).toBeDefined();
    expect(ml.side).toBe('BUY Yes');
    expect(ml.entry).toBeCloseTo(0.87, 9);
    expect(ml.edge!).toBeCloseTo(it.model!.p! - 0.87, 9);
    expect(ml.autoTradable).toBe(false);
    // A correction smaller than the spread beats neither ask: no row.
    expect(w.app.queue.get('strategy:ML_SCORER:m2')).toBeUndefined();
    for (const q of w.app.queue.all().filter((x) => x.label === 'ML_SCORER')) expect(q.edge!).toBeGreaterThanOrEqual(0.02);
    // The scorer's cycle was driven by hand: the views learn of it as they would when the engine's cycle ends.
    w.app.views.invalidate();
    w.store.publish();
    const shown = w.store.getSnapshot();
    const r = shown.signals.find((x) => x.key === 'strategy:WEATHER_FADE_LONGSHOTS:m1')!;
    expect(r.model?.p).toBeCloseTo(it.model!.p!, 3);
    expect(r.model?.diff).toBeCloseTo(it.model!.p! - 0.865, 3);
    expect(shown.status.scorer).toMatchObject({ verdict: 'VALIDATED', trainedRows: h.samples.n, expired: false, hash: model.hash });
    expect(shown.status.scorer!.brierSkillCi![0]).toBeGreaterThan(0);
  });

  it('UNPROVEN (an efficient history): rows say UNPROVEN with no model price, and the scorer proposes nothing', async () => {
    const h = efficientHistory();
    expect(h.verdict.verdict).not.toBe('VALIDATED');
    const w = world();
    w.add(market('m1'), [0.86, 0.87]);
    w.app.queue.upsert(w.row('m1', 'WEATHER_FADE_LONGSHOTS', 0.8));
    await w.app.scorer.seed(h);
    w.app.scorer.cycle();
    const it = w.app.queue.get('strategy:WEATHER_FADE_LONGSHOTS:m1')!;
    expect(it.model).toMatchObject({ verdict: h.verdict.verdict });
    expect(it.model?.p).toBeUndefined();
    expect(it.model?.note).toMatch(/^scorer (UNPROVEN|REJECTED)/);
    expect(w.app.queue.all().filter((q) => q.label === 'ML_SCORER')).toHaveLength(0);
    w.app.views.invalidate();
    w.store.publish();
    const r = w.store.getSnapshot().signals[0]!;
    expect(r.model?.p).toBeUndefined();
    expect(r.model?.verdict).toBe(h.verdict.verdict);
  });

  it('refuses an expired model: no model price and the ML_SCORER rows leave the queue', async () => {
    const w = world({ expiryMs: 10 * 60_000 });
    w.add(market('m1'), [0.86, 0.87]);
    w.app.queue.upsert(w.row('m1', 'S', 0.8));
    await w.app.scorer.seed(biasedHistory());
    w.app.scorer.cycle();
    expect(w.app.queue.get('strategy:S:m1')!.model?.p).toBeDefined();
    expect(w.app.queue.get('strategy:ML_SCORER:m1')).toBeDefined();
    w.tick(11 * 60_000);
    w.app.scorer.cycle();
    const it = w.app.queue.get('strategy:S:m1')!;
    expect(it.model?.p).toBeUndefined();
    expect(it.model?.note).toMatch(/model expired/);
    expect(w.app.queue.get('strategy:ML_SCORER:m1')).toBeUndefined();
    expect(w.app.scorer.status().model.expired).toBe(true);
  });

  it('takes a market’s features at the backtest’s decision time (end − 24 h) and feeds them with the outcome when it resolves', async () => {
    const w = world();
    await w.app.scorer.seed(biasedHistory());
    const before = w.app.scorer.retrainer.status().rows;
    const m = market('r1', { endDate: T0 + 24 * HOUR + 30 * 60_000 });
    w.add(m, [0.3, 0.31]);
    w.app.scorer.cycle(); // 24.5 h before its end: before its decision time, no row taken
    w.app.scorer.onCatalog([{ ...m, closed: true, outcomePrices: [10_000, 0], closedTime: w.now() }], w.now());
    expect(w.app.scorer.retrainer.status().rows).toBe(before);
    const m2 = market('r2', { endDate: T0 + 23 * HOUR });
    w.add(m2, [0.3, 0.31]);
    w.tick(300_000);
    w.app.scorer.cycle();
    w.app.scorer.onCatalog([{ ...m2, closed: true, outcomePrices: [0, 10_000], closedTime: w.now() }], w.now());
    expect(w.app.scorer.retrainer.status().rows).toBe(before + 1);
    expect(w.app.scorer.liveOutcomes).toBe(1);
    // Enough new outcomes make a retrain due (every N outcomes).
    expect(w.app.scorer.retrainer.due(wallMs(w.now()))).toBe(false);
  });

  it('weighs strategies by their recent validated record: the ranking follows rank = priority × (1 + weight), shown with its arithmetic', async () => {
    const w = world();
    w.add(market('a'), [0.5, 0.51]);
    w.add(market('b'), [0.5, 0.51]);
    w.app.queue.upsert(w.row('a', 'STRONG', 0.7));
    w.app.queue.upsert(w.row('b', 'WEAK', 0.75));
    expect(w.app.queue.ranked().map((q) => q.label)).toEqual(['WEAK', 'STRONG']);
    w.app.scorer.setPerformance([
      { strategy: 'STRONG', verdict: 'VALIDATED', n: 600, roi: 0.08, roiCi: [0.05, 0.11] },
      { strategy: 'WEAK', verdict: 'UNPROVEN', n: 40, roi: 0.2, roiCi: [-0.1, 0.5] },
    ]);
    w.app.scorer.cycle();
    expect(w.app.queue.ranked().map((q) => q.label)).toEqual(['STRONG', 'WEAK']);
    const strong = w.app.queue.get('strategy:STRONG:a')!.weight!;
    expect(strong.weight).toBe(1);
    expect(strong.rank).toBeCloseTo(1.4, 9);
    expect(strong.arithmetic).toContain('rank = priority 0.700 × (1 + weight 1.000) = 1.400');
    expect(strong.arithmetic).toContain('600/900');
    const weak = w.app.queue.get('strategy:WEAK:b')!.weight!;
    expect(weak.weight).toBe(0);
    expect(weak.arithmetic).toContain('UNPROVEN over the recent window');
    // A rescan replaces the row: the weight holds until the next cycle re-derives it.
    w.app.queue.upsert(w.row('a', 'STRONG', 0.7));
    expect(w.app.queue.ranked().map((q) => q.label)).toEqual(['STRONG', 'WEAK']);
    w.app.views.invalidate();
    w.store.publish();
    expect(w.store.getSnapshot().signals[0]!.weight?.arithmetic).toContain('weight 1.000');
  });
});
