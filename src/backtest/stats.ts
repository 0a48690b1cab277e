// The statistics of scoring a binary contract honestly (research/quant-anchors.md
// §3, §5, §8C): Wilson intervals, event bootstrap of ROI, Brier score and
// calibration bins. Pure functions; the bootstrap is seeded.
import { Rng } from '../rng.js';

/** z for a two-sided 95% interval. */
export const Z95 = 1.959964;

/**
 * Wilson score interval for a proportion p̂ over n trials:
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n). [0, 1] when n = 0.
 */
export function wilson(pHat: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const z2 = z * z;
  const d = 1 + z2 / n;
  const center = (pHat + z2 / (2 * n)) / d;
  const half = (z * Math.sqrt((pHat * (1 - pHat)) / n + z2 / (4 * n * n))) / d;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** ROI per dollar of buying at all-in cost c with win rate w: (w − c)/c. Break-even is w = c. */
export function roiOf(winRate: number, cost: number): number {
  return (winRate - cost) / cost;
}

/** Mean squared error of probability forecasts against 0/1 outcomes. */
export function brier(forecasts: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  const n = forecasts.length;
  if (n === 0 || n !== outcomes.length) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = forecasts[i]! - outcomes[i]!;
    s += d * d;
  }
  return s / n;
}

/** Equal-width bins of forecast vs realised frequency; empty bins are left out. */
export function calibrationBins(forecasts: ArrayLike<number>, outcomes: ArrayLike<number>, bins = 10): { lo: number; hi: number; n: number; price: number; rate: number }[] {
  const n = new Float64Array(bins);
  const sp = new Float64Array(bins);
  const sy = new Float64Array(bins);
  for (let i = 0; i < forecasts.length; i++) {
    const f = forecasts[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(f * bins)));
    n[b]!++;
    sp[b]! += f;
    sy[b]! += outcomes[i]!;
  }
  const out = [];
  for (let b = 0; b < bins; b++) {
    if (!n[b]) continue;
    out.push({ lo: b / bins, hi: (b + 1) / bins, n: n[b]!, price: sp[b]! / n[b]!, rate: sy[b]! / n[b]! });
  }
  return out;
}

/** Uniform draws in [0, 1) from the code base's one seeded generator: same seed, same resamples. */
export function seededRandom(seed: string | number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

export interface BootstrapResult {
  lo: number;
  hi: number;
  resamples: number;
}

/**
 * Percentile interval of ROI = Σ pnl / Σ cost, resampling whole events with
 * replacement (`pnl[i]`, `cost[i]` are per-event sums, so correlated markets of
 * one event move together). `resamples` draws, seeded.
 */
export function bootstrapRoi(pnl: ArrayLike<number>, cost: ArrayLike<number>, opts: { resamples?: number; seed?: string | number; level?: number } = {}): BootstrapResult {
  const B = opts.resamples ?? 2000;
  const n = pnl.length;
  if (n === 0 || B <= 0) return { lo: NaN, hi: NaN, resamples: 0 };
  const rand = seededRandom(opts.seed ?? 1);
  const rois = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let sp = 0;
    let sc = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      sp += pnl[j]!;
      sc += cost[j]!;
    }
    rois[b] = sp / sc;
  }
  rois.sort();
  const alpha = (1 - (opts.level ?? 0.95)) / 2;
  return { lo: quantileSorted(rois, alpha), hi: quantileSorted(rois, 1 - alpha), resamples: B };
}

/** Linear-interpolated quantile of an ascending array. */
export function quantileSorted(xs: ArrayLike<number>, q: number): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? xs[i]! * (1 - f) + xs[i + 1]! * f : xs[i]!;
}

/** Events needed to detect an edge δ at price c: n ≈ z²·c(1−c)/δ² (quant-anchors §5). */
export function eventsToDetect(cost: number, delta: number, z = Z95): number {
  return Math.ceil((z * z * cost * (1 - cost)) / (delta * delta));
}
