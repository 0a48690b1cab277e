// Dynamic strategy weighting: each strategy's weight in the queue follows its
// recent validated performance, and the arithmetic is returned as text for
// the detail view. Pure.
//
//   score_i  = max(0, ROI 95% CI lower bound_i) × n_i / (n_i + n0)    (VALIDATED only; else 0)
//   weight_i = score_i / Σ_j score_j                                  (0 for all when Σ = 0)
//
// The lower bound, not the point ROI, so a lucky short run does not dominate;
// the n/(n + n0) factor shrinks small samples further. A strategy that is not
// VALIDATED over the recent window weighs 0, whatever it claims.
import type { Verdict } from '../backtest/types.js';

export interface StrategyPerformance {
  strategy: string;
  verdict: Verdict;
  /** Independent events in the recent window. */
  n: number;
  roi: number;
  roiCi: [number, number];
}

export interface StrategyWeight {
  strategy: string;
  score: number;
  weight: number;
  /** How the weight was computed, in words and numbers. */
  arithmetic: string;
}

/** Shrinkage constant: at n = n0 events a strategy keeps half its lower-bound edge. */
export const WEIGHT_N0 = 300;

export function strategyWeights(perf: readonly StrategyPerformance[], n0 = WEIGHT_N0): StrategyWeight[] {
  const scored = perf.map((p) => {
    if (p.verdict !== 'VALIDATED') return { p, score: 0, text: `${p.verdict} over the recent window → score 0` };
    const lo = Number.isFinite(p.roiCi[0]) ? Math.max(0, p.roiCi[0]) : 0;
    const shrink = p.n / (p.n + n0);
    const score = lo * shrink;
    return { p, score, text: `ROI CI lower bound ${pct(p.roiCi[0])} (floored at 0) × n/(n+${n0}) = ${p.n}/${p.n + n0} = ${shrink.toFixed(3)} → score ${score.toFixed(5)}` };
  });
  const total = scored.reduce((s, x) => s + x.score, 0);
  return scored.map(({ p, score, text }) => ({
    strategy: p.strategy,
    score,
    weight: total > 0 ? score / total : 0,
    arithmetic: total > 0 ? `${text}; weight ${score.toFixed(5)} / ${total.toFixed(5)} = ${pct(score / total)}` : `${text}; no validated edge in the window → weight 0`,
  }));
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%` : 'n/a';
}
