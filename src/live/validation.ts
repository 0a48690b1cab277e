// Claimed vs validated: strategies are evaluated on resolved history (the
// simulator's backfill in SIM mode, the collector's database otherwise) and the
// verdicts reach the scan, so the queue and detail view show both and only a
// validated strategy can reach AUTO-TRADE. The console and `scan --json` both
// get their verdicts from `strategyVerdicts`, so they agree on tier and edge.
import type { App } from '../app.js';
import type { DB } from '../persist/db.js';
import type { Simulator } from '../sim/simulator.js';
import { defaultStrategies, type StrategyValidation } from '../scan/index.js';
import { evaluateAll, loadDbHistory, loadSimHistory, validationMap, verdictOf, type ResolvedMarket } from '../backtest/index.js';

export interface ValidationSummary {
  source: 'sim' | 'db';
  markets: number;
  verdicts: Record<string, string>;
  validation: Record<string, StrategyValidation>;
}

/** Backtests every strategy on the resolved history of the simulator (when given) or the database; undefined with no history. */
export function strategyVerdicts(from: { sim?: Pick<Simulator, 'world' | 'exchange'> | undefined; db?: DB | undefined }): ValidationSummary | undefined {
  let markets: ResolvedMarket[];
  let source: 'sim' | 'db';
  if (from.sim) {
    markets = loadSimHistory(from.sim);
    source = 'sim';
  } else if (from.db) {
    markets = loadDbHistory(from.db).markets;
    source = 'db';
  } else return undefined;
  if (!markets.length) return undefined;
  const reports = evaluateAll(markets, defaultStrategies().strategies);
  const verdicts: Record<string, string> = {};
  for (const r of reports) verdicts[r.strategy] = `${verdictOf(r).verdict} (n ${r.n})`;
  return { source, markets: markets.length, verdicts, validation: validationMap(reports) };
}

/**
 * Runs after start-up (it takes a second or two on the simulator); never throws.
 * The scan loop holds its batches until the verdicts are in, so no row is ever
 * tiered without them.
 */
export async function validateStrategies(app: App, sim: Simulator | undefined): Promise<ValidationSummary | undefined> {
  app.scan.validationState = 'pending';
  try {
    await new Promise((r) => setImmediate(r));
    const v = strategyVerdicts({ sim, db: sim ? undefined : app.engine.db });
    if (!v) {
      app.engine.log('strategies: no resolved history to validate on; every strategy is UNPROVEN (no edge, no size)');
      return undefined;
    }
    app.scan.validation = v.validation;
    app.engine.log(`strategies validated on ${v.markets} resolved markets (${v.source}): ${Object.entries(v.verdicts).map(([k, x]) => `${k} ${x}`).join(', ')}`);
    return v;
  } catch (err) {
    app.engine.log(`warning: strategy validation failed: ${(err as Error).message}; every strategy is UNPROVEN`);
    return undefined;
  } finally {
    app.scan.validationState = 'done';
  }
}
