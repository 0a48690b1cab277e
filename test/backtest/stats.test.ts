// The arithmetic of scoring a binary contract, with the worked numbers of
// research/quant-anchors.md §3 and §5 in the test names.
import { describe, expect, it } from 'vitest';
import { bootstrapRoi, brier, calibrationBins, eventsToDetect, quantileSorted, roiOf, seededRandom, wilson } from '../../src/backtest/stats.js';

describe('Wilson 95% interval of a 93.9% win rate (quant-anchors §5; wins are whole: k = round(0.939·n))', () => {
  const at = (n: number) => wilson(Math.round(0.939 * n) / n, n);
  it('n = 33 → [0.80, 0.98]', () => {
    const [lo, hi] = at(33);
    expect(lo.toFixed(2)).toBe('0.80');
    expect(hi.toFixed(2)).toBe('0.98');
  });
  it('n = 100 → [0.875, 0.972]', () => {
    const [lo, hi] = at(100);
    expect(lo.toFixed(3)).toBe('0.875');
    expect(hi.toFixed(3)).toBe('0.972');
  });
  it('n = 500 → [0.916, 0.958]', () => {
    const [lo, hi] = at(500);
    expect(lo.toFixed(3)).toBe('0.916');
    expect(hi.toFixed(3)).toBe('0.958');
  });
  it('the interval narrows as n grows and always contains p̂', () => {
    const w = [33, 100, 500].map((n) => at(n)[1] - at(n)[0]);
    expect(w[0]).toBeGreaterThan(w[1]!);
    expect(w[1]).toBeGreaterThan(w[2]!);
  });
  it('n = 0 is uninformative [0, 1]; 100% wins still has a lower bound well below 1', () => {
    expect(wilson(0, 0)).toEqual([0, 1]);
    const [lo, hi] = wilson(1, 50);
    expect(hi).toBeCloseTo(1, 12);
    expect(lo).toBeLessThan(0.95);
  });
});

describe('ROI per dollar and break-even', () => {
  it('buying NO at an all-in 0.94 with a 93.9% win rate: ROI = (0.939 − 0.94)/0.94 = −0.1%', () => {
    expect(roiOf(0.939, 0.94)).toBeCloseTo(-0.00106, 5);
    expect((roiOf(0.939, 0.94) * 100).toFixed(1)).toBe('-0.1');
  });
  it('at an all-in 0.90 the same win rate gives +4.3%', () => {
    expect((roiOf(0.939, 0.9) * 100).toFixed(1)).toBe('4.3');
  });
  it('break-even win rate = cost: ROI is 0 exactly when the win rate equals c', () => {
    for (const c of [0.05, 0.5, 0.94, 0.99]) expect(roiOf(c, c)).toBe(0);
  });
  it('events to detect a 2¢ edge at c = 0.94: 542; a 1¢ edge: 2,167', () => {
    expect(eventsToDetect(0.94, 0.02)).toBe(542);
    expect(eventsToDetect(0.94, 0.01)).toBe(2167);
  });
});

describe('Brier score', () => {
  const outcomes = [1, 1, 1, 1, 0, 1, 1, 1, 1, 0]; // 80% YES
  it('a perfect forecast scores 0; a constant 0.5 scores 0.25', () => {
    expect(brier(outcomes, outcomes)).toBe(0);
    expect(brier(outcomes.map(() => 0.5), outcomes)).toBe(0.25);
  });
  it('perfectly calibrated 0.8 for an 80% base rate scores p(1−p) = 0.16, better than a constant 0.5 and than a wrong 0.2', () => {
    expect(brier(outcomes.map(() => 0.8), outcomes)).toBeCloseTo(0.16, 12);
    expect(brier(outcomes.map(() => 0.2), outcomes)).toBeCloseTo(0.64 * 0.8 + 0.04 * 0.2, 12);
  });
  it('a sharp calibrated forecast beats the constant base rate', () => {
    // Two kinds of events: 90% ones and 10% ones, half each; forecasts know which.
    const f: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      const hi = i < 50;
      f.push(hi ? 0.9 : 0.1);
      y.push(hi ? (i % 10 === 0 ? 0 : 1) : i % 10 === 0 ? 1 : 0);
    }
    expect(brier(f, y)).toBeCloseTo(0.09, 12);
    expect(brier(f.map(() => 0.5), y)).toBeCloseTo(0.25, 12);
  });
});

describe('calibration bins', () => {
  it('groups forecasts in tenths with mean price and realised rate', () => {
    const bins = calibrationBins([0.05, 0.07, 0.93, 0.95, 1], [0, 1, 1, 1, 1], 10);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toMatchObject({ lo: 0, hi: 0.1, n: 2, rate: 0.5 });
    expect(bins[0]!.price).toBeCloseTo(0.06, 12);
    expect(bins[1]).toMatchObject({ lo: 0.9, n: 3, rate: 1 });
  });
});

describe('event bootstrap of ROI', () => {
  const pnl: number[] = [];
  const cost: number[] = [];
  for (let i = 0; i < 400; i++) {
    const win = i % 20 !== 0 ? 1 : 0; // 95%
    pnl.push(win - 0.93);
    cost.push(0.93);
  }
  it('is deterministic for a seed and differs across seeds', () => {
    const a = bootstrapRoi(pnl, cost, { resamples: 500, seed: 'x' });
    const b = bootstrapRoi(pnl, cost, { resamples: 500, seed: 'x' });
    const c = bootstrapRoi(pnl, cost, { resamples: 500, seed: 'y' });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(seededRandom(7)()).toBe(seededRandom('7')());
  });
  it('brackets the sample ROI (0.95 − 0.93)/0.93 = +2.15%', () => {
    const r = bootstrapRoi(pnl, cost, { resamples: 2000, seed: 1 });
    const roi = (0.95 - 0.93) / 0.93;
    expect(r.lo).toBeLessThan(roi);
    expect(r.hi).toBeGreaterThan(roi);
    // Standard error of the win rate √(0.95·0.05/400) ≈ 0.0109 → ±2.3% ROI at 95%.
    expect(r.hi - r.lo).toBeGreaterThan(0.03);
    expect(r.hi - r.lo).toBeLessThan(0.06);
  });
  it('quantiles interpolate linearly', () => {
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileSorted([1, 2, 3], 1)).toBe(3);
  });
});
