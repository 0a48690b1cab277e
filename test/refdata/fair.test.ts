// Fair probability worked examples. Expected numbers were computed by hand
// from the formulas in the test names (erfc-based Φ, closed-form t with ν = 4).
import { describe, expect, it } from 'vitest';
import { ewmaVol, explainFair, fairValue, normCdf, pickVol, t4Cdf, tailWeight, touchProb, YEAR_MS, type MarketInputs } from '../../src/refdata/fair.js';
import type { MappedRule } from '../../src/refdata/resolve.js';

const MIN = 60_000;
const NOW = Date.parse('2026-02-03T19:45:00Z');
const rule = (o: Partial<MappedRule>): MappedRule => ({ status: 'mapped', asset: 'BTC', kind: 'above', strike: 95_500, windowStart: null, resolvesAt: NOW + 30 * MIN, source: 'binance', ...o });
const inputs = (spot: number, sigma: number, extra: Partial<MarketInputs> = {}): MarketInputs => ({ spot: { value: spot, source: 'binance', tier: 'resolved', ageMs: 1_000 }, vol: { value: sigma, kind: 'implied', source: 'deribit', ageMs: 60_000 }, ...extra });

describe('distribution functions', () => {
  it('Φ(0)=0.5, Φ(1.96)=0.9750, Φ(−1)=0.1587', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normCdf(-1)).toBeCloseTo(0.158655, 5);
  });
  it('t(ν=4): F(0)=0.5, F(2.132)=0.95 (table value), symmetric', () => {
    expect(t4Cdf(0)).toBe(0.5);
    expect(t4Cdf(2.132)).toBeCloseTo(0.95, 3);
    expect(t4Cdf(-1.5) + t4Cdf(1.5)).toBeCloseTo(1, 12);
  });
  it('tail weight: 1 up to 1 h, 0 from 24 h, 0.5 at √24 h ≈ 4.9 h (log-linear)', () => {
    expect(tailWeight(30 * MIN)).toBe(1);
    expect(tailWeight(24 * 60 * MIN)).toBe(0);
    expect(tailWeight(Math.sqrt(24) * 60 * MIN)).toBeCloseTo(0.5, 10);
  });
});

describe('fairValue', () => {
  it('"Will BTC be above $95,500 at 3:45 PM?" S=96,000 σ=0.50 τ=30 min: d=1.381, P=T4(d·√2)=0.9387 (normal would say 0.9164)', () => {
    const v = fairValue(rule({}), inputs(96_000, 0.5), NOW);
    expect(v.status).toBe('priced');
    if (v.status !== 'priced') return;
    expect(v.p).toBeCloseTo(0.93873, 4);
    expect(v.inputs).toMatchObject({ spot: 96_000, sigma: 0.5, sigmaKind: 'implied', tauMs: 30 * MIN, tailWeight: 1, strike: 95_500, tier: 'resolved' });
    expect(v.d![0]).toBeCloseTo(1.38097, 4);
    const text = explainFair('above', v);
    expect(text).toContain('d=[ln(S/95500)−½σ²τ]/σ√τ=1.38');
    expect(text).toContain('P=T4(d)=0.9387');
    expect(text).toContain('binance, resolved, 1 s');
  });

  it('heavier tails for short horizons: 10 % out of the money in 15 min (d≈−35.6): Φ gives < 1e-30, T4 gives 4.6e-7', () => {
    const r = rule({ strike: 105_600, resolvesAt: NOW + 15 * MIN });
    const v = fairValue(r, inputs(96_000, 0.5), NOW);
    if (v.status !== 'priced') throw new Error('not priced');
    const sd = 0.5 * Math.sqrt((15 * MIN) / YEAR_MS);
    const d = (Math.log(96_000 / 105_600) - 0.5 * sd * sd) / sd;
    expect(normCdf(d)).toBeLessThan(1e-30);
    expect(v.p).toBeGreaterThan(3e-7);
    expect(v.p).toBeLessThan(6e-7);
  });

  it('one day out uses the normal law: S=100,000 K=102,000 σ=0.60 τ=24 h → d=−0.6465, P=Φ(d)=0.2590', () => {
    const v = fairValue(rule({ strike: 102_000, resolvesAt: NOW + 24 * 60 * MIN }), inputs(100_000, 0.6), NOW);
    if (v.status !== 'priced') throw new Error('not priced');
    expect(v.p).toBeCloseTo(0.25899, 4);
    expect(v.inputs.tailWeight).toBe(0);
  });

  it('below = 1 − above; range [95,500, 96,500) at S=96,000 σ=0.5 τ=30 min = 0.8771', () => {
    const a = fairValue(rule({}), inputs(96_000, 0.5), NOW);
    const b = fairValue(rule({ kind: 'below' }), inputs(96_000, 0.5), NOW);
    if (a.status !== 'priced' || b.status !== 'priced') throw new Error('not priced');
    expect(a.p + b.p).toBeCloseTo(1, 12);
    const r = fairValue(rule({ kind: 'range', strike: 95_500, strikeHigh: 96_500 }), inputs(96_000, 0.5), NOW);
    if (r.status !== 'priced') throw new Error('not priced');
    expect(r.p).toBeCloseTo(0.87712, 4);
  });

  it('up/down after the window opens: S0=60,000, S=60,120, σ=0.45, 5 min left → P(up)=0.9442', () => {
    const r = rule({ asset: 'BTC', kind: 'updown', strike: null, windowStart: NOW - 10 * MIN, resolvesAt: NOW + 5 * MIN, source: 'chainlink' });
    const v = fairValue(r, inputs(60_120, 0.45, { startPrice: 60_000 }), NOW);
    if (v.status !== 'priced') throw new Error('not priced');
    expect(v.p).toBeCloseTo(0.94425, 4);
    expect(v.inputs.startPrice).toBe(60_000);
  });

  it('touch (reach 110 from 100, σ=0.8, 30 days): reflection with drift −½σ² → 0.6449; already through the level → 1', () => {
    expect(touchProb('reach', 100, 110, 0.8, (30 * 24 * 60 * MIN) / YEAR_MS)).toBeCloseTo(0.64492, 4);
    expect(touchProb('reach', 111, 110, 0.8, 0.01)).toBe(1);
    expect(touchProb('dip', 100, 90, 0.8, 0.01)).toBeGreaterThan(0);
    expect(touchProb('dip', 89, 90, 0.8, 0.01)).toBe(1);
  });

  it('missing or stale inputs → neutral, never a price', () => {
    const r = rule({});
    expect(fairValue(r, {}, NOW)).toMatchObject({ status: 'neutral', reason: 'no spot price' });
    expect(fairValue(r, { spot: { value: 96_000, source: 'x', tier: 'neutral', ageMs: 0 } }, NOW).status).toBe('neutral');
    expect(fairValue(r, inputs(96_000, 0.5, { spot: { value: 96_000, source: 'x', tier: 'resolved', ageMs: 120_000 } }), NOW)).toMatchObject({ status: 'neutral', reason: expect.stringContaining('old') });
    expect(fairValue(r, { spot: { value: 96_000, source: 'x', tier: 'aggregated', ageMs: 0 } }, NOW)).toMatchObject({ status: 'neutral', reason: 'no volatility' });
    expect(fairValue(r, inputs(96_000, 0.5), r.resolvesAt + 1)).toMatchObject({ status: 'neutral' });
    const ud = rule({ kind: 'updown', strike: null, windowStart: NOW + MIN, resolvesAt: NOW + 16 * MIN });
    expect(fairValue(ud, inputs(96_000, 0.5, { startPrice: 1 }), NOW)).toMatchObject({ status: 'neutral', reason: expect.stringContaining('window not open') });
    expect(fairValue({ ...ud, windowStart: NOW - MIN }, inputs(96_000, 0.5), NOW)).toMatchObject({ status: 'neutral', reason: expect.stringContaining('start price') });
  });
});

describe('volatility inputs', () => {
  it('EWMA of alternating ±0.1 % 1-minute returns is 0.001·√(minutes per year) ≈ 0.7250', () => {
    const prices = [100];
    for (let i = 0; i < 60; i++) prices.push(prices[i]! * (i % 2 ? Math.exp(0.001) : Math.exp(-0.001)));
    expect(ewmaVol(prices, MIN)).toBeCloseTo(0.001 * Math.sqrt(YEAR_MS / MIN), 6);
    expect(ewmaVol(prices.slice(0, 5), MIN)).toBeUndefined();
  });
  it('implied wins when fresh, realised otherwise, nothing when both are stale', () => {
    const iv = { value: 0.5, kind: 'implied' as const, source: 'deribit', ageMs: 10 };
    const rv = { value: 0.4, kind: 'realised' as const, source: 'binance', ageMs: 10 };
    expect(pickVol(iv, rv)).toBe(iv);
    expect(pickVol({ ...iv, ageMs: 1e9 }, rv)).toBe(rv);
    expect(pickVol(undefined, { ...rv, ageMs: 1e9 })).toBeUndefined();
  });
});
