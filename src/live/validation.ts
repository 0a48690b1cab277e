// Claimed vs validated: strategies are evaluated on resolved history (the
// simulator's backfill in SIM mode, the collector's database otherwise) and the
// verdicts reach the scan, so the queue and detail view show both and only a
// validated strategy can reach AUTO-TRADE.
import type { App } from '../app.js';
import type { Simulator } from '../sim/simulator.js';
import { defaultStrategies } from '../scan/index.js';
import { evaluateAll, loadDbHistory, loadSimHistory, validationMap, verdictOf, type ResolvedMarket } from '../backtest/index.js';

export interface ValidationSummary {
  source: 'sim' | 'db';
  markets: number;
  verdicts: Record<string, string>;
}

/** Runs after start-up (it takes a second or two on the simulator); never throws. */
export async function validateStrategies(app: App, sim: Simulator | undefined): Promise<ValidationSummary | undefined> {
  try {
    await new Promise((r) => setImmediate(r));
    let markets: ResolvedMarket[];
    let source: 'sim' | 'db';
    if (sim) {
      markets = loadSimHistory(sim);
      source = 'sim';
    } else {
      markets = loadDbHistory(app.engine.db).markets;
      source = 'db';
    }
    if (!markets.length) return undefined;
    const reports = evaluateAll(markets, defaultStrategies().strategies);
    app.scan.validation = validationMap(reports);
    const verdicts: Record<string, string> = {};
    for (const r of reports) verdicts[r.strategy] = `${verdictOf(r).verdict} (n ${r.n})`;
    app.engine.log(`strategies validated on ${markets.length} resolved markets (${source}): ${Object.entries(verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return { source, markets: markets.length, verdicts };
  } catch (err) {
    app.engine.log(`warning: strategy validation failed: ${(err as Error).message}`);
    return undefined;
  }
}
