// The backtest table: claimed win rate beside the measured one, its Wilson
// interval, the break-even price c̄, ROI with its bootstrap interval, walk-forward
// ROI, Brier, verdict — and the notes that say how entries were priced.
import { WALK_FORWARD_METHOD } from './walk-forward.js';
import type { StrategyReport } from './types.js';

const pct = (x: number, d = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : 'n/a');
const spct = (x: number | undefined, d = 1) => (x !== undefined && Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(d)}%` : 'n/a');

export interface TableOptions {
  /** Terminal width: below 120 columns the Brier and OOS columns are dropped. */
  columns?: number;
}

/** Header and cells of the table (the terminal pads them, the HTML report wraps them). */
export function tableCells(reports: readonly StrategyReport[], wide = true): { head: string[]; rows: string[][] } {
  const head = ['strategy', 'claimed', 'n', 'won', 'Wilson 95%', 'cost=b/e', 'ROI', 'ROI 95% CI', ...(wide ? ['OOS ROI', 'Brier mkt/claim'] : []), 'verdict'];
  const rows = reports.map((r) => [
    r.strategy,
    pct(r.claimedWinRate),
    String(r.n),
    r.n ? pct(r.winRate) : '-',
    r.n ? `${pct(r.wilson[0])}–${pct(r.wilson[1])}` : '-',
    r.n ? r.avgCost.toFixed(3) : '-',
    r.n ? spct(r.roi) : '-',
    r.n ? `${spct(r.roiCi[0])}..${spct(r.roiCi[1])}` : '-',
    ...(wide ? [spct(r.walkForward.roi), r.n ? `${r.brier.market.toFixed(3)}/${r.brier.claimed.toFixed(3)}` : '-'] : []),
    r.verdict,
  ]);
  return { head, rows };
}

export function formatTable(reports: readonly StrategyReport[], opts: TableOptions = {}): string[] {
  const { head, rows } = tableCells(reports, (opts.columns ?? 160) >= 120);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = new Set([1, 2, 3, 5, 6]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** How the numbers were made, printed under the table (and in the HTML report). */
export function reportNotes(reports: readonly StrategyReport[]): string[] {
  const r = reports[0];
  if (!r) return [];
  const leads = [...new Set(reports.map((x) => `${x.strategy} ${hours(x.leadMs)} (price at most ${hours(x.toleranceMs)} old)`))];
  return [
    `entry: the mid at min(closedTime, endDate) − lead (never the settlement price; no price point recent enough → skipped), plus a ${r.halfSpread.toFixed(3)} half spread as the executable ask, plus the taker fee rate·p(1−p): c = ask + fee`,
    `lead per strategy (clamped into its hours-to-resolution band): ${leads.join(', ')}`,
    ...(reports.some((x) => x.leadMs < 3_600_000)
      ? ['a lead under 1 h can enter markets already decided but not yet closed (the median binary locks in 14.6 min before resolution): read short-lead results with care']
      : []),
    'one trade (one share) per event: the first qualifying market in entry-time order; n counts events; c̄ = mean all-in cost = break-even win rate; ROI = Σ(won − c)/Σc',
    `ROI interval: ${r.bootstrap.resamples} event-bootstrap resamples, seed ${r.bootstrap.seed}; walk-forward: ${WALK_FORWARD_METHOD}`,
    'VALIDATED needs n ≥ 300, Wilson lower bound > c̄, ROI CI > 0 and out-of-sample ROI > 0; REJECTED when the ROI CI lies below 0; else UNPROVEN (the deflated Sharpe ratio of §8C is not computed)',
  ];
}

/** Why each strategy is not VALIDATED, one line each. */
export function verdictLines(reports: readonly StrategyReport[]): string[] {
  return reports.map((r) => `${r.strategy}: ${r.verdict}${r.reasons.length ? ` — ${r.reasons.join('; ')}` : ''}`);
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Number.isInteger(h) ? h : h.toFixed(1)}h` : `${Math.round(ms / 60_000)}m`;
}
