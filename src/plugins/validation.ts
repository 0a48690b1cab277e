// Claimed vs validated: strategies are evaluated on resolved history and the
// verdicts reach the scan, so the queue and detail view show both and only a
// validated strategy can reach AUTO-TRADE. The console and `scan --json` both
// get their verdicts from `strategyVerdicts`, so they agree on tier and edge.
//
// The history is read from the venue over HTTP, the same calls on the
// simulator and on Polymarket (Gamma's closed markets and the CLOB's price
// history, backtest/wire-history.ts), up to the moment the session started;
// live, the markets the snapshot collector stored and the venue no longer
// lists are added from the database. Reading and backtesting thousands of
// markets takes seconds, so the console runs it in a worker thread: the UI
// draws and answers keys meanwhile.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { App } from '../app.js';
import type { Source } from '../engine.js';
import type { DB } from '../persist/db.js';
import { RestClient } from '../feed/rest-client.js';
import { defaultStrategies, type StrategyValidation } from '../scan/index.js';
import { evaluateAll, loadDbHistory, readWireHistory, validationMap, verdictOf, type ResolvedMarket } from '../backtest/index.js';

export interface ValidationSummary {
  /** Where the history came from: 'sim' or 'live' (the venue, plus the database live), or 'db'. */
  source: string;
  markets: number;
  verdicts: Record<string, string>;
  validation: Record<string, StrategyValidation>;
}

/**
 * Where resolved history comes from: the venue's REST origins (markets that
 * closed before `untilMs`; `label` names the venue in the log; `db`, when
 * given, adds the collector's markets the venue did not return), or a database.
 */
export type HistorySource =
  | { kind: 'venue'; label: string; gammaUrl: string; clobUrl: string; untilMs: number; budgetShare?: number; db?: string }
  | { kind: 'db'; db: DB }
  | { kind: 'db-file'; path: string };

/**
 * The history a session validates on: its venue's, up to `untilMs` (when the
 * session started: the simulator's epoch, the wall clock live). Live, the
 * validation reads with a fifth of the venue's rate limits (the engine keeps
 * the rest) and adds the collector's database.
 */
export function historyOf(source: Pick<Source, 'kind' | 'gammaUrl' | 'clobUrl'>, db: DB, untilMs: number): HistorySource {
  if (source.kind === 'REPLAY') return { kind: 'db', db };
  const venue = { kind: 'venue', gammaUrl: source.gammaUrl, clobUrl: source.clobUrl, untilMs } as const;
  if (source.kind === 'SIM') return { ...venue, label: 'sim' };
  return { ...venue, label: 'live', budgetShare: 0.2, ...(!db.memory && existsSync(db.name) ? { db: db.name } : {}) };
}

function readDbFile(path: string): ResolvedMarket[] | undefined {
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return loadDbHistory(db).markets;
  } finally {
    db.close();
  }
}

async function historyFrom(from: HistorySource, progress: (line: string) => void): Promise<ResolvedMarket[] | undefined> {
  if (from.kind === 'db') return loadDbHistory(from.db).markets;
  if (from.kind === 'db-file') return readDbFile(from.path);
  const rest = new RestClient({ budgetShare: from.budgetShare ?? 0.8 });
  const r = await readWireHistory(rest, { gammaUrl: from.gammaUrl, clobUrl: from.clobUrl, untilMs: from.untilMs, progress });
  if (r.errors.length && !r.markets.length) progress(`the venue served no history (${r.errors[0]})`);
  const markets = r.markets;
  if (from.db) {
    const have = new Set(markets.map((m) => m.id));
    for (const m of readDbFile(from.db) ?? []) if (!have.has(m.id) && m.closedMs < from.untilMs) markets.push(m);
  }
  return markets;
}

/** The resolved markets a history source holds (a venue's is read over HTTP, paced; call it off the UI thread). */
export async function resolvedHistory(from: HistorySource, progress: (line: string) => void = () => {}): Promise<ResolvedMarket[]> {
  return (await historyFrom(from, progress)) ?? [];
}

/** Backtests every strategy on the resolved history; undefined with no history. */
export async function strategyVerdicts(from: HistorySource, progress: (line: string) => void = () => {}): Promise<ValidationSummary | undefined> {
  progress(from.kind === 'venue' ? `reading resolved markets from the ${from.label === 'sim' ? 'simulator' : 'venue'}` : 'reading resolved markets');
  const markets = await historyFrom(from, progress);
  return markets?.length ? verdictsOf(markets, from, progress) : undefined;
}

/** Backtests every strategy on resolved markets already read. */
export function verdictsOf(markets: readonly ResolvedMarket[], from: HistorySource, progress: (line: string) => void = () => {}): ValidationSummary | undefined {
  if (!markets.length) return undefined;
  progress(`backtesting ${defaultStrategies().strategies.length} strategies on ${markets.length.toLocaleString('en-US')} resolved markets`);
  const reports = evaluateAll(markets, defaultStrategies().strategies);
  const verdicts: Record<string, string> = {};
  for (const r of reports) verdicts[r.strategy] = `${verdictOf(r).verdict} (n ${r.n})`;
  return { source: from.kind === 'venue' ? from.label : 'db', markets: markets.length, verdicts, validation: validationMap(reports) };
}

type WorkerMsg = { type: 'progress'; line: string } | { type: 'done'; result: ValidationSummary | null } | { type: 'error'; message: string };

/** Runs `strategyVerdicts` in a worker thread when running compiled (dist); inline otherwise (tests run the sources). */
function verdictsBehind(from: HistorySource, progress: (line: string) => void): Promise<ValidationSummary | undefined> {
  const workerFile = fileURLToPath(new URL('./validation-worker.js', import.meta.url));
  const portable = from.kind === 'db' ? ({ kind: 'db-file', path: from.db.name } as const) : from;
  if (!import.meta.url.endsWith('.js') || !existsSync(workerFile) || (from.kind === 'db' && (from.db.memory || !existsSync(from.db.name)))) {
    return new Promise((resolve, reject) => setImmediate(() => strategyVerdicts(from, progress).then(resolve, reject)));
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
export async function validateStrategies(app: App, from: HistorySource | ((progress: (line: string) => void) => Promise<ValidationSummary | undefined>)): Promise<ValidationSummary | undefined> {
  app.scan.validationState = 'pending';
  app.scan.validationProgress = 'validating strategies…';
  const started = performance.now(); // a duration: the monotonic clock
  const progress = (line: string) => (app.scan.validationProgress = `validating: ${line}…`);
  try {
    // A function: the verdicts come from a read of the history shared with the scorer (history-behind.ts).
    const v = await (typeof from === 'function' ? from(progress) : verdictsBehind(from, progress));
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
