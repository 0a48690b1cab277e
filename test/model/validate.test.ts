// Walk-forward validation of the scorer: an efficient market is never
// VALIDATED, a real edge is; no outcome from a later block can move an earlier
// fold; the statistics have worked examples.
import { describe, expect, it } from 'vitest';
import { bootstrapSkill, ece, tradeOf, validateScorer } from '../../src/model/validate.js';
import { defaultFeatureSpec } from '../../src/model/features.js';
import { DAY, synthetic } from './helpers.js';

const featureHash = defaultFeatureSpec().hash;

describe('validateScorer', () => {
  it('efficient prices (labels drawn from the price itself): skill interval straddles 0, not VALIDATED', () => {
    for (const seed of ['eff-1', 'eff-2', 'eff-3']) {
      const r = validateScorer(synthetic({ events: 2000, signal: 0, seed }), { featureHash, resamples: 500 });
      expect(r.events).toBeGreaterThan(1000);
      expect(r.verdict).not.toBe('VALIDATED');
      expect(r.brierSkillCi[0]).toBeLessThan(0);
      expect(Math.abs(r.brierSkill)).toBeLessThan(0.01);
    }
  });

  it('a real edge the price ignores: skill > 0 with the interval above 0 → VALIDATED, ROI after fees positive', () => {
    const r = validateScorer(synthetic({ events: 2000, signal: 1.5, seed: 'edge' }), { featureHash, resamples: 500 });
    expect(r.brierSkill).toBeGreaterThan(0.02);
    expect(r.brierSkillCi[0]).toBeGreaterThan(0);
    expect(r.verdict).toBe('VALIDATED');
    expect(r.reasons).toEqual([]);
    expect(r.trades).toBeGreaterThan(100);
    expect(r.roiCi[0]).toBeGreaterThan(0);
    expect(r.ece.model).toBeLessThan(0.05);
    expect(r.model?.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('too few out-of-sample events stays UNPROVEN even with an edge', () => {
    const r = validateScorer(synthetic({ events: 300, signal: 1.5, seed: 'few' }), { featureHash, resamples: 200, minTrainEvents: 50 });
    expect(r.events).toBeLessThan(300);
    expect(r.verdict).toBe('UNPROVEN');
    expect(r.reasons[0]).toMatch(/out-of-sample events < 300/);
  });

  it('walk-forward: folds are in resolution order, embargoed, and later outcomes never change an earlier fold', () => {
    const s = synthetic({ events: 1500, signal: 1, seed: 'wf' });
    const a = validateScorer(s, { featureHash, resamples: 100, embargoMs: 2 * DAY });
    expect(a.folds.length).toBeGreaterThanOrEqual(4);
    for (const f of a.folds) expect(f.cutoffMs).toBe(f.fromMs - 2 * DAY);
    for (let k = 1; k < a.folds.length; k++) expect(a.folds[k]!.fromMs).toBeGreaterThanOrEqual(a.folds[k - 1]!.fromMs);
    // Flip every label resolved after fold 2's test window: folds 1–2 must not move.
    const last = a.folds[1]!.toMs + DAY;
    const y = Float64Array.from(s.y, (v, i) => (s.resolvedMs[i]! > last ? 1 - v : v));
    const b = validateScorer({ ...s, y }, { featureHash, resamples: 100, embargoMs: 2 * DAY });
    expect(b.folds[0]).toEqual(a.folds[0]);
    expect(b.folds[1]).toEqual(a.folds[1]);
    expect(b.folds.at(-1)!.modelHash).not.toBe(a.folds.at(-1)!.modelHash);
    // Train events always resolved before the cutoff, so none is also a test event.
    for (const f of a.folds) expect(f.trainEvents).toBeLessThan(1500);
  });

  it('is deterministic: same samples and seed → identical report', () => {
    const s = synthetic({ events: 800, signal: 0.5, seed: 'same' });
    expect(validateScorer(s, { featureHash, resamples: 200, seed: 3 })).toEqual(validateScorer(s, { featureHash, resamples: 200, seed: 3 }));
  });
});

describe('statistics', () => {
  it('ece: bin 0.15 realised 0.25 (off 0.10, half the rows), bin 0.75 realised 0.75 → 0.05', () => {
    const f = [0.15, 0.15, 0.15, 0.15, 0.75, 0.75, 0.75, 0.75];
    const y = [0, 0, 0, 1, 1, 1, 1, 0]; // rates 0.25 (|0.10|), 0.75 (|0|)
    expect(ece(f, y)).toBeCloseTo(0.05, 12);
  });

  it('tradeOf: buys the side the model prices ≥ 2¢ above its all-in cost', () => {
    // mid 0.40, half spread 0.01: YES ask 0.41, fee 0.02·0.41·0.59 = 0.004838 → cost 0.414838
    const t = tradeOf(0.45, 0.4, 0.01, { rate: 0.02, exponent: 1 }, 0.02)!;
    expect(t.side).toBe(0);
    expect(t.cost).toBeCloseTo(0.414838, 9);
    expect(tradeOf(0.42, 0.4, 0.01, { rate: 0.02, exponent: 1 }, 0.02)).toBeUndefined();
    expect(tradeOf(0.3, 0.4, 0.01, { rate: 0, exponent: 1 }, 0.02)).toEqual({ side: 1, cost: 0.61 });
  });

  it('bootstrapSkill: identical errors → [0, 0]; model half the market error → 0.5', () => {
    expect(bootstrapSkill([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], 100, 's')).toEqual([0, 0]);
    const [lo, hi] = bootstrapSkill([0.05, 0.1, 0.15], [0.1, 0.2, 0.3], 100, 's');
    expect(lo).toBeCloseTo(0.5, 12);
    expect(hi).toBeCloseTo(0.5, 12);
  });
});
