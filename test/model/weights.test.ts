// Dynamic strategy weights: worked examples of the visible arithmetic.
import { describe, expect, it } from 'vitest';
import { strategyWeights } from '../../src/model/weights.js';

describe('strategyWeights', () => {
  it('two validated strategies and one unproven: weights from the shrunk ROI lower bounds', () => {
    const w = strategyWeights([
      { strategy: 'A', verdict: 'VALIDATED', n: 300, roi: 0.05, roiCi: [0.02, 0.08] }, // 0.02 × 300/600 = 0.01
      { strategy: 'B', verdict: 'VALIDATED', n: 900, roi: 0.03, roiCi: [0.04, 0.05] }, // 0.04 × 900/1200 = 0.03
      { strategy: 'C', verdict: 'UNPROVEN', n: 2000, roi: 0.2, roiCi: [-0.01, 0.4] },
    ]);
    expect(w.map((x) => x.strategy)).toEqual(['A', 'B', 'C']);
    expect(w[0]!.score).toBeCloseTo(0.01, 12);
    expect(w[1]!.score).toBeCloseTo(0.03, 12);
    expect(w[0]!.weight).toBeCloseTo(0.25, 12);
    expect(w[1]!.weight).toBeCloseTo(0.75, 12);
    expect(w[2]!.weight).toBe(0);
    expect(w[0]!.arithmetic).toBe('ROI CI lower bound +2.00% (floored at 0) × n/(n+300) = 300/600 = 0.500 → score 0.01000; weight 0.01000 / 0.04000 = +25.00%');
    expect(w[2]!.arithmetic).toMatch(/^UNPROVEN over the recent window → score 0; weight 0\.00000/);
  });

  it('a strategy falling out of validation loses its weight; the others are renormalised', () => {
    const before = strategyWeights([
      { strategy: 'A', verdict: 'VALIDATED', n: 300, roi: 0.05, roiCi: [0.02, 0.08] },
      { strategy: 'B', verdict: 'VALIDATED', n: 300, roi: 0.05, roiCi: [0.02, 0.08] },
    ]);
    expect(before.map((x) => x.weight)).toEqual([0.5, 0.5]);
    const after = strategyWeights([
      { strategy: 'A', verdict: 'REJECTED', n: 400, roi: -0.05, roiCi: [-0.09, -0.01] },
      { strategy: 'B', verdict: 'VALIDATED', n: 300, roi: 0.05, roiCi: [0.02, 0.08] },
    ]);
    expect(after.map((x) => x.weight)).toEqual([0, 1]);
  });

  it('nothing validated: every weight 0, and it says so', () => {
    const w = strategyWeights([{ strategy: 'A', verdict: 'UNPROVEN', n: 10, roi: 0.5, roiCi: [-0.2, 1] }]);
    expect(w[0]!.weight).toBe(0);
    expect(w[0]!.arithmetic).toMatch(/no validated edge in the window → weight 0$/);
  });

  it('more evidence at the same lower bound weighs more', () => {
    const w = strategyWeights([
      { strategy: 'small', verdict: 'VALIDATED', n: 100, roi: 0.05, roiCi: [0.03, 0.08] },
      { strategy: 'large', verdict: 'VALIDATED', n: 1000, roi: 0.05, roiCi: [0.03, 0.08] },
    ]);
    expect(w[1]!.weight).toBeGreaterThan(w[0]!.weight);
    expect(w[0]!.weight + w[1]!.weight).toBeCloseTo(1, 12);
  });
});
