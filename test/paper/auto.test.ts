// Operation: auto-trading AUTO-TRADE signals and auto-tradable arbitrage once
// per id, Kelly-sized strategy entries, operator execution of any queue row,
// stop-loss / take-profit on book updates, and feed events dispatched.
import { describe, expect, it } from 'vitest';
import { harness, book, market, setLevels, one, T0 } from './helpers.js';
import type { PaperRow } from '../../src/paper/intents.js';
import type { Signal } from '../../src/scan/signals.js';
import type { ArbOpportunity } from '../../src/arb/types.js';

function setup(cfg = {}) {
  const m = market({ id: 'w1', eventId: 'weather-nyc-06-01' });
  const m2 = market({ id: 'w2', eventId: 'weather-nyc-06-01' });
  const books = {
    'w1-no': book([[0.94, 2_000], [0.96, 2_000]], [[0.93, 2_000]]),
    'w1-yes': book([[0.07, 2_000]], [[0.06, 2_000]]),
    'w2-no': book([[0.5, 2_000]], [[0.49, 2_000]]),
    'w2-yes': book([[0.46, 2_000]], [[0.45, 2_000]]),
  };
  return harness([m, m2], books, cfg);
}

const row = (extra: Partial<PaperRow> = {}): PaperRow => ({
  key: 'strategy:WEATHER_FADE:w1',
  kind: 'strategy',
  label: 'WEATHER_FADE',
  tier: 'AUTO-TRADE',
  priority: 0.93,
  marketIds: ['w1'],
  tokenId: 'w1-no',
  p: 0.97,
  claimedWinRate: 0.98,
  autoTradable: true,
  ...extra,
});

describe('auto-trade and operator execution', () => {
  it('AUTO-TRADE signal: Kelly p 0.97, c 0.94 → f* 0.5 × 0.25 = 0.125, capped at the 2% token cap; once per id', () => {
    const h = setup();
    const [r] = h.trader.autoTrade([row()], [], T0);
    expect(r!.ok).toBe(true);
    // Limit: the highest tick with p − c ≥ 0.02 → 0.95; the $200 cap / 0.95 = 210.52 shares, all at the 0.94 ask.
    expect(r!.fills.map((f) => [f.price, f.size])).toEqual([[9400, 210.52]]);
    expect(r!.kellyExplain).toContain('f* = (p − c)/(1 − c) = 0.5000');
    expect(r!.kellyExplain).toContain('× k 0.25 = 0.1250');
    expect(r!.kellyExplain).toContain('hit: token 2%');
    expect(h.trader.lastKellyExplain).toBe(r!.kellyExplain);
    expect(h.trader.portfolioPane().kellyExplain).toBe(r!.kellyExplain);
    expect(one<{ reason: string; basket_id: string; type: string }>(h.db, 'SELECT reason, basket_id, type FROM orders')).toEqual({
      reason: 'auto WEATHER_FADE: p 0.9700 c 0.9400 f 0.1250',
      basket_id: 'strategy:WEATHER_FADE:w1',
      type: 'limit-IOC',
    });
    expect(h.trader.autoTrade([row()], [], T0 + 1)).toEqual([]); // deduplicated
    expect(one<{ n: number }>(h.db, 'SELECT COUNT(*) AS n FROM orders').n).toBe(1);
  });

  it('preview shows the Kelly arithmetic and the first refusing gate without trading', () => {
    const h = setup();
    const p = h.trader.preview(row(), T0);
    expect(p).toMatchObject({ ok: true, shares: 210.52 });
    expect(p.kellyExplain).toContain('final 210.52 shares');
    expect(one<{ n: number }>(h.db, 'SELECT COUNT(*) AS n FROM orders').n).toBe(0);
    h.trader.halt('x', T0);
    expect(h.trader.preview(row(), T0)).toMatchObject({ ok: false, gate: 'breaker' });
  });

  it('the claimed win rate never sizes an order: a row without a validated p is refused as unvalidated', () => {
    const h = setup();
    const { p: _p, ...unproven } = row();
    const r = h.trader.execute(unproven, T0);
    expect(r).toMatchObject({ ok: false, gate: 'unvalidated' });
    expect(h.trader.preview(unproven, T0)).toMatchObject({ ok: false, shares: 0, gate: 'unvalidated' });
    expect(one<{ n: number }>(h.db, 'SELECT COUNT(*) AS n FROM fills').n).toBe(0);
  });

  it('only AUTO-TRADE rows, only with paper mode on', () => {
    const h = setup();
    expect(h.trader.autoTrade([row({ tier: 'ALERT', autoTradable: false })], [], T0)).toEqual([]);
    h.trader.setEnabled(false);
    expect(h.trader.autoTrade([row()], [], T0)).toEqual([]);
    expect(h.trader.toggle()).toBe(true);
    expect(h.trader.autoTrade([row()], [], T0)).toHaveLength(1);
  });

  it('the per-event cap counts sibling buckets of one city and day as one event', () => {
    const h = setup();
    h.trader.autoTrade([row()], [], T0); // ~$198 in event weather-nyc-06-01
    expect(h.trader.submit({ tokenId: 'w2-no', side: 'BUY', type: 'market', size: 390, reason: 'x' }, T0).ok).toBe(true); // +$195
    const r = h.trader.execute(row({ key: 'strategy:OTHER:w2', label: 'OTHER', tokenId: 'w2-yes', p: 0.6, claimedWinRate: 0.6 }), T0);
    // Event room ≈ 5% × $9,997 − $392.89 ≈ $107: the event cap binds before the token cap ($200).
    expect(r.ok).toBe(true);
    expect(r.kellyExplain).toContain('hit: event 5%');
    const x = one<{ s: number }>(h.db, 'SELECT SUM(price * size) / 10000.0 AS s FROM fills');
    expect(x.s).toBeLessThanOrEqual(0.05 * h.trader.summary().equity + 1e-6);
    expect(x.s).toBeGreaterThan(0.049 * h.trader.summary().equity);
  });

  it('a scan Signal (the scan module’s own shape) is accepted', () => {
    const h = setup();
    const s = {
      rank: 1, strategy: 'WEATHER_FADE', marketId: 'w1', conditionId: '0x', question: 'q', category: 'weather', clusterId: 'c', side: 'BUY', outcome: 'NO', outcomeLabel: 'No', tokenId: 'w1-no',
      hoursToResolution: 20, entry: 0.94, askSize: 2000, feePerShare: 0, cost: 0.94, claimedWinRate: 0.98, claimedEdge: 0.48, edge: 0.04,
      validation: { n: 400, winRate: 0.98, winRateLower: 0.97, passed: true }, validatedEdge: 0.03, priority: 0.93, tier: 'AUTO-TRADE', verdict: 'VALIDATED', gate: 'ready', reasoning: '', volume: 1,
    } satisfies Signal;
    const [r] = h.trader.autoTrade([s], [], T0);
    expect(r!.ok).toBe(true);
    expect(h.trader.hasExecuted('strategy:WEATHER_FADE:w1')).toBe(true);
  });

  it('arbitrage: auto-tradable (confidence ≥ 0.9) runs automatically once; below it only on the operator’s request', () => {
    const h = setup({ maxDepthShare: 1 });
    const legs = (['w2-yes', 'w2-no'] as const).map((tokenId, i) => ({ marketId: 'w2', tokenId, side: 'BUY' as const, outcome: (i ? 'NO' : 'YES') as 'YES' | 'NO', price: i ? 5000 : 4600, vwap: i ? 5000 : 4600, size: 100, fee: 0 }));
    const opp = (id: string, confidence: number): ArbOpportunity => ({ id, kind: 'binary', relation: 'buy-both', marketIds: ['w2'], eventIds: [], legs, edge: 0.04, topEdge: 0.04, size: 100, capital: 96, profit: 4, confidence, paperGrade: false, autoTradable: confidence >= 0.9, reason: '', seenAt: T0, firstSeen: T0, cycles: 1 });
    const out = h.trader.autoTrade([], [opp('hi', 1), opp('lo', 0.7)], T0);
    expect(out).toHaveLength(1);
    expect(out[0]!.fills.map((f) => f.tokenId)).toEqual(['w2-yes', 'w2-no']);
    expect(h.trader.autoTrade([], [opp('hi', 1)], T0 + 1)).toEqual([]);
    const manual = h.trader.execute(opp('lo', 0.7), T0 + 2);
    expect(manual.ok).toBe(true);
    const tooLow = h.trader.execute(opp('lower', 0.4), T0 + 3);
    expect(tooLow.gate).toBe('confidence');
  });
});

describe('stop-loss and take-profit on book updates', () => {
  it('stop-loss: bid falls 30% below average cost → market SELL of the whole position', () => {
    const h = setup({ maxTokenPct: 1, cooldownMs: 0 });
    h.trader.submit({ tokenId: 'w2-no', side: 'BUY', type: 'market', size: 100, reason: 'x' }, T0);
    setLevels(h.books.get('w2-no')!, [[0.37, 500]], [[0.36, 500]]);
    expect(h.trader.onBook('w2-no', T0 + 1)).toEqual([]); // 0.36 > 0.35
    setLevels(h.books.get('w2-no')!, [[0.36, 500]], [[0.35, 500]]);
    const f = h.trader.onBook('w2-no', T0 + 2);
    expect(f.map((x) => [x.side, x.price, x.size])).toEqual([['SELL', 3500, 100]]);
    expect(f[0]!.reason).toBe('stop-loss: bid 0.3500 ≤ avg 0.5000 × (1 − 0.3)');
    expect(h.trader.broker.positions.get('w2-no')!.shares).toBe(0);
  });

  it('take-profit: bid rises 50% above average cost', () => {
    const h = setup({ maxTokenPct: 1 });
    h.trader.submit({ tokenId: 'w2-yes', side: 'BUY', type: 'market', size: 100, reason: 'x' }, T0);
    setLevels(h.books.get('w2-yes')!, [[0.7, 500]], [[0.69, 500]]);
    const f = h.trader.onBook('w2-yes', T0 + 1);
    expect(f.map((x) => [x.side, x.price, x.size])).toEqual([['SELL', 6900, 100]]);
    expect(f[0]!.reason).toMatch(/^take-profit/);
  });

  it('onEvents dispatches book changes, trades and resolutions for watched tokens', () => {
    const h = setup({ maxTokenPct: 1 });
    // Held-or-resting asked per token agrees with the set of them, at every step.
    const agrees = () => {
      const set = h.trader.watchedTokens();
      for (const t of ['w2-yes', 'w2-no', 'nobody']) expect(h.trader.watches(t)).toBe(set.has(t));
      return set.size;
    };
    expect(agrees()).toBe(0);
    // Nothing held or resting: a trade through any price fills nothing.
    h.trader.onEvents([{ type: 'last_trade_price', asset: 'w2-yes', market: '0x', price: 100, size: 5, side: 'SELL', ts: T0 }], T0);
    expect(h.trader.broker.positions.size).toBe(0);
    h.trader.submit({ tokenId: 'w2-yes', side: 'BUY', type: 'limit', limit: 4500, size: 20, reason: 'rest' }, T0);
    expect(agrees()).toBe(1);
    h.trader.onEvents([{ type: 'last_trade_price', asset: 'w2-yes', market: '0x', price: 4400, size: 5, side: 'SELL', ts: T0 }], T0 + 1);
    expect(h.trader.broker.positions.get('w2-yes')!.shares).toBe(5);
    expect(agrees()).toBe(1);
    h.trader.onEvents([{ type: 'market_resolved', id: 'w2', market: '0x', assetIds: ['w2-yes', 'w2-no'], winningAssetId: 'w2-yes', winningOutcome: 'Yes', ts: T0 }], T0 + 2);
    expect(h.trader.broker.positions.get('w2-yes')!.shares).toBe(0);
    expect(h.trader.broker.resting.size).toBe(0);
    expect(agrees()).toBe(0);
  });
});
