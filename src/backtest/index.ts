// Backtesting core (DESIGN §2 src/backtest): strategy evaluation on resolved
// markets, their sources (the venue over HTTP, venue files, the collector's
// SQLite), the snapshot collector, and the ways to see a result.
export type { ResolvedMarket, StrategyReport, Trade, Candidate, Verdict, Progress, CalibrationBin, WalkForward, WalkForwardFold, LoadResult, RejectCounts } from './types.js';
export { evaluate, evaluateAll, verdictOf, validationMap, indexByCategory, DEFAULT_LEAD_MS, DEFAULT_HALF_SPREAD, DEFAULT_TOLERANCE_MS, MIN_EVENTS, type EvaluateOptions } from './evaluate.js';
export { candidateFor, entryTime, leadFor, pointAt, type EntryOptions, type SkipReason } from './entry.js';
export { wilson, roiOf, brier, calibrationBins, bootstrapRoi, seededRandom, quantileSorted, eventsToDetect, Z95 } from './stats.js';
export { walkForward, subBands, WALK_FORWARD_METHOD, type WalkForwardOptions } from './walk-forward.js';
export { resolvedFromGamma, toSeries, classify } from './resolved.js';
export { importFiles, type ImportSpec, type ImportResult } from './import-files.js';
export { loadDbHistory } from './db-source.js';
export { readWireHistory, type WireHistoryOptions, type WireHistoryResult } from './wire-history.js';
export { SnapshotCollector, type CollectorOptions, type CollectResult, type CollectorCheckpoint } from './collector.js';
export { equityChart, calibrationChart, bar, type ChartOptions } from './charts.js';
export { formatTable, tableCells, reportNotes, verdictLines } from './table.js';
export { writeHtmlReport, renderHtmlReport, equitySvg, calibrationSvg, type HtmlMeta } from './html.js';
export { backtestCommand, parseLead, type BacktestArgs, type BacktestIo } from './cli.js';
