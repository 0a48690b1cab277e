// FAIR_VALUE: buy the side whose fair probability beats its executable ask
// after the taker fee by more than a margin — and only once the rule has
// earned it on resolved windows. The validation is the same gate as the
// other strategies (enough events, ROI interval after fees above 0,
// out-of-sample ROI above 0) plus a Brier comparison with the market price:
// a model that does not forecast better than the price it trades against has
// no edge to sell, whatever its in-sample ROI says.
import { bootstrapRoi, brier, seededRandom, quantileSorted } from '../backtest/stats.js';
import { takerFeePerShare } from '../arb/fees.js';
import type { FeeSchedule } from '../protocol/gamma.js';

/** Where FAIR_VALUE's validation history comes from: a report over resolved up/down windows, or why there is none. */
export type FairHistory = { what: string; report: () => FairReport } | { missing: string };

export interface FairSignal {
  outcome: 'YES' | 'NO';
  /** Executable ask of the bought outcome (0..1). */
  ask: number;
  /** All-in cost per share: ask + taker fee. */
  cost: number;
  /** Fair probability of the bought outcome minus its cost. */
  edge: number;
}

/** The better of YES and NO when its fair-minus-cost edge clears `minEdge`; undefined otherwise (neutral fair never trades). */
export function fairSignal(p: number | null, askYes: number | undefined, askNo: number | undefined, fee: Pick<FeeSchedule, 'rate' | 'exponent'>, minEdge: number): FairSignal | undefined {
  if (p === null || !Number.isFinite(p)) return undefined;
  const sides: FairSignal[] = [];
  if (askYes !== undefined && askYes > 0 && askYes < 1) {
    const cost = askYes + takerFeePerShare(askYes, fee);
    sides.push({ outcome: 'YES', ask: askYes, cost, edge: p - cost });
  }
  if (askNo !== undefined && askNo > 0 && askNo < 1) {
    const cost = askNo + takerFeePerShare(askNo, fee);
    sides.push({ outcome: 'NO', ask: askNo, cost, edge: 1 - p - cost });
  }
  const best = sides.sort((a, b) => b.edge - a.edge)[0];
  return best && best.edge > minEdge ? best : undefined;
}

/** One resolved window seen at a fixed lead before its end. */
export interface FairEvent {
  t: number;
  /** Model probability of YES/Up (null = neutral). */
  fair: number | null;
  /** Market mid of YES. */
  mid: number;
  askYes: number;
  askNo: number;
  /** 1 if YES/Up won. */
  outcome: 0 | 1;
  fee: Pick<FeeSchedule, 'rate' | 'exponent'>;
}

export type FairVerdict = 'VALIDATED' | 'UNPROVEN' | 'REJECTED';

export interface FairReport {
  events: number;
  priced: number;
  brierModel: number;
  brierMarket: number;
  /** 95 % event-bootstrap interval of Brier(model) − Brier(market); below 0 = model better. */
  brierDiffCi: [number, number];
  trades: number;
  roi: number;
  roiCi: [number, number];
  /** Margin chosen on the first part of the history, and the ROI it earned on the rest. */
  walkForward: { minEdge: number; trades: number; roi: number | undefined };
  verdict: FairVerdict;
  reasons: string[];
}

export interface FairValidationOptions {
  minEdge?: number;
  minEvents?: number;
  resamples?: number;
  seed?: string | number;
  /** Share of the (time-ordered) history used to choose the margin. */
  trainShare?: number;
  edgeGrid?: readonly number[];
}

function tradesOf(events: readonly FairEvent[], minEdge: number): { pnl: number[]; cost: number[] } {
  const pnl: number[] = [];
  const cost: number[] = [];
  for (const e of events) {
    const s = fairSignal(e.fair, e.askYes, e.askNo, e.fee, minEdge);
    if (!s) continue;
    const won = s.outcome === 'YES' ? e.outcome === 1 : e.outcome === 0;
    pnl.push((won ? 1 : 0) - s.cost);
    cost.push(s.cost);
  }
  return { pnl, cost };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function validateFair(all: readonly FairEvent[], opts: FairValidationOptions = {}): FairReport {
  const events = [...all].sort((a, b) => a.t - b.t);
  const priced = events.filter((e) => e.fair !== null);
  const f = priced.map((e) => e.fair!);
  const m = priced.map((e) => e.mid);
  const y = priced.map((e) => e.outcome);
  const brierModel = priced.length ? brier(f, y) : NaN;
  const brierMarket = priced.length ? brier(m, y) : NaN;
  // Event bootstrap of the Brier difference.
  const B = opts.resamples ?? 2000;
  const rand = seededRandom(opts.seed ?? 1);
  const diffs = new Float64Array(priced.length ? B : 0);
  const d = priced.map((e, i) => (f[i]! - e.outcome) ** 2 - (m[i]! - e.outcome) ** 2);
  for (let b = 0; b < diffs.length; b++) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[Math.floor(rand() * d.length)]!;
    diffs[b] = s / d.length;
  }
  diffs.sort();
  const brierDiffCi: [number, number] = diffs.length ? [quantileSorted(diffs, 0.025), quantileSorted(diffs, 0.975)] : [NaN, NaN];

  const minEdge = opts.minEdge ?? 0.03;
  const t = tradesOf(events, minEdge);
  const roi = t.cost.length ? sum(t.pnl) / sum(t.cost) : NaN;
  const ci = bootstrapRoi(t.pnl, t.cost, { resamples: B, seed: opts.seed ?? 1 });

  // Walk-forward: choose the margin on the first part, apply it to the rest.
  const cut = Math.floor(events.length * (opts.trainShare ?? 0.6));
  const train = events.slice(0, cut);
  const test = events.slice(cut);
  let bestEdge = minEdge;
  let bestRoi = -Infinity;
  for (const g of opts.edgeGrid ?? [0.02, 0.03, 0.05, 0.08, 0.12]) {
    const tr = tradesOf(train, g);
    if (tr.cost.length < 10) continue;
    const r = sum(tr.pnl) / sum(tr.cost);
    if (r > bestRoi) {
      bestRoi = r;
      bestEdge = g;
    }
  }
  const oos = tradesOf(test, bestEdge);
  const walkForward = { minEdge: bestEdge, trades: oos.cost.length, roi: oos.cost.length ? sum(oos.pnl) / sum(oos.cost) : undefined };

  const reasons: string[] = [];
  const minEvents = opts.minEvents ?? 300;
  if (priced.length < minEvents) reasons.push(`${priced.length} priced windows < ${minEvents}`);
  if (!(brierDiffCi[1] < 0)) reasons.push(`Brier(model) − Brier(market) 95% CI ${brierDiffCi.map((x) => x.toFixed(4)).join('..')} does not exclude 0`);
  if (!(ci.lo > 0)) reasons.push(t.cost.length ? `ROI 95% CI lower bound ${(ci.lo * 100).toFixed(1)}% <= 0` : 'no trades');
  if (!(walkForward.roi !== undefined && walkForward.roi > 0)) reasons.push(walkForward.roi === undefined ? 'no out-of-sample trades' : `out-of-sample ROI ${(walkForward.roi * 100).toFixed(1)}% <= 0`);
  let verdict: FairVerdict = reasons.length ? 'UNPROVEN' : 'VALIDATED';
  if (verdict === 'UNPROVEN' && t.cost.length >= 30 && ci.hi < 0) verdict = 'REJECTED';
  return { events: events.length, priced: priced.length, brierModel, brierMarket, brierDiffCi, trades: t.cost.length, roi, roiCi: [ci.lo, ci.hi], walkForward, verdict, reasons };
}
