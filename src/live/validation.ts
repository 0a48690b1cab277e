// Claimed vs validated: strategies are evaluated on resolved history (the
// simulator's backfill in SIM mode, the collector's database otherwise) and the
// verdicts reach the scan, so the queue and detail view show both and only a
// validated strategy can reach AUTO-TRADE. The console and `scan --json` both
// get their verdicts from `strategyVerdicts`, so they agree on tier and edge.
//
// Building the simulator's history takes seconds of CPU, so the console runs
// it in a worker thread: the UI draws and answers keys meanwhile.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { App } from '../app.js';
import type { DB } from '../persist/db.js';
import type { Simulator } from '../sim/simulator.js';
import { loadTemplates } from '../sim/world.js';
import { defaultStrategies, type StrategyValidation } from '../scan/index.js';
import { evaluateAll, loadBackfill, loadDbHistory, validationMap, verdictOf, type ResolvedMarket } from '../backtest/index.js';

export interface ValidationSummary {
  source: 'sim' | 'db';
  markets: number;
  verdicts: Record<string, string>;
  validation: Record<string, StrategyValidation>;
}

/** Where resolved history comes from: a simulator world's backfill (by seed and epoch), or a database. */
export type HistorySource = { kind: 'sim'; seed: string; epochMs: number } | { kind: 'db'; db: DB } | { kind: 'db-file'; path: string };

export function historyOf(sim: Pick<Simulator, 'world'> | undefined, db: DB): HistorySource {
  return sim ? { kind: 'sim', seed: sim.world.seed, epochMs: sim.world.epochMs } : { kind: 'db', db };
}

/** The resolved markets a history source holds (the simulator's backfill is seconds of CPU: call it off the UI thread). */
export function resolvedHistory(from: HistorySource): ResolvedMarket[] {
  if (from.kind === 'sim') return loadBackfill({ seed: from.seed, epochMs: from.epochMs, templates: loadTemplates() });
  if (from.kind === 'db') return loadDbHistory(from.db).markets;
  if (!existsSync(from.path)) return [];
  const db = new Database(from.path, { readonly: true, fileMustExist: true });
  try {
    return loadDbHistory(db).markets;
  } finally {
    db.close();
  }
}

/** Backtests every strategy on the resolved history; undefined with no history. */
export function strategyVerdicts(from: HistorySource, progress: (line: string) => void = () => {}): ValidationSummary | undefined {
  progress(from.kind === 'sim' ? 'building the simulator’s resolved history' : 'reading resolved markets');
  const markets = resolvedHistory(from);
  if (!markets.length) return undefined;
  progress(`backtesting ${defaultStrategies().strategies.length} strategies on ${markets.length.toLocaleString('en-US')} resolved markets`);
  const reports = evaluateAll(markets, defaultStrategies().strategies);
  const verdicts: Record<string, string> = {};
  for (const r of reports) verdicts[r.strategy] = `${verdictOf(r).verdict} (n ${r.n})`;
  return { source: from.kind === 'sim' ? 'sim' : 'db', markets: markets.length, verdicts, validation: validationMap(reports) };
}

type WorkerMsg = { type: 'progress'; line: string } | { type: 'done'; result: ValidationSummary | null } | { type: 'error'; message: string };

/** Runs `strategyVerdicts` in a worker thread when running compiled (dist); inline otherwise (tests run the sources). */
function verdictsBehind(from: HistorySource, progress: (line: string) => void): Promise<ValidationSummary | undefined> {
  const workerFile = fileURLToPath(new URL('./validation-worker.js', import.meta.url));
  const portable = from.kind === 'db' ? ({ kind: 'db-file', path: from.db.name } as const) : from;
  if (!import.meta.url.endsWith('.js') || !existsSync(workerFile) || (from.kind === 'db' && (from.db.memory || !existsSync(from.db.name)))) {
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(strategyVerdicts(from, progress));
        } catch (err) {
          reject(err as Error);
        }
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: portable });
    w.unref();
    w.on('message', (m: WorkerMsg) => {
      if (m.type === 'progress') progress(m.line);
      else if (m.type === 'done') resolve(m.result ?? undefined);
      else reject(new Error(m.message));
    });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`validation worker exited with code ${code}`))));
  });
}

/**
 * Runs behind the UI; never throws. Until it ends every strategy row is
 * UNPROVEN (no edge, no size, never auto-traded); then the queued rows are
 * re-tiered at once. Progress is visible in the status bar.
 */
export async function validateStrategies(app: App, sim: Pick<Simulator, 'world'> | undefined): Promise<ValidationSummary | undefined> {
  app.scan.validationState = 'pending';
  app.scan.validationProgress = 'validating strategies…';
  const started = performance.now(); // a duration: the monotonic clock
  try {
    const v = await verdictsBehind(historyOf(sim, app.engine.db), (line) => (app.scan.validationProgress = `validating: ${line}…`));
    if (!v) {
      app.engine.log('strategies: no resolved history to validate on; every strategy is UNPROVEN (no edge, no size)');
      return undefined;
    }
    app.scan.setValidation(v.validation);
    app.engine.log(`strategies validated on ${v.markets} resolved markets (${v.source}) in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Object.entries(v.verdicts).map(([k, x]) => `${k} ${x}`).join(', ')}`);
    return v;
  } catch (err) {
    app.engine.log(`warning: strategy validation failed: ${(err as Error).message}; every strategy is UNPROVEN`);
    return undefined;
  } finally {
    app.scan.validationState = 'done';
    app.scan.validationProgress = '';
  }
}
