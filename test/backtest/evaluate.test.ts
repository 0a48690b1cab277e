// The validation gate, branch by branch, on synthetic markets with a known
// edge; one trade per event; the walk-forward fit; the scan's validation map.
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateAll, validationMap, verdictOf } from '../../src/backtest/evaluate.js';
import { subBands, walkForward } from '../../src/backtest/walk-forward.js';
import type { Candidate, Progress } from '../../src/backtest/types.js';
import { DAY, HOUR, T0, fadeEvents, flat, market, strategy } from './helpers.js';

describe('verdict', () => {
  it('VALIDATED: a true edge over 400 events (NO at mid 0.90, c ≈ 0.914, wins 97%)', () => {
    const r = evaluate(fadeEvents(400, 0.9, 0.97), strategy());
    expect(r.n).toBe(400);
    expect(r.winRate).toBeCloseTo(0.97, 2);
    expect(r.avgCost).toBeCloseTo(0.91 + 0.05 * 0.91 * 0.09, 10);
    expect(r.wilson[0]).toBeGreaterThan(r.avgCost);
    expect(r.roiCi[0]).toBeGreaterThan(0);
    expect(r.walkForward.roi).toBeGreaterThan(0);
    expect(r.verdict).toBe('VALIDATED');
    expect(r.reasons).toEqual([]);
  });

  it('REJECTED: a negative edge (NO at mid 0.93, c ≈ 0.943, wins 85%): the whole ROI interval is below 0', () => {
    const r = evaluate(fadeEvents(400, 0.93, 0.85), strategy());
    expect(r.roi).toBeCloseTo((0.85 - r.avgCost) / r.avgCost, 2);
    expect(r.roiCi[1]).toBeLessThan(0);
    expect(r.verdict).toBe('REJECTED');
    expect(r.reasons[0]).toMatch(/entirely below 0/);
  });

  it('UNPROVEN: the same true edge over only 50 events (n < 300)', () => {
    const r = evaluate(fadeEvents(50, 0.9, 0.97), strategy());
    expect(r.n).toBe(50);
    expect(r.verdict).toBe('UNPROVEN');
    expect(r.reasons).toContain('n 50 < 300 events');
  });

  it('UNPROVEN: n ≥ 300 but no edge (wins at the break-even rate)', () => {
    const r = evaluate(fadeEvents(400, 0.93, 0.943), strategy());
    expect(r.n).toBe(400);
    expect(r.roiCi[0]).toBeLessThan(0);
    expect(r.roiCi[1]).toBeGreaterThan(0);
    expect(r.verdict).toBe('UNPROVEN');
  });

  it('the seed-000 claim "93.9% at 0.94" is not an edge: ROI −0.1%, Wilson lower bound below the cost', () => {
    const v = verdictOf({ n: 500, wilson: [0.916, 0.958], avgCost: 0.94, roiCi: [-0.03, 0.028], walkForward: { roi: -0.001 } });
    expect(v.verdict).toBe('UNPROVEN');
    expect(v.reasons.join(' ')).toMatch(/Wilson lower bound 0.916 <= break-even 0.940/);
  });

  it('no trades: UNPROVEN with every reason, and left out of the validation map', () => {
    const r = evaluate(fadeEvents(20, 0.9, 1), strategy({ category: 'Tech/Musk' }));
    expect(r.n).toBe(0);
    expect(r.verdict).toBe('UNPROVEN');
    expect(validationMap([r])).toEqual({});
  });
});

describe('independent events', () => {
  it('counts events, not contracts: three buckets of one event are one trade (the first by entry time, then id)', () => {
    const end = T0 + 10 * DAY;
    const ms = ['b', 'a', 'c'].map((id) => market({ id, eventId: 'one', endMs: end, winner: 1, points: flat(end - 2 * DAY, end, 0.05) }));
    const r = evaluate(ms, strategy());
    expect(r.n).toBe(1);
    expect(r.trades[0]!.marketId).toBe('a');
    expect(r.skipped['same event']).toBe(2);
  });

  it('the bootstrap is deterministic for a seed', () => {
    const ms = fadeEvents(300, 0.9, 0.95);
    const a = evaluate(ms, strategy(), { bootstrap: { seed: 42, resamples: 500 } });
    const b = evaluate(ms, strategy(), { bootstrap: { seed: 42, resamples: 500 } });
    const c = evaluate(ms, strategy(), { bootstrap: { seed: 43, resamples: 500 } });
    expect(a.roiCi).toEqual(b.roiCi);
    expect(c.roiCi).not.toEqual(a.roiCi);
  });
});

describe('walk-forward', () => {
  it('ten sub-bands of the strategy band, the full band first', () => {
    const b = subBands([0.85, 0.99]);
    expect(b).toHaveLength(10);
    expect(b[0]).toEqual([0.85, 0.99]);
    expect(b).toContainEqual([0.885, 0.92]);
  });

  it('fits the band on earlier events and trades it on the next fold (edge only below 0.92)', () => {
    // Each event has two candidates: first (by time) a NO at 0.97 that wins 90%, then a NO at 0.87 that always wins.
    const events: Candidate[][] = [];
    for (let i = 0; i < 500; i++) {
      const t = T0 + i * HOUR;
      events.push([
        { market: 2 * i, entryMs: t, mid: 0.96, ask: 0.97, fee: 0, cost: 0.97, win: i % 10 === 0 ? 0 : 1 },
        { market: 2 * i + 1, entryMs: t + 1, mid: 0.86, ask: 0.87, fee: 0, cost: 0.87, win: 1 },
      ]);
    }
    const wf = walkForward(events, [0.85, 0.99]);
    expect(wf.folds).toHaveLength(4);
    for (const f of wf.folds) expect(f.band[1]).toBeLessThan(0.97);
    expect(wf.roi).toBeCloseTo(1 / 0.87 - 1, 10);
    expect(wf.trades).toBe(400);
    // Trading the full band would have lost: first candidates win 90% at 0.97.
    expect(0.9 / 0.97 - 1).toBeLessThan(0);
  });

  it('needs at least two events per fold', () => {
    expect(walkForward([], [0.85, 0.99]).roi).toBeUndefined();
  });
});

describe('evaluateAll and the validation map', () => {
  it('reports progress per strategy and phase, and exports {n, winRate, winRateLower, passed, avgCost, roi}', () => {
    const ms = fadeEvents(400, 0.9, 0.97);
    const seen: Progress[] = [];
    const reports = evaluateAll(ms, [strategy(), strategy({ id: 'OTHER', category: 'Tech/Musk' })], { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => `${p.index}/${p.total} ${p.phase}`)).toEqual([
      '0/2 entries', '0/2 bootstrap', '0/2 walk-forward', '0/2 done',
      '1/2 entries', '1/2 bootstrap', '1/2 walk-forward', '1/2 done',
    ]);
    const map = validationMap(reports);
    expect(Object.keys(map)).toEqual(['TEST_FADE']);
    const v = map['TEST_FADE']!;
    expect(v).toEqual({ n: 400, winRate: reports[0]!.winRate, winRateLower: reports[0]!.wilson[0], passed: true, avgCost: reports[0]!.avgCost, roi: reports[0]!.roi });
  });

  it('Brier of the market price and of the claimed rate; equity is the running P&L', () => {
    const r = evaluate(fadeEvents(100, 0.9, 0.9), strategy({ claimed: 0.99 }));
    expect(r.brier.market).toBeCloseTo(0.09, 10);
    expect(r.brier.claimed).toBeCloseTo(0.9 * 0.0001 + 0.1 * 0.9801, 10);
    expect(r.equity).toHaveLength(100);
    expect(r.equity[99]).toBeCloseTo(r.wins - r.n * r.avgCost, 10);
  });
});
