// The scorer as a backtest row: samples from the resolved markets at the
// backtest's lead, walk-forward validation, one report (src/backtest/cli.ts).
import type { ResolvedMarket } from '../backtest/types.js';
import type { Strategy } from '../scan/strategies.js';
import { defaultFeatureSpec } from './features.js';
import { samplesFromResolved } from './samples.js';
import { validateScorer, type ScorerReport, type ScorerValidationOptions } from './validate.js';

export interface ScorerBacktestOptions extends Partial<Omit<ScorerValidationOptions, 'featureHash'>> {
  leadMs: number;
  toleranceMs: number;
  halfSpread: number;
  strategies: readonly Strategy[];
}

export function scorerBacktest(markets: readonly ResolvedMarket[], o: ScorerBacktestOptions): ScorerReport {
  const spec = defaultFeatureSpec();
  const samples = samplesFromResolved(markets, { leadMs: o.leadMs, toleranceMs: o.toleranceMs, halfSpread: o.halfSpread, spec, strategies: o.strategies });
  return validateScorer(samples, { ...o, featureHash: spec.hash });
}

const sgn = (x: number, d: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(d)}` : 'n/a');
const spct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : 'n/a');

/** One line for the table and the HTML report: skill against the market price with its interval, then the verdict. */
export function scorerLine(r: ScorerReport): string {
  return (
    `${r.strategy}: Brier skill vs market price ${sgn(r.brierSkill, 4)} (95% CI ${sgn(r.brierSkillCi[0], 4)}..${sgn(r.brierSkillCi[1], 4)}) over ${r.events} out-of-sample events (${r.n} markets, ${r.folds.length} folds); ` +
    `Brier model/market ${r.brier.model.toFixed(4)}/${r.brier.market.toFixed(4)}, calibration error ${r.ece.model.toFixed(4)}/${r.ece.market.toFixed(4)}; ` +
    `${r.trades} trades after fees ROI ${spct(r.roi)} (95% CI ${spct(r.roiCi[0])}..${spct(r.roiCi[1])}) — ${r.verdict}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`
  );
}
