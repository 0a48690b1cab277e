// What the live scorer starts from: the same resolved history the strategy
// verdicts use (the venue's resolved markets read over HTTP, the collector's
// database added live), turned into training rows by the backtest's own sample builder,
// validated walk-forward (the verdict the queue obeys), and each strategy's
// record over the most recent window (the weights of the ranking).
//
// The history is read once for this and the strategy verdicts, in one worker
// thread (history-behind.ts); the sample columns come back transferred.
import { evaluateAll, DEFAULT_HALF_SPREAD, DEFAULT_LEAD_MS, DEFAULT_TOLERANCE_MS } from '../backtest/evaluate.js';
import type { ResolvedMarket, Verdict } from '../backtest/types.js';
import { defaultStrategies, type Strategy } from '../scan/strategies.js';
import { defaultFeatureSpec } from '../model/features.js';
import type { SampleSet } from '../model/model.js';
import { samplesFromResolved } from '../model/samples.js';
import { SCORER_ID, validateScorer } from '../model/validate.js';
import type { StrategyPerformance } from '../model/weights.js';
import type { HistorySource } from './validation.js';

/** The scorer's validation, cut to what the console shows and the queue obeys. */
export interface ScorerVerdict {
  verdict: Verdict;
  brierSkill: number;
  brierSkillCi: [number, number];
  /** Out-of-sample events and rows, walk-forward folds used. */
  events: number;
  n: number;
  folds: number;
  roi: number;
  roiCi: [number, number];
  trades: number;
  reasons: string[];
  /** Where the history came from ("sim backfill: 7,293 markets"). */
  source: string;
}

export interface ScorerHistory {
  /** Training rows at the backtest's decision time, with event ids by event number. */
  samples: SampleSet;
  eventIds: string[];
  verdict: ScorerVerdict;
  /** Each strategy's (and the scorer's) record over the recent window. */
  perf: StrategyPerformance[];
  recentDays: number;
}

export interface ScorerHistoryOptions {
  leadMs?: number;
  toleranceMs?: number;
  halfSpread?: number;
  /** The recent window the weights are computed over (default 30 days before the newest resolution). */
  recentMs?: number;
  resamples?: number;
  seed?: string;
  strategies?: readonly Strategy[];
}

export const RECENT_MS = 30 * 86_400_000;

/** Samples, verdict and recent records from resolved markets (pure apart from the CPU). */
export function scorerHistoryOf(markets: readonly ResolvedMarket[], source: string, o: ScorerHistoryOptions = {}): ScorerHistory {
  const strategies = o.strategies ?? defaultStrategies().strategies;
  const spec = defaultFeatureSpec();
  const leadMs = o.leadMs ?? DEFAULT_LEAD_MS;
  const toleranceMs = o.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const halfSpread = o.halfSpread ?? DEFAULT_HALF_SPREAD;
  const resamples = o.resamples ?? 1000;
  const seed = o.seed ?? '1';
  const samples = samplesFromResolved(markets, { leadMs, toleranceMs, halfSpread, spec, strategies });
  const r = validateScorer(samples, { featureHash: spec.hash, halfSpread, resamples, seed });
  const verdict: ScorerVerdict = {
    verdict: r.verdict,
    brierSkill: r.brierSkill,
    brierSkillCi: r.brierSkillCi,
    events: r.events,
    n: r.n,
    folds: r.folds.length,
    roi: r.roi,
    roiCi: r.roiCi,
    trades: r.trades,
    reasons: r.reasons,
    source,
  };
  // Recent window: markets resolved within recentMs of the newest resolution.
  const recentMs = o.recentMs ?? RECENT_MS;
  let newest = -Infinity;
  for (const m of markets) newest = Math.max(newest, m.closedMs);
  const recent = markets.filter((m) => m.closedMs >= newest - recentMs);
  const reports = evaluateAll(recent, strategies, { leadMs, toleranceMs, halfSpread, bootstrap: { resamples, seed } });
  const perf: StrategyPerformance[] = reports.map((x) => ({ strategy: x.strategy, verdict: x.verdict, n: x.n, roi: x.roi, roiCi: x.roiCi }));
  // The scorer's own record is its walk-forward out-of-sample record (already the most recent folds).
  perf.push({ strategy: SCORER_ID, verdict: r.verdict, n: r.events, roi: r.roi, roiCi: r.roiCi });
  const { market: _m, feeRate: _f, feeExp: _e, eventIds, skipped: _s, closedBefore: _c, ...cols } = samples;
  return { samples: cols, eventIds, verdict, perf, recentDays: Math.round(recentMs / 86_400_000) };
}

/** "simulator history: 9,664 resolved markets". */
export function historyLabel(from: HistorySource, n: number): string {
  const what = from.kind === 'venue' ? `${from.label === 'sim' ? 'simulator' : 'venue'} history` : 'recorded database';
  return `${what}: ${n.toLocaleString('en-US')} resolved markets`;
}

/** The sample columns' buffers (transfer list). */
export function sampleBuffers(s: SampleSet): ArrayBuffer[] {
  return [s.x.buffer, s.mid.buffer, s.y.buffer, s.resolvedMs.buffer, s.atMs.buffer, s.event.buffer] as ArrayBuffer[];
}
