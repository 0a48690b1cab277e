// Honest validation of the scorer (quant-anchors §3, §5; ml-scoring d.4):
//
// - walk-forward by resolution time: events are ordered by when they resolved
//   and cut into folds + 1 consecutive blocks; fold k tests block k with a
//   model trained only on events resolved before (earliest test decision time
//   − embargo), so no outcome the model learns from is unknown at decision
//   time, and the embargo keeps near-simultaneous, correlated events apart;
// - grouped by event: an event's markets all fall in one block, never in both
//   train and test (asserted);
// - scored against the market's own price: Brier skill BSS = 1 − B_model/B_market
//   on the pooled out-of-sample rows, with an event-bootstrap 95% interval;
//   expected calibration error; ROI after taker fees of buying whichever side
//   the model prices ≥ minEdge above its all-in cost, event-bootstrapped.
//
// Verdict: VALIDATED only when ≥ minEvents test events and the whole BSS
// interval lies above 0; REJECTED when it lies wholly below 0; else UNPROVEN.
import type { Verdict, CalibrationBin } from '../backtest/types.js';
import { bootstrapRoi, brier, calibrationBins, quantileSorted, seededRandom } from '../backtest/stats.js';
import { takerFeePerShare } from '../arb/fees.js';
import { eventOrder, predict, selectRows, trainModel, type ScorerModel } from './model.js';
import type { Samples } from './samples.js';

export const SCORER_ID = 'ML_SCORER';

export interface ScorerValidationOptions {
  folds?: number;
  /** Gap between the last training outcome and the first test decision, ms (default 24 h). */
  embargoMs?: number;
  /** Folds with fewer training events are skipped (default 200). */
  minTrainEvents?: number;
  /** Test events needed for VALIDATED (default 300). */
  minEvents?: number;
  lambda?: number;
  resamples?: number;
  seed?: string | number;
  halfSpread?: number;
  /** Model probability above all-in cost needed to trade (default 0.02). */
  minEdge?: number;
  featureHash: string;
  /** Stamp for the final model (default: latest outcome in the data, so reruns hash the same). */
  nowMs?: number;
}

export interface ScorerFold {
  fromMs: number;
  toMs: number;
  cutoffMs: number;
  trainEvents: number;
  testEvents: number;
  testRows: number;
  brierModel: number;
  brierMarket: number;
  modelHash: string;
}

export interface ScorerReport {
  strategy: string;
  kind: 'scorer';
  category: 'all';
  method: string;
  /** Out-of-sample rows and events pooled over the folds. */
  n: number;
  events: number;
  folds: ScorerFold[];
  embargoMs: number;
  brier: { market: number; model: number };
  brierSkill: number;
  brierSkillCi: [number, number];
  /** Expected calibration error (10 bins) of the model and of the market price on the same rows. */
  ece: { model: number; market: number };
  calibration: CalibrationBin[];
  trades: number;
  roi: number;
  roiCi: [number, number];
  bootstrap: { resamples: number; seed: string };
  verdict: Verdict;
  reasons: string[];
  /** The model trained on every row (what live scoring would load). */
  model: Pick<ScorerModel, 'hash' | 'rows' | 'events' | 'trainedUpToMs' | 'lambda' | 'iterations' | 'converged'> | undefined;
  /** Markets skipped: no price near the decision time. */
  skipped: number;
  /** Markets already closed at the decision time (decided early). */
  closedBefore: number;
}

export function validateScorer(s: Samples, o: ScorerValidationOptions): ScorerReport {
  const folds = o.folds ?? 5;
  const embargoMs = o.embargoMs ?? 24 * 3_600_000;
  const minTrain = o.minTrainEvents ?? 200;
  const minEvents = o.minEvents ?? 300;
  const resamples = o.resamples ?? 2000;
  const seed = String(o.seed ?? 1);
  const hs = o.halfSpread ?? 0.01;
  const minEdge = o.minEdge ?? 0.02;
  const { events, resolvedAt } = eventOrder(s);
  const blockOf = new Map<number, number>();
  events.forEach((e, i) => blockOf.set(e, Math.min(folds, Math.floor((i * (folds + 1)) / events.length))));
  const rowsByBlock: number[][] = Array.from({ length: folds + 1 }, () => []);
  for (let i = 0; i < s.n; i++) rowsByBlock[blockOf.get(s.event[i]!)!]!.push(i);

  const q = new Float64Array(s.n).fill(NaN);
  const foldOut: ScorerFold[] = [];
  for (let k = 1; k <= folds; k++) {
    const test = rowsByBlock[k]!;
    if (!test.length) continue;
    let from = Infinity;
    let to = -Infinity;
    for (const r of test) {
      from = Math.min(from, s.atMs[r]!);
      to = Math.max(to, s.atMs[r]!);
    }
    const cutoff = from - embargoMs;
    const testEvents = new Set(test.map((r) => s.event[r]!));
    const train: number[] = [];
    const trainEvents = new Set<number>();
    for (let i = 0; i < s.n; i++) {
      const e = s.event[i]!;
      if (resolvedAt.get(e)! < cutoff) {
        if (testEvents.has(e)) throw new Error('walk-forward: an event is in both train and test');
        train.push(i);
        trainEvents.add(e);
      }
    }
    if (trainEvents.size < minTrain) continue;
    const model = trainModel(selectRows(s, train), { featureHash: o.featureHash, nowMs: cutoff, seed, ...(o.lambda !== undefined ? { lambda: o.lambda } : {}) });
    let bm = 0;
    let bk = 0;
    for (const r of test) {
      const p = predict(model, s.x, s.mid[r]!, r * s.d);
      q[r] = p;
      bm += (p - s.y[r]!) ** 2;
      bk += (s.mid[r]! - s.y[r]!) ** 2;
    }
    foldOut.push({ fromMs: from, toMs: to, cutoffMs: cutoff, trainEvents: trainEvents.size, testEvents: testEvents.size, testRows: test.length, brierModel: bm / test.length, brierMarket: bk / test.length, modelHash: model.hash });
  }

  // Pool the out-of-sample rows, per event for the bootstraps.
  const oos: number[] = [];
  for (let i = 0; i < s.n; i++) if (!Number.isNaN(q[i]!)) oos.push(i);
  const evIdx = new Map<number, number>();
  const sqModel: number[] = [];
  const sqMarket: number[] = [];
  const pnl: number[] = [];
  const cost: number[] = [];
  let trades = 0;
  for (const r of oos) {
    const e = s.event[r]!;
    let j = evIdx.get(e);
    if (j === undefined) {
      j = sqModel.push(0) - 1;
      sqMarket.push(0);
      pnl.push(0);
      cost.push(0);
      evIdx.set(e, j);
    }
    const y = s.y[r]!;
    sqModel[j]! += (q[r]! - y) ** 2;
    sqMarket[j]! += (s.mid[r]! - y) ** 2;
    const t = tradeOf(q[r]!, s.mid[r]!, hs, { rate: s.feeRate[r]!, exponent: s.feeExp[r]! }, minEdge);
    if (t) {
      trades++;
      cost[j]! += t.cost;
      pnl[j]! += (t.side === 0 ? y : 1 - y) - t.cost;
    }
  }
  const nEv = sqModel.length;
  const sumM = sqModel.reduce((a, b) => a + b, 0);
  const sumK = sqMarket.reduce((a, b) => a + b, 0);
  const bss = nEv ? 1 - sumM / sumK : NaN;
  const ci = bootstrapSkill(sqModel, sqMarket, resamples, `${seed}:${SCORER_ID}:bss`);
  const traded = cost.map((c, i) => i).filter((i) => cost[i]! > 0);
  const roiBoot = bootstrapRoi(
    traded.map((i) => pnl[i]!),
    traded.map((i) => cost[i]!),
    { resamples, seed: `${seed}:${SCORER_ID}:roi` },
  );
  const totCost = traded.reduce((a, i) => a + cost[i]!, 0);
  const totPnl = traded.reduce((a, i) => a + pnl[i]!, 0);
  const qs = Float64Array.from(oos, (r) => q[r]!);
  const ms = Float64Array.from(oos, (r) => s.mid[r]!);
  const ys = Float64Array.from(oos, (r) => s.y[r]!);

  const reasons: string[] = [];
  if (nEv < minEvents) reasons.push(`${nEv} out-of-sample events < ${minEvents}`);
  if (!(ci[0] > 0)) reasons.push(Number.isFinite(ci[0]) ? `Brier skill 95% CI lower bound ${ci[0].toFixed(4)} <= 0` : 'no out-of-sample rows');
  let verdict: Verdict = reasons.length ? 'UNPROVEN' : 'VALIDATED';
  if (ci[1] < 0) {
    verdict = 'REJECTED';
    reasons.unshift(`Brier skill 95% CI entirely below 0 (${ci[0].toFixed(4)} .. ${ci[1].toFixed(4)}): worse than the market price`);
  }

  let finalModel: ScorerModel | undefined;
  if (events.length >= minTrain) {
    let upTo = 0;
    for (let i = 0; i < s.n; i++) upTo = Math.max(upTo, s.resolvedMs[i]!);
    finalModel = trainModel(s, { featureHash: o.featureHash, nowMs: o.nowMs ?? upTo, seed, ...(o.lambda !== undefined ? { lambda: o.lambda } : {}) });
  }
  return {
    strategy: SCORER_ID,
    kind: 'scorer',
    category: 'all',
    method: `logistic regression on logit(market price) + ${s.d - 1} features (L2, Newton) + Platt; walk-forward by resolution time, ${folds} folds, grouped by event, embargo ${Math.round(embargoMs / 3_600_000)} h`,
    n: oos.length,
    events: nEv,
    folds: foldOut,
    embargoMs,
    brier: { market: brier(ms, ys), model: brier(qs, ys) },
    brierSkill: bss,
    brierSkillCi: ci,
    ece: { model: ece(qs, ys), market: ece(ms, ys) },
    calibration: calibrationBins(qs, ys, 10),
    trades,
    roi: totCost > 0 ? totPnl / totCost : NaN,
    roiCi: [roiBoot.lo, roiBoot.hi],
    bootstrap: { resamples, seed },
    verdict,
    reasons,
    model: finalModel && { hash: finalModel.hash, rows: finalModel.rows, events: finalModel.events, trainedUpToMs: finalModel.trainedUpToMs, lambda: finalModel.lambda, iterations: finalModel.iterations, converged: finalModel.converged },
    skipped: s.skipped,
    closedBefore: s.closedBefore,
  };
}

/** Side (0 YES, 1 NO) and all-in cost of the trade the model wants, or undefined. */
export function tradeOf(q: number, mid: number, halfSpread: number, fee: { rate: number; exponent: number }, minEdge: number): { side: 0 | 1; cost: number } | undefined {
  const askY = mid + halfSpread;
  const askN = 1 - mid + halfSpread;
  const cY = askY < 1 ? askY + takerFeePerShare(askY, fee) : Infinity;
  const cN = askN < 1 ? askN + takerFeePerShare(askN, fee) : Infinity;
  const eY = q - cY;
  const eN = 1 - q - cN;
  if (eY >= minEdge && eY >= eN) return { side: 0, cost: cY };
  if (eN >= minEdge) return { side: 1, cost: cN };
  return undefined;
}

/** Percentile 95% interval of 1 − Σmodel/Σmarket, resampling events. */
export function bootstrapSkill(sqModel: readonly number[], sqMarket: readonly number[], resamples: number, seed: string): [number, number] {
  const n = sqModel.length;
  if (!n || resamples <= 0) return [NaN, NaN];
  const rand = seededRandom(seed);
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let m = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      m += sqModel[j]!;
      k += sqMarket[j]!;
    }
    out[b] = k > 0 ? 1 - m / k : 0;
  }
  out.sort();
  return [quantileSorted(out, 0.025), quantileSorted(out, 0.975)];
}

/** Expected calibration error: Σ (n_b/N)·|mean forecast_b − rate_b| over 10 equal bins. */
export function ece(f: ArrayLike<number>, y: ArrayLike<number>, bins = 10): number {
  if (!f.length) return NaN;
  let s = 0;
  for (const b of calibrationBins(f, y, bins)) s += b.n * Math.abs(b.price - b.rate);
  return s / f.length;
}
