// Evaluating a strategy on resolved markets (quant-anchors §3, §5, §8C).
// One trade per independent event (the first qualifying market, in entry-time
// then id order), one share each, so c̄ = mean all-in cost is exactly the
// break-even win rate and ROI = Σ(Y − c)/Σc = (ŵ − c̄)/c̄.
//
// Verdict (the validation gate): VALIDATED only if n ≥ 300 events, the Wilson
// 95% lower bound of the win rate is above c̄, the event-bootstrap 95% ROI
// interval lies above 0 and the walk-forward out-of-sample ROI is above 0;
// REJECTED if the whole ROI interval lies below 0; UNPROVEN otherwise.
import type { Strategy, StrategyValidation } from '../scan/strategies.js';
import { candidateFor, leadFor, type EntryOptions, type SkipReason } from './entry.js';
import { bootstrapRoi, brier, calibrationBins, wilson } from './stats.js';
import type { Candidate, Progress, ResolvedMarket, StrategyReport, Trade, Verdict } from './types.js';
import { walkForward, type WalkForwardOptions } from './walk-forward.js';

export interface EvaluateOptions {
  /** Lead before resolution, ms; default 24 h (clamped into each strategy's hours band). */
  leadMs?: number;
  /** Half spread added to the mid (probability units); default 0.01. */
  halfSpread?: number;
  /** Oldest acceptable price point before the entry time, ms; default 6 h (and at most half the lead). */
  toleranceMs?: number;
  /** Events needed before a strategy can be VALIDATED; default 300. */
  minEvents?: number;
  bootstrap?: { resamples?: number; seed?: string | number };
  walkForward?: WalkForwardOptions;
  onProgress?: (p: Progress) => void;
}

export const DEFAULT_LEAD_MS = 24 * 3_600_000;
export const DEFAULT_HALF_SPREAD = 0.01;
export const DEFAULT_TOLERANCE_MS = 6 * 3_600_000;
export const MIN_EVENTS = 300;

/** Markets grouped by category once, for many strategies. */
export type CategoryIndex = Map<string, number[]>;

export function indexByCategory(markets: readonly ResolvedMarket[]): CategoryIndex {
  const idx: CategoryIndex = new Map();
  markets.forEach((m, i) => {
    const list = idx.get(m.category);
    if (list) list.push(i);
    else idx.set(m.category, [i]);
  });
  return idx;
}

export function evaluate(markets: readonly ResolvedMarket[], strategy: Strategy, opts: EvaluateOptions = {}, index?: CategoryIndex, progress?: Omit<Progress, 'phase'>): StrategyReport {
  const entry: EntryOptions = {
    leadMs: opts.leadMs ?? DEFAULT_LEAD_MS,
    halfSpread: opts.halfSpread ?? DEFAULT_HALF_SPREAD,
    toleranceMs: opts.toleranceMs ?? DEFAULT_TOLERANCE_MS,
  };
  if (!(entry.leadMs > 0)) throw new Error('evaluate: leadMs must be positive');
  const tell = (phase: Progress['phase']) => opts.onProgress?.({ strategy: strategy.id, index: progress?.index ?? 0, total: progress?.total ?? 1, phase });
  tell('entries');
  const ids = (index ?? indexByCategory(markets)).get(strategy.category) ?? [];
  const skipped: Record<string, number> = {};
  const byEvent = new Map<string, Candidate[]>();
  for (const i of ids) {
    const m = markets[i]!;
    const c = candidateFor(m, i, strategy, entry);
    if (typeof c === 'string') {
      skipped[c as SkipReason] = (skipped[c] ?? 0) + 1;
      continue;
    }
    const list = byEvent.get(m.eventId);
    if (list) list.push(c);
    else byEvent.set(m.eventId, [c]);
  }
  const events = [...byEvent.values()];
  for (const list of events) list.sort((a, b) => a.entryMs - b.entryMs || cmp(markets[a.market]!.id, markets[b.market]!.id));
  events.sort((a, b) => a[0]!.entryMs - b[0]!.entryMs || cmp(markets[a[0]!.market]!.id, markets[b[0]!.market]!.id));
  const trades: Trade[] = events.map((list) => {
    const c = list[0]!;
    const m = markets[c.market]!;
    return { ...c, marketId: m.id, eventId: m.eventId };
  });
  if (events.length) skipped['same event'] = events.reduce((s, l) => s + l.length - 1, 0);

  const n = trades.length;
  let wins = 0;
  let sumCost = 0;
  let sumAsk = 0;
  let sumFee = 0;
  const pnl = new Float64Array(n);
  const cost = new Float64Array(n);
  const mids = new Float64Array(n);
  const ys = new Float64Array(n);
  const equity: number[] = new Array(n);
  let cum = 0;
  trades.forEach((t, i) => {
    wins += t.win;
    sumCost += t.cost;
    sumAsk += t.ask;
    sumFee += t.fee;
    pnl[i] = t.win - t.cost;
    cost[i] = t.cost;
    mids[i] = t.mid;
    ys[i] = t.win;
    cum += t.win - t.cost;
    equity[i] = cum;
  });
  const winRate = n ? wins / n : 0;
  const avgCost = n ? sumCost / n : 0;
  const roi = n ? (wins - sumCost) / sumCost : 0;
  tell('bootstrap');
  const seed = String(opts.bootstrap?.seed ?? 1);
  const boot = bootstrapRoi(pnl, cost, { resamples: opts.bootstrap?.resamples ?? 2000, seed: `${seed}:${strategy.id}` });
  tell('walk-forward');
  const wf = walkForward(events, [...strategy.entry.priceBand], opts.walkForward);
  const claimed = new Float64Array(n).fill(strategy.claimed.winRate);
  const report: StrategyReport = {
    strategy: strategy.id,
    category: strategy.category,
    outcome: strategy.outcome,
    priceBand: [...strategy.entry.priceBand],
    claimedWinRate: strategy.claimed.winRate,
    leadMs: leadFor(strategy, entry.leadMs),
    toleranceMs: Math.min(entry.toleranceMs, leadFor(strategy, entry.leadMs) / 2),
    halfSpread: entry.halfSpread,
    n,
    wins,
    winRate,
    wilson: wilson(winRate, n),
    avgCost,
    avgPrice: n ? sumAsk / n : 0,
    avgFee: n ? sumFee / n : 0,
    excessWinRate: winRate - avgCost,
    roi,
    roiCi: [boot.lo, boot.hi],
    bootstrap: { resamples: boot.resamples, seed },
    walkForward: wf,
    brier: { market: brier(mids, ys), claimed: brier(claimed, ys) },
    calibration: calibrationBins(mids, ys, 10),
    equity,
    considered: ids.length,
    skipped,
    verdict: 'UNPROVEN',
    reasons: [],
    trades,
  };
  const v = verdictOf(report, opts.minEvents ?? MIN_EVENTS);
  report.verdict = v.verdict;
  report.reasons = v.reasons;
  tell('done');
  return report;
}

/** The gate of quant-anchors §8C (without the deflated Sharpe ratio; see the report notes). */
export function verdictOf(
  r: Pick<StrategyReport, 'n' | 'wilson' | 'avgCost' | 'roiCi'> & { walkForward: Pick<StrategyReport['walkForward'], 'roi'> },
  minEvents = MIN_EVENTS,
): { verdict: Verdict; reasons: string[] } {
  const reasons: string[] = [];
  if (r.n < minEvents) reasons.push(`n ${r.n} < ${minEvents} events`);
  if (!(r.wilson[0] > r.avgCost)) reasons.push(`Wilson lower bound ${r.wilson[0].toFixed(3)} <= break-even ${r.avgCost.toFixed(3)}`);
  if (!(r.roiCi[0] > 0)) reasons.push(`ROI 95% CI lower bound ${pct(r.roiCi[0])} <= 0`);
  const oos = r.walkForward.roi;
  if (!(oos !== undefined && oos > 0)) reasons.push(oos === undefined ? 'no out-of-sample trades' : `out-of-sample ROI ${pct(oos)} <= 0`);
  if (!reasons.length) return { verdict: 'VALIDATED', reasons };
  if (r.n > 0 && r.roiCi[1] < 0) return { verdict: 'REJECTED', reasons: [`ROI 95% CI entirely below 0 (${pct(r.roiCi[0])} .. ${pct(r.roiCi[1])})`, ...reasons] };
  return { verdict: 'UNPROVEN', reasons };
}

/** Every strategy, reporting progress per strategy and phase. */
export function evaluateAll(markets: readonly ResolvedMarket[], strategies: readonly Strategy[], opts: EvaluateOptions = {}): StrategyReport[] {
  const index = indexByCategory(markets);
  return strategies.map((s, i) => evaluate(markets, s, opts, index, { strategy: s.id, index: i, total: strategies.length }));
}

/**
 * The validation map the scan module reads (ScanOptions.validation): claimed
 * vs validated in the queue and the detail view. Strategies with no trade at
 * all are left out (they stay "unvalidated" rather than "failed").
 */
export function validationMap(reports: readonly StrategyReport[]): Record<string, StrategyValidation> {
  const out: Record<string, StrategyValidation> = {};
  for (const r of reports) {
    if (r.n === 0) continue;
    out[r.strategy] = { n: r.n, winRate: r.winRate, winRateLower: r.wilson[0], passed: r.verdict === 'VALIDATED', avgCost: r.avgCost, roi: r.roi };
  }
  return out;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : 'n/a';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
