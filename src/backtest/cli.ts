// `polyconsole backtest [--strategy S] [--lead 24h] [--json] [--report FILE.html]
//  [--source sim|db|files] [--db FILE] [--markets FILE --history DIR] [--seed N]`:
// evaluates the strategies on resolved markets and prints the claimed win rate
// beside the measured one, with the verdict. Default source: the embedded
// simulator's backfill for the default seed, handed in by the command line
// (`simHistory`: the backtest core knows no simulator). Returns the exit code
// (0 done, 1 no usable data, 2 bad arguments).
import { existsSync } from 'node:fs';
import { openDatabase } from '../persist/db.js';
import { defaultStrategies, type Strategy } from '../scan/strategies.js';
import { calibrationChart, equityChart } from './charts.js';
import { loadDbHistory } from './db-source.js';
import { evaluateAll, validationMap, DEFAULT_HALF_SPREAD, DEFAULT_LEAD_MS, DEFAULT_TOLERANCE_MS } from './evaluate.js';
import { writeHtmlReport } from './html.js';
import { importFiles } from './import-files.js';
import { formatTable, reportNotes, verdictLines } from './table.js';
import type { Progress, RejectCounts, ResolvedMarket, StrategyReport } from './types.js';
import { scorerBacktest, scorerLine } from '../model/backtest-row.js';
import type { ScorerReport } from '../model/validate.js';
import { systemWall, type WallNow } from '../clock.js';

export interface BacktestArgs {
  strategy?: string;
  /** "24h", "90m", "2d", "3600s", or a number of hours. */
  lead?: string | number;
  json?: boolean;
  report?: string;
  db?: string;
  source?: 'sim' | 'db' | 'files';
  markets?: string | string[];
  history?: string | string[];
  seed?: string | number;
  /** Simulator source: favourite–longshot bias of the backfill quotes (0 = calibrated). */
  bias?: number;
  halfSpread?: number;
  /** Oldest price point accepted before the entry time (default 6h; at most half the lead). Real resolved markets often have only 12-hourly history. */
  tolerance?: string | number;
  resamples?: number;
}

export interface BacktestIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Raw stderr writes (the progress bar redraws in place). */
  raw: (text: string) => void;
  /** stderr is a terminal: draw the progress bar. */
  isTTY: boolean;
  columns: number;
  now: WallNow;
  /** Source sim: the simulator's resolved backfill for a seed and favourite–longshot bias, and how to name it. */
  simHistory?: (seed: string, bias: number) => { markets: ResolvedMarket[]; what: string };
}

const SEED_DEFAULT = 1;

export async function backtestCommand(argv: BacktestArgs, io: Partial<BacktestIo> = {}): Promise<number> {
  const o: BacktestIo = {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    raw: (t) => process.stderr.write(t),
    isTTY: !!process.stderr.isTTY,
    columns: process.stdout.columns || 100,
    now: systemWall,
    ...io,
  };
  const lead = parseLead(argv.lead ?? DEFAULT_LEAD_MS);
  if (lead === undefined) return usage(o, `--lead: not a duration: ${JSON.stringify(argv.lead)} (use 24h, 90m, 2d)`);
  const tolerance = argv.tolerance === undefined ? DEFAULT_TOLERANCE_MS : parseLead(argv.tolerance);
  if (tolerance === undefined) return usage(o, `--tolerance: not a duration: ${JSON.stringify(argv.tolerance)}`);
  const all = defaultStrategies().strategies;
  let strategies: Strategy[] = all;
  if (argv.strategy) {
    const want = argv.strategy.toUpperCase();
    strategies = all.filter((s) => s.id === want);
    if (!strategies.length) return usage(o, `--strategy: unknown ${JSON.stringify(argv.strategy)} (one of ${all.map((s) => s.id).join(', ')})`);
  }
  const source = argv.source ?? (argv.markets ? 'files' : 'sim');
  if (!['sim', 'db', 'files'].includes(source)) return usage(o, `--source: one of sim, db, files`);
  const halfSpread = argv.halfSpread ?? DEFAULT_HALF_SPREAD;
  if (!(halfSpread >= 0 && halfSpread < 0.5)) return usage(o, '--half-spread: in [0, 0.5)');

  let loaded: { markets: ResolvedMarket[]; rejects: RejectCounts; what: string };
  try {
    const l = load(source, argv, o.simHistory);
    if (typeof l === 'string') return usage(o, l);
    loaded = l;
  } catch (err) {
    o.err(`backtest: ${(err as Error).message}`);
    return 1;
  }
  if (!loaded.markets.length) {
    o.err(`backtest: no usable resolved markets from ${loaded.what}${rejectText(loaded.rejects)}`);
    return 1;
  }

  const bar = o.isTTY && !argv.json ? progressBar(o) : undefined;
  const reports = evaluateAll(loaded.markets, strategies, {
    leadMs: lead,
    halfSpread,
    toleranceMs: tolerance,
    bootstrap: { resamples: argv.resamples ?? 2000, seed: argv.seed ?? SEED_DEFAULT },
    ...(bar ? { onProgress: bar.update } : {}),
  });
  bar?.done();
  // The learned scorer is validated beside the strategies on the same markets and lead (all strategies run only).
  const scorer: ScorerReport | undefined = argv.strategy
    ? undefined
    : scorerBacktest(loaded.markets, { leadMs: lead, toleranceMs: tolerance, halfSpread, strategies: all, resamples: argv.resamples ?? 2000, seed: argv.seed ?? SEED_DEFAULT });

  if (argv.report) writeHtmlReport(argv.report, reports, { source: `${loaded.what}: ${loaded.markets.length} resolved markets${rejectText(loaded.rejects)}`, generatedAt: o.now(), ...(scorer ? { scorer: scorerLine(scorer) } : {}) });
  if (argv.json) {
    o.out(JSON.stringify(toJson(reports, loaded, argv.report, scorer)));
    return 0;
  }
  o.out(`${loaded.what}: ${loaded.markets.length.toLocaleString('en-US')} resolved markets${rejectText(loaded.rejects)}`);
  o.out('');
  for (const l of formatTable(reports, { columns: o.columns })) o.out(l);
  o.out('');
  for (const l of verdictLines(reports)) o.out(l);
  if (scorer) o.out(scorerLine(scorer));
  o.out('');
  for (const l of reportNotes(reports)) o.out(`· ${l}`);
  const width = Math.min(o.columns, 120);
  if (strategies.length === 1) {
    const r = reports[0]!;
    o.out('');
    o.out(`equity (${r.strategy}, cumulative $ per share, ${r.n} events):`);
    for (const l of equityChart(r.equity, { width, height: 8 })) o.out(l);
    o.out('');
    o.out('calibration of the entries:');
    for (const l of calibrationChart(r.calibration, { width })) o.out(l);
  }
  if (argv.report) o.out(`\nreport written to ${argv.report}`);
  return 0;
}

function load(source: string, argv: BacktestArgs, simHistory: BacktestIo['simHistory']): { markets: ResolvedMarket[]; rejects: RejectCounts; what: string } | string {
  if (source === 'files') {
    if (!argv.markets || !argv.history) return '--source files needs --markets FILE and --history DIR|FILE';
    const r = importFiles({ markets: argv.markets, history: argv.history });
    return { markets: r.markets, rejects: r.rejects, what: `files (${r.read.marketObjects} market objects, ${r.read.series} series)` };
  }
  if (source === 'db') {
    const path = argv.db ?? './data/polyconsole.db';
    if (!existsSync(path)) throw new Error(`no database at ${path}`);
    const { db } = openDatabase(path);
    try {
      const r = loadDbHistory(db);
      return { ...r, what: `database ${path}` };
    } finally {
      db.close();
    }
  }
  const seed = String(argv.seed ?? SEED_DEFAULT);
  const bias = argv.bias ?? 0;
  if (!(bias >= 0 && bias <= 0.5)) return '--bias: in [0, 0.5]';
  if (!simHistory) throw new Error('the simulator backfill is not available here (use --source db or files)');
  return { ...simHistory(seed, bias), rejects: {} };
}

/** "24h" / "90m" / "2d" / "3600s" / "1.5" (hours) / a number of ms ≥ 60,000 → ms. */
export function parseLead(v: string | number): number | undefined {
  if (typeof v === 'number') return v >= 60_000 ? v : v > 0 ? v * 3_600_000 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/i.exec(v);
  if (!m) return undefined;
  const x = Number(m[1]);
  const unit = (m[2] ?? 'h').toLowerCase();
  const ms = x * ({ ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as Record<string, number>)[unit]!;
  return ms >= 60_000 ? ms : undefined;
}

function toJson(reports: StrategyReport[], loaded: { markets: ResolvedMarket[]; rejects: RejectCounts; what: string }, report: string | undefined, scorer?: ScorerReport) {
  return {
    source: loaded.what,
    markets: loaded.markets.length,
    rejects: loaded.rejects,
    notes: reportNotes(reports),
    validation: validationMap(reports),
    strategies: [
      ...reports.map(({ trades, equity, ...r }) => ({ ...r, equityEnd: equity.length ? equity[equity.length - 1] : 0, firstTrades: trades.slice(0, 5) })),
      // The scorer's row (kind "scorer"): Brier skill against the market price, not a win rate; never in the validation map.
      ...(scorer ? [scorer] : []),
    ],
    ...(report ? { report } : {}),
  };
}

function rejectText(rejects: RejectCounts): string {
  const parts = Object.entries(rejects).map(([k, v]) => `${k} ${v}`);
  return parts.length ? ` (rejected: ${parts.join(', ')})` : '';
}

function usage(o: BacktestIo, msg: string): number {
  o.err(`backtest: ${msg}`);
  return 2;
}

/** A one-line bar on stderr, redrawn in place. */
function progressBar(o: BacktestIo): { update: (p: Progress) => void; done: () => void } {
  const phases: Progress['phase'][] = ['entries', 'bootstrap', 'walk-forward', 'done'];
  const w = 24;
  return {
    update: (p) => {
      const frac = (p.index + (phases.indexOf(p.phase) + 1) / phases.length) / p.total;
      const fill = Math.round(frac * w);
      o.raw(`\r[${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${p.index + 1}/${p.total} ${p.strategy} ${p.phase}`.padEnd(80));
    },
    done: () => o.raw('\r' + ' '.repeat(80) + '\r'),
  };
}
