// What the signals detail shows for a crypto row: the fair value beside the
// market and the microstructure class on one line, the arithmetic, and where
// the inputs came from (provider, symbol, tier, age, volatility, funding).
import { describe, expect, it } from 'vitest';
import { fairValue } from '../../src/refdata/fair.js';
import { fairPaneView } from '../../src/refdata/fair-view.js';
import type { MappedRule } from '../../src/refdata/resolve.js';
import type { FairRow } from '../../src/refdata/service.js';

const MIN = 60_000;
const NOW = Date.parse('2026-02-03T19:45:00Z');
const RULE: MappedRule = { status: 'mapped', asset: 'BTC', kind: 'above', strike: 95_500, windowStart: null, resolvesAt: NOW + 30 * MIN, source: 'binance' };

function row(fair: FairRow['fair']): FairRow {
  return { marketId: 'm1', asset: 'BTC', kind: 'above', provider: 'binance', symbol: 'BTCUSDT', tier: 'resolved', spotAgeMs: 3_400, fair };
}

describe('fairPaneView', () => {
  it('"above $95,500 in 30 min" at S=96,000 σ=0.50: fair 0.94 · mkt 0.55 · micro WEAK_BULLISH, with d and P', () => {
    const fv = fairValue(RULE, { spot: { value: 96_000, source: 'binance BTCUSDT', tier: 'resolved', ageMs: 3_400 }, vol: { value: 0.5, kind: 'realised', source: 'binance BTCUSDT 1m EWMA', ageMs: 60_000 } }, NOW);
    const v = fairPaneView(row(fv), 0.55, 'WEAK_BULLISH', { rate: 0.0123, symbol: 'BTCUSDT_PERP.A' });
    expect(v.p).toBeCloseTo(0.93873, 4);
    expect(v.line).toBe('fair 0.94 · mkt 0.55 · micro WEAK_BULLISH');
    expect(v.explain).toContain('d=[ln(S/95500)−½σ²τ]/σ√τ=1.38');
    expect(v.explain).toContain('P=T4(d)=0.9387');
    expect(v.source).toBe('binance BTCUSDT · resolved · spot 3 s old · σ realised (binance BTCUSDT 1m EWMA) · funding +0.0123% (coinalyze BTCUSDT_PERP.A)');
  });

  it('neutral: no probability on the line, the reason instead of arithmetic, no market or micro when unknown', () => {
    const v = fairPaneView({ ...row({ status: 'neutral', reason: 'no spot price' }), tier: 'neutral', symbol: null, spotAgeMs: null }, undefined, undefined);
    expect(v.p).toBeNull();
    expect(v.line).toBe('fair neutral · mkt — · micro —');
    expect(v.explain).toBe('neutral: no spot price (no probability, no signal)');
    expect(v.source).toBe('binance — · neutral · no spot');
  });
});
