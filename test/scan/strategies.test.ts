import { describe, expect, it } from 'vitest';
import { allInCost, defaultStrategies, edgeAfterFees, feePerShare, parseStrategies, priorityOf, tierOf } from '../../src/scan/strategies.js';

const fee = (rate: number) => ({ rate, exponent: 1 });

describe('fees and edge (quant-anchors §3, §8)', () => {
  it('fee at p = 0.95, r = 0.05 is 0.002375 per share (0.24¢)', () => {
    expect(feePerShare(0.95, fee(0.05))).toBeCloseTo(0.002375, 12);
  });

  it('binary buy-both at asks 0.48 + 0.46 with r = 0.04 pays 0.01992 in fees', () => {
    expect(feePerShare(0.48, fee(0.04)) + feePerShare(0.46, fee(0.04))).toBeCloseTo(0.01992, 12);
  });

  it('fee is 0 when the rate is 0; exponent 2 squares p(1−p)', () => {
    expect(feePerShare(0.5, fee(0))).toBe(0);
    expect(feePerShare(0.5, { rate: 0.1, exponent: 2 })).toBeCloseTo(0.1 * 0.0625, 12);
  });

  it('"93.9% win rate" bought at an all-in cost of 0.94 has edge −0.001 per share, not +0.439', () => {
    expect(edgeAfterFees(0.939, 0.94, fee(0))).toBeCloseTo(-0.001, 12);
    const c = allInCost(0.93, fee(0.05));
    expect(c).toBeCloseTo(0.93 + 0.05 * 0.93 * 0.07, 12);
    expect(edgeAfterFees(0.939, 0.93, fee(0.05))).toBeCloseTo(0.939 - c, 12);
  });
});

describe('priority and tier', () => {
  it('tiers: 0.90 AUTO-TRADE, 0.89 ALERT, 0.75 ALERT, 0.74 WATCH, 0.60 WATCH, 0.59 IGNORE', () => {
    expect([0.9, 0.89, 0.75, 0.74, 0.6, 0.59, 0].map(tierOf)).toEqual(['AUTO-TRADE', 'ALERT', 'ALERT', 'WATCH', 'WATCH', 'IGNORE', 'IGNORE']);
  });

  it('unvalidated 97.1% with positive edge is capped at WATCH 0.74; with edge ≤ 0 at IGNORE 0.59', () => {
    expect(priorityOf({ claimedWinRate: 0.971, validation: undefined, cost: 0.9 })).toMatchObject({ priority: 0.74, cap: 'unvalidated' });
    expect(priorityOf({ claimedWinRate: 0.971, validation: undefined, cost: 0.98 })).toMatchObject({ priority: 0.59, cap: 'edge <= 0' });
  });

  it('no price → priority 0', () => {
    expect(priorityOf({ claimedWinRate: 0.971, validation: undefined, cost: undefined }).priority).toBe(0);
  });

  it('validated: Wilson LB 0.95 at cost 0.92 (edge 0.03) → AUTO-TRADE 0.95; at cost 0.94 (edge 0.01) → ALERT 0.89; failed backtest → 0.59', () => {
    const v = { n: 500, winRate: 0.97, winRateLower: 0.95, passed: true };
    expect(priorityOf({ claimedWinRate: 0.971, validation: v, cost: 0.92 }).priority).toBe(0.95);
    expect(priorityOf({ claimedWinRate: 0.971, validation: v, cost: 0.94 }).priority).toBe(0.89);
    expect(priorityOf({ claimedWinRate: 0.971, validation: { ...v, passed: false }, cost: 0.5 }).priority).toBe(0.59);
  });
});

describe('data/strategies.json', () => {
  it('holds the five embedded strategies with their claimed win rates and edges', () => {
    const s = defaultStrategies().strategies;
    expect(s.map((x) => [x.id, x.category, x.claimed.winRate, x.claimed.edge])).toEqual([
      ['MUSK_FADE_EXTREMES', 'Tech/Musk-Tweets', 0.971, 0.471],
      ['WEATHER_FADE_LONGSHOTS', 'Weather/Temperature', 0.939, 0.439],
      ['ALTCOIN_FADE_HIGH', 'Crypto/Altcoins', 0.923, 0.423],
      ['CRYPTO_FAVORITE_FADE', 'Crypto/BTC-Price', 0.619, 0.119],
      ['BTC_TIME_BIAS', 'Crypto/UpDown', 0.589, 0.089],
    ]);
    for (const x of s) {
      expect(x.scope.length, x.id).toBeGreaterThan(40);
      expect(x.pattern, x.id).toBeDefined();
      expect(x.side).toBe('BUY');
      expect(x.entry.priceBand[0]).toBeLessThan(x.entry.priceBand[1]);
      expect(x.entry.hoursToResolution[0]).toBeLessThan(x.entry.hoursToResolution[1]);
    }
  });

  it('a bad strategies file is an error value (duplicate id, bad band, bad regex)', () => {
    const base = { id: 'A', category: 'X', side: 'BUY', outcome: 'NO', entry: { priceBand: [0.8, 0.9], hoursToResolution: [1, 2] }, claimed: { winRate: 0.9, edge: 0.4 } };
    expect(parseStrategies({ version: 1, strategies: [base, base] })).toMatchObject({ ok: false });
    expect(parseStrategies({ version: 1, strategies: [{ ...base, entry: { ...base.entry, priceBand: [0.9, 0.8] } }] })).toMatchObject({ ok: false });
    expect(parseStrategies({ version: 1, strategies: [{ ...base, entry: { ...base.entry, questionPattern: '(' } }] })).toMatchObject({ ok: false });
    expect(parseStrategies({ version: 1, strategies: [base] })).toMatchObject({ ok: true });
  });
});
