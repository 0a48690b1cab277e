// Every pre-trade gate: as a pure function, and through the trader, where each
// refusal is recorded (an orders row with status 'refused' and "gate: reason").
import { describe, expect, it } from 'vitest';
import * as G from '../../src/paper/gates.js';
import { DEFAULT_PAPER_CONFIG as CFG, parsePaperConfig } from '../../src/paper/config.js';
import { harness, book, market, one, T0 } from './helpers.js';
import type { PaperConfigInput } from '../../src/paper/config.js';
import type { OrderRequest } from '../../src/paper/types.js';
import { venueMs } from '../../src/clock.js';

describe('gate functions', () => {
  it('stale or out-of-sync book, or one not heard from within maxBookAgeMs', () => {
    expect(G.freshBookGate(book([[0.5, 10]], [], T0), T0 + 1000, CFG)).toEqual({ ok: true });
    expect(G.freshBookGate(book([[0.5, 10]], [], T0, 'stale'), T0, CFG)).toMatchObject({ ok: false, gate: 'stale-book', reason: 'book stale' });
    expect(G.freshBookGate(book([[0.5, 10]], [], T0, 'out-of-sync'), T0, CFG)).toMatchObject({ ok: false, gate: 'stale-book', reason: 'book out-of-sync' });
    expect(G.freshBookGate(book([[0.5, 10]], [], T0), T0 + 31_000, CFG)).toMatchObject({ ok: false, gate: 'stale-book' });
    expect(G.freshBookGate(undefined, T0, CFG)).toMatchObject({ ok: false, reason: 'no book' });
  });
  it('crossed book: bid 0.51 ≥ ask 0.50', () => {
    expect(G.crossedGate(book([[0.5, 10]], [[0.51, 10]]))).toMatchObject({ ok: false, gate: 'crossed-book' });
    expect(G.crossedGate(book([[0.5, 10]], [[0.49, 10]])).ok).toBe(true);
  });
  it('spread 0.06 > 0.05 refuses; 0.05 passes; a one-sided book refuses', () => {
    expect(G.spreadGate(book([[0.56, 10]], [[0.5, 10]]), CFG)).toMatchObject({ ok: false, gate: 'spread' });
    expect(G.spreadGate(book([[0.55, 10]], [[0.5, 10]]), CFG).ok).toBe(true);
    expect(G.spreadGate(book([[0.55, 10]], []), CFG)).toMatchObject({ ok: false, reason: 'one-sided book (no bid)' });
  });
  it('depth $9.99 < $10 refuses', () => {
    expect(G.depthGate(9.99, CFG)).toMatchObject({ ok: false, gate: 'depth' });
    expect(G.depthGate(10, CFG).ok).toBe(true);
  });
  it('price band [0.01, 0.99]', () => {
    expect(G.priceBandGate([9950], CFG)).toMatchObject({ ok: false, gate: 'price-band' });
    expect(G.priceBandGate([50], CFG)).toMatchObject({ ok: false, gate: 'price-band' });
    expect(G.priceBandGate([100, 9900], CFG).ok).toBe(true);
  });
  it('notional $500.01 > $500', () => {
    expect(G.notionalGate(500.01, CFG)).toMatchObject({ ok: false, gate: 'notional' });
    expect(G.notionalGate(500, CFG).ok).toBe(true);
  });
  it('token 2%, event 5%, gross 50% of $10,000 equity', () => {
    expect(G.tokenCapGate(150, 50, 10_000, CFG).ok).toBe(true);
    expect(G.tokenCapGate(150, 50.01, 10_000, CFG)).toMatchObject({ ok: false, gate: 'token-cap' });
    expect(G.eventCapGate(450, 60, 10_000, CFG)).toMatchObject({ ok: false, gate: 'event-cap' });
    expect(G.grossCapGate(4_990, 20, 10_000, CFG)).toMatchObject({ ok: false, gate: 'gross-cap' });
  });
  it('max open positions: 50 open + 1 new refuses; adding to one held passes', () => {
    expect(G.maxPositionsGate(50, 1, CFG)).toMatchObject({ ok: false, gate: 'max-positions' });
    expect(G.maxPositionsGate(50, 0, CFG).ok).toBe(true);
  });
  it('daily loss: −$500 on a $10,000 day start (5%) refuses; −$499.99 passes', () => {
    expect(G.dailyLossGate(-500, 10_000, CFG)).toMatchObject({ ok: false, gate: 'daily-loss' });
    expect(G.dailyLossGate(-499.99, 10_000, CFG).ok).toBe(true);
  });
  it('cooldown: 5 min after a loss', () => {
    expect(G.cooldownGate(T0, T0 + 299_000, CFG)).toMatchObject({ ok: false, gate: 'cooldown', reason: 'cooling down after a loss: 1 s left' });
    expect(G.cooldownGate(T0, T0 + 300_000, CFG).ok).toBe(true);
    expect(G.cooldownGate(undefined, T0, CFG).ok).toBe(true);
  });
  it('feed gap, confidence, closing window, minimum size, edge, no shorting, cash', () => {
    expect(G.feedGapGate('shard 3 reconnecting')).toMatchObject({ ok: false, gate: 'feed-gap' });
    expect(G.confidenceGate(0.7, 0.9)).toMatchObject({ ok: false, gate: 'confidence' });
    expect(G.closingGate(T0 + 29 * 60_000, venueMs(T0), CFG)).toMatchObject({ ok: false, gate: 'closing' });
    expect(G.closingGate(T0 + 31 * 60_000, venueMs(T0), CFG).ok).toBe(true);
    expect(G.minSizeGate(4.99, 5)).toMatchObject({ ok: false, gate: 'min-size' });
    expect(G.edgeGate(0.95, 0.94, CFG)).toMatchObject({ ok: false, gate: 'min-edge' });
    expect(G.edgeGate(0.97, 0.94, CFG).ok).toBe(true);
    expect(G.noShortGate(0, 10)).toMatchObject({ ok: false, gate: 'no-short' });
    expect(G.cashGate(1_000_000, 1_000_001)).toMatchObject({ ok: false, gate: 'cash' });
  });
  it('config: zod-validated, defaults, one-line error naming the key', () => {
    expect(CFG).toMatchObject({ kellyFraction: 0.25, maxTokenPct: 0.02, maxEventPct: 0.05, maxGrossPct: 0.5, maxDepthShare: 0.25, minEdge: 0.02 });
    expect(parsePaperConfig({ maxSpread: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^paper\.maxSpread: /) });
    expect(parsePaperConfig({ nope: 1 }).ok).toBe(false);
  });
});

describe('each gate through the trader, refusal recorded with its reason', () => {
  function setup(cfg: PaperConfigInput = {}, over: { ask?: number; bid?: number; askSize?: number; state?: string; receivedAt?: number; endDate?: number; minOrderSize?: number } = {}) {
    const m1 = market({ id: 'g1', eventId: 'ev', ...(over.endDate ? { endDate: over.endDate } : {}), ...(over.minOrderSize ? { minOrderSize: over.minOrderSize } : {}) });
    const m2 = market({ id: 'g2', eventId: 'ev' });
    const m3 = market({ id: 'g3', eventId: 'ev' });
    const ask = over.ask ?? 0.5;
    const bid = over.bid ?? 0.49;
    const mk = () => book([[ask, over.askSize ?? 1_000]], [[bid, 1_000]], over.receivedAt ?? T0, over.state ?? 'fresh');
    return harness([m1, m2, m3], { 'g1-yes': mk(), 'g2-yes': mk(), 'g3-yes': mk(), 'g1-no': mk() }, cfg);
  }
  const buy = (size: number, tokenId = 'g1-yes', extra: Partial<OrderRequest> = {}): OrderRequest => ({ tokenId, side: 'BUY', type: 'market', size, reason: 'gate test', ...extra });

  const cases: [string, () => ReturnType<typeof setup>, (h: ReturnType<typeof setup>) => OrderRequest, string?][] = [
    ['disabled', () => setup({ enabled: false }), () => buy(10)],
    ['stale-book', () => setup({}, { state: 'stale' }), () => buy(10)],
    ['stale-book', () => setup({}, { receivedAt: T0 - 60_000 }), () => buy(10), 'book last heard 60 s ago'],
    ['crossed-book', () => setup({}, { bid: 0.5, ask: 0.5 }), () => buy(10)],
    ['spread', () => setup({}, { bid: 0.4, ask: 0.5 }), () => buy(10)],
    ['depth', () => setup({}, { askSize: 19 }), () => buy(10)],
    ['price-band', () => setup({ maxSpread: 1 }, { ask: 0.995, bid: 0.99 }), () => buy(10)],
    ['notional', () => setup({ maxTokenPct: 1 }, { askSize: 5_000 }), () => buy(1_200)],
    ['token-cap', () => setup(), () => buy(401)],
    ['min-size', () => setup(), () => buy(4)],
    ['closing', () => setup({}, { endDate: T0 + 10 * 60_000 }), () => buy(10)],
    ['confidence', () => setup(), () => buy(10, 'g1-yes', { confidence: 0.3 })],
    ['unknown-market', () => setup(), () => buy(10, 'nope')],
    ['gross-cap', () => setup({ maxGrossPct: 0.01 }), () => buy(201)],
  ];

  for (const [gate, make, req, reason] of cases) {
    it(`${gate}${reason ? ` (${reason})` : ''}`, () => {
      const h = make();
      const r = h.trader.submit(req(h), T0);
      expect(r.ok).toBe(false);
      expect(r.gate).toBe(gate);
      if (reason) expect(r.reason).toContain(reason);
      const row = one<{ status: string; reason: string }>(h.db, "SELECT status, reason FROM orders WHERE status = 'refused' ORDER BY id DESC LIMIT 1");
      expect(row.reason.startsWith(`${gate}: `)).toBe(true);
      expect(h.trader.refusals.at(-1)!.gate).toBe(gate);
      expect(one<{ n: number }>(h.db, 'SELECT COUNT(*) AS n FROM fills').n).toBe(0);
    });
  }

  it('breaker: halted → refused', () => {
    const h = setup();
    h.trader.halt('operator x', T0);
    const r = h.trader.submit(buy(10), T0);
    expect(r.gate).toBe('breaker');
    expect(r.reason).toContain('HALTED: operator x');
  });

  it('feed-gap: a gap on the token’s shard, or feed-wide', () => {
    const h = setup();
    h.trader.setFeedGap('all shards reconnecting');
    expect(h.trader.submit(buy(10), T0).gate).toBe('feed-gap');
    h.trader.setFeedGap(undefined);
    expect(h.trader.submit(buy(10), T0).ok).toBe(true);
  });

  it('closing reads the venue clock (marketNow), not the process clock: a simulator runs on its own epoch and speed', () => {
    const m = market({ id: 'v1', endDate: T0 + 2 * 3_600_000 });
    const books = { 'v1-yes': book([[0.5, 1_000]], [[0.49, 1_000]]) };
    // The venue is 3 h ahead of this process: the market is past its end there.
    const ahead = harness([m], books, {}, undefined, { marketNow: () => venueMs(T0 + 3 * 3_600_000) });
    const r = ahead.trader.submit(buy(10, 'v1-yes'), T0);
    expect([r.gate, r.reason]).toEqual(['closing', 'market past its end date']);
    // The venue is 3 h behind (a simulator started today on a fixed epoch): 5 h to go there.
    const later = T0 + 4 * 3_600_000;
    const behind = harness([m], { 'v1-yes': book([[0.5, 1_000]], [[0.49, 1_000]], later) }, {}, undefined, { marketNow: () => venueMs(T0 - 3 * 3_600_000) });
    const ok = behind.trader.submit(buy(10, 'v1-yes'), later);
    expect([ok.ok, ok.gate]).toEqual([true, undefined]);
  });

  it('market-closed: the catalog says closed', () => {
    const h = setup();
    h.trader.onCatalog([{ ...h.markets[0]!, closed: true }], T0);
    expect(h.trader.submit(buy(10), T0).gate).toBe('market-closed');
  });

  it('event-cap: three markets of one event at $195 each exceed 5% ($500)', () => {
    const h = setup();
    expect(h.trader.submit(buy(390, 'g1-yes'), T0).ok).toBe(true);
    expect(h.trader.submit(buy(390, 'g2-yes'), T0).ok).toBe(true);
    const r = h.trader.submit(buy(390, 'g3-yes'), T0);
    expect(r.gate).toBe('event-cap');
  });

  it('max-positions: a second position over a max of 1 (adding to the first passes)', () => {
    const h = setup({ maxOpenPositions: 1 });
    expect(h.trader.submit(buy(10, 'g1-yes'), T0).ok).toBe(true);
    expect(h.trader.submit(buy(10, 'g2-yes'), T0).gate).toBe('max-positions');
    expect(h.trader.submit(buy(10, 'g1-yes'), T0).ok).toBe(true);
  });

  it('daily-loss, then cooldown after a losing close', () => {
    const h = setup({ dailyLossPct: 0.0001, cooldownMs: 60_000 }); // $1 of $10,000
    h.trader.submit(buy(100), T0); // 100 @ 0.50
    const s = h.trader.submit({ tokenId: 'g1-yes', side: 'SELL', type: 'market', size: 100, reason: 'out' }, T0); // @ 0.49: −$1
    expect(s.ok).toBe(true);
    expect(h.trader.submit(buy(10), T0 + 1).gate).toBe('daily-loss');
    const h2 = setup({ cooldownMs: 20_000 });
    h2.trader.submit(buy(100), T0);
    h2.trader.submit({ tokenId: 'g1-yes', side: 'SELL', type: 'market', size: 100, reason: 'out' }, T0);
    expect(h2.trader.submit(buy(10), T0 + 19_000).gate).toBe('cooldown');
    expect(h2.trader.submit(buy(10), T0 + 20_000).ok).toBe(true);
  });

  it('cash: $100 of equity, caps at 100%: $100 of shares plus the taker fee is more than the cash', () => {
    const m = market({ id: 'c1', fee: { rate: 0.07, exponent: 1, takerOnly: true, rebateRate: 0 } });
    const h = harness([m], { 'c1-yes': book([[0.5, 1_000]], [[0.49, 1_000]]) }, { initialCash: 100, maxTokenPct: 1, maxEventPct: 1, maxGrossPct: 1 });
    const r = h.trader.submit(buy(200, 'c1-yes'), T0);
    expect(r.gate).toBe('cash');
    expect(r.reason).toBe('needs $103.50, $100.00 available');
  });

  it('min-edge: a strategy signal whose p − c < 0.02 is refused', () => {
    const h = setup();
    const r = h.trader.execute({ key: 'strategy:S:g1', kind: 'strategy', label: 'S', tier: 'ALERT', priority: 0.8, marketIds: ['g1'], tokenId: 'g1-yes', p: 0.51, claimedWinRate: 0.51, autoTradable: false }, T0);
    expect(r.gate).toBe('min-edge');
  });

  it('an automatic retry of the same refusal is written once; the operator’s every time', () => {
    const h = setup({}, { state: 'stale' });
    const row = { key: 'strategy:S:g1', kind: 'strategy' as const, label: 'S', tier: 'AUTO-TRADE', priority: 0.95, marketIds: ['g1'], tokenId: 'g1-yes', p: 0.9, claimedWinRate: 0.9, autoTradable: true };
    h.trader.autoTrade([row], [], T0);
    h.trader.autoTrade([row], [], T0 + 1);
    expect(one<{ n: number }>(h.db, "SELECT COUNT(*) AS n FROM orders WHERE status = 'refused'").n).toBe(1);
    h.trader.execute(row, T0 + 2);
    h.trader.execute(row, T0 + 3);
    expect(one<{ n: number }>(h.db, "SELECT COUNT(*) AS n FROM orders WHERE status = 'refused'").n).toBe(3);
  });
});
