// FAIR_VALUE earns its place or not: the signal arithmetic after fees, and the
// validation gate on the simulator's up/down history — efficient quotes must
// not validate; quotes that lag the reference path by minutes must.
import { describe, expect, it } from 'vitest';
import { fairSignal, validateFair } from '../../src/refdata/fair-strategy.js';
import { CryptoPaths } from '../../src/sim/crypto-paths.js';
import { upDownHistory } from '../../src/sim/crypto-history.js';

const FEE = { rate: 0.07, exponent: 1 };

describe('fairSignal', () => {
  it('fair 0.62 vs YES ask 0.55: cost 0.55 + 0.07·0.55·0.45 = 0.5673, edge 0.0527 → buy YES at a 3 % margin, not at 6 %', () => {
    const s = fairSignal(0.62, 0.55, 0.47, FEE, 0.03);
    expect(s).toMatchObject({ outcome: 'YES', ask: 0.55 });
    expect(s!.cost).toBeCloseTo(0.567325, 6);
    expect(s!.edge).toBeCloseTo(0.052675, 6);
    expect(fairSignal(0.62, 0.55, 0.47, FEE, 0.06)).toBeUndefined();
  });
  it('the NO side when fair is below the market; neutral fair never trades', () => {
    expect(fairSignal(0.3, 0.45, 0.57, FEE, 0.03)?.outcome).toBe('NO');
    expect(fairSignal(null, 0.01, 0.01, FEE, 0)).toBeUndefined();
  });
});

describe('validateFair on the simulator history', () => {
  const epoch = Date.parse('2026-11-01T00:00:00Z');
  const paths = new CryptoPaths('fv', epoch);

  it('efficient simulator quotes: the model does not beat the market price, so FAIR_VALUE is not validated', () => {
    const ev = upDownHistory(paths, epoch + 3 * 3_600_000, 600);
    const r = validateFair(ev, { resamples: 500 });
    expect(r.priced).toBe(600);
    expect(r.verdict).not.toBe('VALIDATED');
    expect(r.brierDiffCi[1]).toBeGreaterThan(0);
  });

  it('quotes lagging the path by 3 minutes: the model forecasts better and earns after fees out of sample → VALIDATED', () => {
    const ev = upDownHistory(paths, epoch + 3 * 3_600_000, 600, { staleMs: 180_000 });
    const r = validateFair(ev, { resamples: 500 });
    expect(r.brierModel).toBeLessThan(r.brierMarket);
    expect(r.verdict).toBe('VALIDATED');
    expect(r.roiCi[0]).toBeGreaterThan(0);
    expect(r.walkForward.roi).toBeGreaterThan(0);
  });

  it('too few windows is UNPROVEN whatever the numbers say', () => {
    const r = validateFair(upDownHistory(paths, epoch + 3 * 3_600_000, 50, { staleMs: 180_000 }), { resamples: 200 });
    expect(r.verdict).toBe('UNPROVEN');
    expect(r.reasons.join(' ')).toContain('< 300');
  });
});
