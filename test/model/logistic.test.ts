// Newton's method on known problems, Platt calibration, and the model's hash.
import { describe, expect, it } from 'vitest';
import { choleskySolve, fitLogistic, fitPlatt } from '../../src/model/logistic.js';
import { predict, scoreOf, trainModel } from '../../src/model/model.js';
import { defaultFeatureSpec, logit, sigmoid } from '../../src/model/features.js';
import { Rng } from '../../src/rng.js';
import { F, synthetic } from './helpers.js';

describe('choleskySolve', () => {
  it('solves a 2×2 system: [[4,2],[2,3]]·x = [2,1] → x = [0.5, 0]', () => {
    const out = new Float64Array(2);
    choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), out, 2);
    expect(out[0]).toBeCloseTo(0.5, 12);
    expect(out[1]).toBeCloseTo(0, 12);
  });
});

function design(n: number, w: number[], seed: string, offsetOf: (i: number) => number) {
  const rng = new Rng(seed);
  const d = w.length;
  const x = new Float64Array(n * d);
  const offset = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i * d] = 1;
    let e = offsetOf(i);
    offset[i] = e;
    e += w[0]!;
    for (let j = 1; j < d; j++) {
      const v = rng.next() * 4 - 2;
      x[i * d + j] = v;
      e += w[j]! * v;
    }
    y[i] = rng.next() < sigmoid(e) ? 1 : 0;
  }
  return { x, n, d, offset, y };
}

describe('fitLogistic', () => {
  it('recovers known weights on top of an offset (n = 40,000, weak penalty)', () => {
    const D = design(40_000, [0.3, -0.8, 0.5, 0], 'recover', (i) => ((i % 7) - 3) / 2);
    const r = fitLogistic(D, { lambda: 0.01 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(15);
    expect(r.w[0]).toBeCloseTo(0.3, 1);
    expect(r.w[1]).toBeCloseTo(-0.8, 1);
    expect(r.w[2]).toBeCloseTo(0.5, 1);
    expect(Math.abs(r.w[3]!)).toBeLessThan(0.05);
  });

  it('a strong penalty pulls every non-intercept weight to 0: the offset (the market) stands', () => {
    const D = design(5_000, [0, -0.8, 0.5], 'shrink', () => 0);
    const weak = fitLogistic(D, { lambda: 0.01 });
    const strong = fitLogistic(D, { lambda: 1e7 });
    expect(Math.abs(strong.w[1]!)).toBeLessThan(Math.abs(weak.w[1]!) / 100);
    expect(Math.abs(strong.w[2]!)).toBeLessThan(Math.abs(weak.w[2]!) / 100);
  });
});

describe('fitPlatt', () => {
  it('finds the slope of an overconfident score: truth = σ(0.5·η) → b ≈ 0.5', () => {
    const rng = new Rng('platt');
    const eta = new Float64Array(50_000);
    const y = new Float64Array(50_000);
    for (let i = 0; i < eta.length; i++) {
      eta[i] = rng.next() * 8 - 4;
      y[i] = rng.next() < sigmoid(0.5 * eta[i]!) ? 1 : 0;
    }
    const { a, b } = fitPlatt(eta, y);
    expect(b).toBeCloseTo(0.5, 1);
    expect(Math.abs(a)).toBeLessThan(0.05);
  });
});

describe('trainModel', () => {
  const hash = defaultFeatureSpec().hash;

  it('same data and seed → same hash; another seed or one changed label → another', () => {
    const s = synthetic({ events: 600, signal: 1, seed: 'det' });
    const a = trainModel(s, { featureHash: hash, nowMs: 1, seed: 7 });
    const b = trainModel(synthetic({ events: 600, signal: 1, seed: 'det' }), { featureHash: hash, nowMs: 999, seed: 7 });
    expect(b.hash).toBe(a.hash);
    expect(trainModel(s, { featureHash: hash, nowMs: 1, seed: 8 }).hash).not.toBe(a.hash);
    const y2 = Float64Array.from(s.y);
    y2[5] = 1 - y2[5]!;
    expect(trainModel({ ...s, y: y2 }, { featureHash: hash, nowMs: 1, seed: 7 }).hash).not.toBe(a.hash);
  });

  it('learns a real signal as a correction to the price: the OFI weight is positive', () => {
    const s = synthetic({ events: 3000, signal: 1.5, seed: 'learn' });
    const m = trainModel(s, { featureHash: hash, nowMs: 0 });
    expect(m.w[F.ofi]! * m.calib.b).toBeGreaterThan(0.8);
    // A market at 0.5 with strong buy pressure scores above 0.5, with sell pressure below.
    const spec = defaultFeatureSpec();
    const up = predict(m, spec.vector({ atMs: 0, mid: 0.5, endMs: 86_400_000, category: 'Weather/Temperature', ofi: 1 }), 0.5);
    const down = predict(m, spec.vector({ atMs: 0, mid: 0.5, endMs: 86_400_000, category: 'Weather/Temperature', ofi: -1 }), 0.5);
    expect(up).toBeGreaterThan(0.6);
    expect(down).toBeLessThan(0.4);
  });

  it('on an efficient market the model stays close to the price', () => {
    const s = synthetic({ events: 3000, signal: 0, seed: 'flat' });
    const m = trainModel(s, { featureHash: hash, nowMs: 0 });
    const spec = defaultFeatureSpec();
    for (const mid of [0.05, 0.3, 0.5, 0.8, 0.95]) {
      const q = predict(m, spec.vector({ atMs: 0, mid, endMs: 86_400_000, category: 'Weather/Temperature', ofi: 0.5 }), mid);
      expect(Math.abs(logit(q) - logit(mid))).toBeLessThan(0.25);
    }
  });

  it('an expired model or one for another feature layout is not used', () => {
    const s = synthetic({ events: 300, signal: 1, seed: 'exp' });
    const m = trainModel(s, { featureHash: hash, nowMs: 1000, expiryMs: 60_000 });
    const x = s.x.subarray(0, s.d);
    expect(scoreOf(m, hash, x, 0.4, 1000 + 59_999)).toBeTypeOf('number');
    expect(scoreOf(m, hash, x, 0.4, 1000 + 60_000)).toBeUndefined();
    expect(scoreOf(m, 'other', x, 0.4, 1000)).toBeUndefined();
    expect(scoreOf(undefined, hash, x, 0.4, 1000)).toBeUndefined();
  });
});
