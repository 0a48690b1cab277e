import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/engine.js';
import { openDatabase } from '../../src/persist/db.js';
import { EngineStore } from '../../store/engine-store.js';
import { App } from '../../src/app.js';
import { wallMs } from '../../src/clock.js';

function setup() {
  const { db } = openDatabase(':memory:');
  const engine = new Engine({ kind: 'SIM', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db);
  let now = 1_700_000_000_000;
  const store = new EngineStore(new App(engine), { hz: 5, now: () => wallMs(now) });
  return { db, engine, store, tick: (ms: number) => (now += ms) };
}

describe('EngineStore', () => {
  afterEach(() => vi.useRealTimers());

  it('publishes on its timer at 5 Hz, not per engine change', () => {
    vi.useFakeTimers();
    const { store, engine } = setup();
    let notified = 0;
    store.subscribe(() => notified++);
    store.start();
    const afterStart = notified;
    // 10,000 engine-side changes between publishes notify nobody.
    for (let i = 0; i < 10_000; i++) engine.ingest.counters.events++;
    expect(notified).toBe(afterStart);
    vi.advanceTimersByTime(1000);
    expect(notified - afterStart).toBe(5);
    store.stop();
  });

  it('keeps the identity of panes that did not change and replaces those that did', () => {
    const { store } = setup();
    store.publish();
    const a = store.getSnapshot();
    store.publish();
    const b = store.getSnapshot();
    expect(b.seq).toBe(a.seq + 1);
    expect(b.status).toBe(a.status);
    expect(b.shards).toBe(a.shards);
    store.actions.togglePause();
    const c = store.getSnapshot();
    expect(c.status).not.toBe(b.status);
    expect(c.status.run).toBe('PAUSED');
    expect(c.shards).toBe(b.shards);
  });

  it('audits pause and resume with old and new values', () => {
    const { store, db } = setup();
    store.actions.togglePause();
    store.actions.togglePause();
    const rows = db.prepare('SELECT action, old_value, new_value FROM operator_actions ORDER BY id').all();
    expect(rows).toEqual([
      { action: 'pause', old_value: 'RUNNING', new_value: 'PAUSED' },
      { action: 'pause', old_value: 'PAUSED', new_value: 'RUNNING' },
    ]);
  });
});

describe('EngineStore reads per-cycle views', () => {
  it('computes no pane itself: within one engine cycle, 50 publishes compute each view (and call the subsystems) once', async () => {
    const { store, engine } = setup();
    const app = store.app;
    app.queue.upsert({ key: 'strategy:S:m1', kind: 'strategy', label: 'S', tier: 'WATCH', priority: 0.5, marketIds: ['m1'], tokenId: 'm1-yes', question: 'M1?', side: 'BUY Yes', confidence: 0.5, gate: 'ready', reasoning: 'r', autoTradable: false, seenAt: 0, firstSeen: 0 });
    const ranked = vi.spyOn(app.queue, 'ranked');
    const ofiRows = vi.spyOn(app.signals.hub, 'ofiRows');
    const ofiValue = vi.spyOn(app.signals.hub.ofi, 'value');
    const portfolio = vi.spyOn(app.paper.trader, 'portfolioPane');
    await engine.cycle();
    const before = { ...app.views.computed };
    for (let i = 0; i < 50; i++) store.publish();
    const once = { ofi: 1, signals: 1, portfolio: 1, clusters: 1, incidents: 1 };
    const delta = () => Object.fromEntries(Object.entries(app.views.computed).map(([k, n]) => [k, n - before[k as keyof typeof before]]));
    expect(delta()).toEqual(once);
    expect([ranked.mock.calls.length, ofiRows.mock.calls.length, ofiValue.mock.calls.length, portfolio.mock.calls.length]).toEqual([1, 1, 1, 1]);
    expect(store.getSnapshot().signals.map((r) => r.key)).toEqual(['strategy:S:m1']);
    // The next cycle recomputes each view once more, however often the store publishes.
    await engine.cycle();
    for (let i = 0; i < 50; i++) store.publish();
    expect(delta()).toEqual({ ofi: 2, signals: 2, portfolio: 2, clusters: 2, incidents: 2 });
    expect(ranked.mock.calls.length).toBe(2);
    // An operator action between cycles shows at once (the gate says paused), computed once.
    store.actions.togglePause();
    for (let i = 0; i < 50; i++) store.publish();
    expect(store.getSnapshot().signals[0]!.gate).toMatch(/^paused/);
    expect(ranked.mock.calls.length).toBe(3);
  });
});

describe('EngineStore startup truth', () => {
  it('the snapshot is true before start(): source, PAPER state and breaker, never the placeholder', async () => {
    const { db } = openDatabase(':memory:');
    const engine = new Engine({ kind: 'LIVE', gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' }, db);
    const store = new EngineStore(new App(engine, { paper: { enabled: true }, collector: false }));
    const s = store.getSnapshot();
    expect(s.seq).toBeGreaterThan(0);
    expect(s.status.source).toBe('LIVE');
    expect(s.portfolio.enabled).toBe(true);
    expect(s.portfolio.breaker.state).toBe('ARMED');
  });

  it('equity and unrealised P&L are — until every open position has a mark, then the marked value', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'pc-store-')), 'e.db');
    const T = 1_700_000_000_000;
    const source = { kind: 'SIM' as const, gammaUrl: 'http://127.0.0.1:1', clobUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' };
    const m = { id: 'e1', conditionId: '0xe1', question: 'E1?', slug: 'e1', outcomes: ['Yes', 'No'], outcomePrices: [5000, 5000], tokenIds: ['e1-yes', 'e1-no'], active: true, closed: false, volume: 1, liquidity: 1, negRisk: false, fee: { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 }, tickSize: 100, minOrderSize: 5, tags: [], eventId: 'ev', endDate: T + 30 * 86_400_000 };
    const book = (e: Engine, now: number) => e.books.applySnapshot({ type: 'book', asset: 'e1-yes', market: 'e1', ts: now, hash: '', asks: [{ price: 5000, size: 1000 }], bids: [{ price: 4800, size: 1000 }] }, now);
    const first = openDatabase(path).db;
    const e1 = new Engine(source, first, {}, () => wallMs(T));
    const a1 = new App(e1, { paper: { enabled: true }, collector: false });
    a1.paper.onCatalog([m], T);
    book(e1, T);
    expect(a1.paper.trader.submit({ tokenId: 'e1-yes', side: 'BUY', type: 'market', size: 100, reason: 't' }, T).ok).toBe(true);
    first.close();
    // Restart: the position is back, but no book has arrived yet.
    const db = openDatabase(path).db;
    const e2 = new Engine(source, db, {}, () => wallMs(T + 1000));
    const a2 = new App(e2, { paper: { enabled: true }, collector: false });
    a2.paper.onCatalog([m], T + 1000);
    const store = new EngineStore(a2, { now: () => wallMs(T + 1000) });
    expect(store.getSnapshot().portfolio.positions).toHaveLength(1);
    expect(store.getSnapshot().portfolio.equity).toBeNull();
    expect(store.getSnapshot().portfolio.unrealized).toBeNull();
    book(e2, T + 1000);
    a2.paper.trader.onBook('e1-yes', T + 1000);
    // The pane shows the mark once the engine's cycle has run (views are computed once per cycle).
    await e2.cycle();
    store.publish();
    // 100 shares marked at the 0.48 bid: equity = cash + $48.
    const p = store.getSnapshot().portfolio;
    expect(p.equity).toBeCloseTo(p.cash + 48, 6);
    expect(p.unrealized).toBeCloseTo(-2, 6);
    db.close();
  });
});

describe('EngineStore: cluster markets and links', () => {
  it('copies the scan’s market list per cluster (rebuilt only after a batch) and links each market on screen from its slugs', () => {
    const { store, engine, tick } = setup();
    const app = store.app;
    const T = 1_700_000_000_000;
    engine.catalog.markets.set('m1', { id: 'm1', conditionId: '0x1', question: 'Q1?', slug: 'q1-market', eventSlug: 'q-event', outcomes: ['Yes', 'No'], outcomePrices: [4000, 6000], tokenIds: ['m1-yes', 'm1-no'], active: true, closed: false, volume: 1, liquidity: 1, negRisk: false, fee: { rate: 0, exponent: 1, takerOnly: true, rebateRate: 0 }, tickSize: 100, minOrderSize: 5, tags: [] });
    engine.catalog.markets.set('m2', { ...engine.catalog.markets.get('m1')!, id: 'm2', slug: 'evil\u001b]52;c;x\u0007', eventSlug: undefined });
    app.queue.upsert({ key: 'spike:m1', kind: 'spike', label: 'SPIKE', tier: 'WATCH', priority: 0.5, marketIds: ['m1', 'm2'], question: 'Q1?', side: 'mid up', confidence: 0.5, gate: 'informational', reasoning: '', autoTradable: false, seenAt: T, firstSeen: T });
    app.scan.clusters = [{ id: 'C-1', category: 'Politics', kind: 'event', count: 2, unique: 2, summary: 'Q event', entities: [], confidence: 1, volume: 2 }];
    app.scan.clusterMarkets.set('C-1', { rule: 'one Gamma event', more: 0, at: Date.UTC(2026, 0, 1, 12, 0, 0), markets: [{ id: 'm1', question: 'Q1?', outcome: 'Yes', price: 0.4, tie: 'same event', confidence: 1, volume: 1, url: 'https://polymarket.com/event/q-event/q1-market' }] });
    app.scan.batches++;
    // A batch lands inside an engine cycle; the pane views recompute when it completes (by hand here).
    app.views.invalidate();
    tick(200);
    store.publish();
    const a = store.getSnapshot();
    expect(a.clusters[0]).toMatchObject({ id: 'C-1', kind: 'event', rule: 'one Gamma event', unique: 2, more: 0, scannedAt: '12:00:00', markets: [{ id: 'm1', outcome: 'Yes', price: 0.4, tie: 'same event', url: 'https://polymarket.com/event/q-event/q1-market' }] });
    // m2's slug is no URL text: no link, rather than a link that carries an escape sequence.
    expect({ ...a.links }).toEqual({ m1: 'https://polymarket.com/event/q-event/q1-market' });
    // No new batch: the same rows, not rebuilt.
    tick(200);
    store.publish();
    expect(store.getSnapshot().clusters).toBe(a.clusters);
    expect(store.getSnapshot().links).toBe(a.links);
  });
});
