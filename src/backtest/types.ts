// The values a backtest passes around: resolved markets in (from the simulator's
// backfill, Gamma + /prices-history files, or the collector's SQLite), one
// report per strategy out.

/** A binary market that settled 1/0, with the mid-price history of its YES token. */
export interface ResolvedMarket {
  id: string;
  /** Independent unit of evidence: sibling markets of one event are one bet. A market without an event is its own. */
  eventId: string;
  question: string;
  /** Lowercase, accent-free question (what strategy patterns and the taxonomy read). */
  folded: string;
  /** Taxonomy category, computed the way the live scan does (question → event title → tags). */
  category: string;
  tokenIds: [string, string];
  /** Scheduled end (Gamma endDate), ms. */
  endMs: number;
  /** When the market closed (Gamma closedTime), ms; may be long before endMs when decided early. */
  closedMs: number;
  /** Index of the winning token: 0 = YES, 1 = NO. */
  winner: 0 | 1;
  /** Taker fee schedule: fee per share = rate·(p(1−p))^exponent. */
  fee: { rate: number; exponent: number };
  /** YES mid history, ascending: unix seconds and 0.0001 price units (DESIGN §3). */
  t: Int32Array;
  p: Uint16Array;
  volume: number;
  source: 'sim' | 'files' | 'db' | 'venue';
}

/** Counted reasons a resolved-market input was not usable. */
export type RejectCounts = Record<string, number>;

export interface LoadResult {
  markets: ResolvedMarket[];
  rejects: RejectCounts;
}

/** One qualifying entry: a market that met the strategy's rules at its entry time. */
export interface Candidate {
  market: number;
  entryMs: number;
  /** Mid of the bought outcome at entry (probability): the market's own forecast. */
  mid: number;
  /** Executable price assumed: mid + half spread. */
  ask: number;
  fee: number;
  /** All-in cost per share c = ask + fee. */
  cost: number;
  /** Payout of the bought share: 1 if it won. */
  win: 0 | 1;
}

export interface Trade extends Candidate {
  marketId: string;
  eventId: string;
}

export type Verdict = 'VALIDATED' | 'REJECTED' | 'UNPROVEN';

export interface CalibrationBin {
  lo: number;
  hi: number;
  n: number;
  /** Mean forecast price in the bin. */
  price: number;
  /** Realised frequency. */
  rate: number;
}

export interface WalkForwardFold {
  /** Entry-time range of the test fold, ms. */
  fromMs: number;
  toMs: number;
  trainEvents: number;
  /** The price band chosen on the training events. */
  band: [number, number];
  trainRoi: number | undefined;
  testTrades: number;
  testRoi: number | undefined;
}

export interface WalkForward {
  folds: WalkForwardFold[];
  /** Variants tried per fold (price sub-bands); log it beside the result. */
  variants: number;
  /** Pooled out-of-sample trades and ROI over every test fold. */
  trades: number;
  roi: number | undefined;
  /** What is fitted, in words (printed with the report). */
  method: string;
}

export interface StrategyReport {
  strategy: string;
  category: string;
  outcome: 'YES' | 'NO';
  priceBand: [number, number];
  claimedWinRate: number;
  /** Lead actually used: the requested lead clamped into the strategy's hours-to-resolution band. */
  leadMs: number;
  /** Oldest price point accepted before the entry: min(tolerance, lead/2). */
  toleranceMs: number;
  halfSpread: number;
  /** Independent events traded (one trade per event). */
  n: number;
  wins: number;
  winRate: number;
  /** Wilson 95% interval of the win rate. */
  wilson: [number, number];
  /** c̄: mean all-in cost per share (one share per event) = the break-even win rate. */
  avgCost: number;
  avgPrice: number;
  avgFee: number;
  /** ŵ − c̄. */
  excessWinRate: number;
  /** Σ(Y − c)/Σc = (ŵ − c̄)/c̄ with one share per event. */
  roi: number;
  /** Event-bootstrap percentile 95% interval of the ROI. */
  roiCi: [number, number];
  bootstrap: { resamples: number; seed: string };
  walkForward: WalkForward;
  /** Brier score of the market's own mid and of the claimed win rate, as forecasts of the bought outcome. */
  brier: { market: number; claimed: number };
  calibration: CalibrationBin[];
  /** Cumulative P&L in dollars, one share per event, in entry order. */
  equity: number[];
  /** Markets seen in the category and why they did not become candidates. */
  considered: number;
  skipped: Record<string, number>;
  verdict: Verdict;
  /** Which gate conditions failed (empty when VALIDATED). */
  reasons: string[];
  trades: Trade[];
}

export interface Progress {
  strategy: string;
  /** 0-based index of the strategy and how many there are. */
  index: number;
  total: number;
  phase: 'entries' | 'bootstrap' | 'walk-forward' | 'done';
}
