// Walk-forward out-of-sample ROI (quant-anchors §5): fit on events entered
// before T, test on the events after T, rolling T forward.
//
// What is fitted: the price band. The strategy's band [lo, hi] is cut at five
// evenly spaced points, giving 10 sub-bands [a, b] (the full band among them).
// On the training events (all folds before the test fold: an expanding
// window) each sub-band is scored by in-sample ROI, taking per event the first
// candidate whose ask lies in it; sub-bands with fewer than `minTrain` trades
// are not eligible, and ties go to the wider band. The winner is then traded,
// unchanged, on the next fold. Out-of-sample ROI pools every test fold.
import type { Candidate, WalkForward, WalkForwardFold } from './types.js';

export interface WalkForwardOptions {
  /** Number of equal-count folds in entry-time order; the first is only trained on. Default 5. */
  folds?: number;
  /** Least in-sample trades for a sub-band to be eligible. Default 30. */
  minTrain?: number;
}

export const WALK_FORWARD_METHOD =
  'price band fitted on earlier events (10 sub-bands of the strategy band, best in-sample ROI with >= 30 trades, ties to the wider), traded unchanged on the next fold; expanding window, equal-count folds by entry time';

/** `events[k]` = the event's candidates in entry order (first = the trade the full band takes). */
export function walkForward(events: readonly (readonly Candidate[])[], band: [number, number], opts: WalkForwardOptions = {}): WalkForward {
  const K = Math.max(2, opts.folds ?? 5);
  const minTrain = opts.minTrain ?? 30;
  const variants = subBands(band);
  const out: WalkForward = { folds: [], variants: variants.length, trades: 0, roi: undefined, method: WALK_FORWARD_METHOD };
  const n = events.length;
  if (n < K * 2) return out;
  const order = events.map((_, i) => i).sort((a, b) => events[a]![0]!.entryMs - events[b]![0]!.entryMs || a - b);
  const edges = Array.from({ length: K + 1 }, (_, k) => Math.round((k * n) / K));
  let pnl = 0;
  let cost = 0;
  for (let k = 1; k < K; k++) {
    const train = order.slice(0, edges[k]);
    const test = order.slice(edges[k], edges[k + 1]);
    let best = variants[0]!;
    let bestRoi = -Infinity;
    let bestWidth = -1;
    for (const v of variants) {
      const r = score(events, train, v);
      if (r.trades < minTrain) continue;
      const roi = r.pnl / r.cost;
      const width = v[1] - v[0];
      if (roi > bestRoi + 1e-12 || (Math.abs(roi - bestRoi) <= 1e-12 && width > bestWidth)) {
        best = v;
        bestRoi = roi;
        bestWidth = width;
      }
    }
    const t = score(events, test, best);
    pnl += t.pnl;
    cost += t.cost;
    out.trades += t.trades;
    const fold: WalkForwardFold = {
      fromMs: events[test[0]!]![0]!.entryMs,
      toMs: events[test[test.length - 1]!]![0]!.entryMs,
      trainEvents: train.length,
      band: best,
      trainRoi: Number.isFinite(bestRoi) ? bestRoi : undefined,
      testTrades: t.trades,
      testRoi: t.trades ? t.pnl / t.cost : undefined,
    };
    out.folds.push(fold);
  }
  out.roi = cost > 0 ? pnl / cost : undefined;
  return out;
}

/** The 10 sub-bands [a, b] between five evenly spaced cut points of the band, full band first. */
export function subBands([lo, hi]: [number, number]): [number, number][] {
  const cuts = [0, 1, 2, 3, 4].map((i) => Math.round((lo + ((hi - lo) * i) / 4) * 1e4) / 1e4);
  const out: [number, number][] = [[cuts[0]!, cuts[4]!]];
  for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) if (a !== 0 || b !== 4) out.push([cuts[a]!, cuts[b]!]);
  return out;
}

function score(events: readonly (readonly Candidate[])[], idx: readonly number[], [a, b]: [number, number]): { trades: number; pnl: number; cost: number } {
  let trades = 0;
  let pnl = 0;
  let cost = 0;
  for (const e of idx) {
    for (const c of events[e]!) {
      if (c.ask < a || c.ask > b) continue;
      trades++;
      pnl += c.win - c.cost;
      cost += c.cost;
      break;
    }
  }
  return { trades, pnl, cost };
}
