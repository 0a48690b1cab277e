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
