// The immutable per-pane snapshot the UI renders (DESIGN §7). Every field is
// plain data computed by the store; components never compute trading logic.
import type { SourceKind } from '../src/engine.js';
import type { ShardState } from '../src/feed/shard.js';
import type { PortfolioPane as PaperPortfolio, PositionRowView } from '../src/paper/report.js';
import type { BlotterRow } from '../src/paper/blotter.js';
import type { LiveView } from '../src/plugins/live-session.js';
import { deepFreeze } from '../src/frozen.js';

/**
 * Live trading as the live session computed it (absent on paper): wallet
 * (abbreviated), venue, halt, heartbeat, user channel, clock drift, limits,
 * open and past orders with their states and the exchange's refusal, fills
 * with their settlement state.
 */
export type LivePane = Omit<LiveView, 'account'> & {
  tradingOn: boolean;
  account: Omit<LiveView['account'], 'positions'> & { positions: (LiveView['account']['positions'][number] & { question: string; outcome: string })[] };
};

export interface StatusPane {
  source: SourceKind;
  run: 'RUNNING' | 'PAUSED';
  phase: string;
  line: string;
  msgsPerSec: number;
  books: { total: number; fresh: number; stale: number; outOfSync: number };
  rejected: number;
  budgetLeft: number;
  catalog: { markets: number; pages: number; phase: string };
  /** Frames were shed recently because the engine could not keep up. */
  overload: boolean;
  /** Current shard target size (shrinks after stalls) and splits so far. */
  pool: { targetSize: number; splits: number; awaitingFirstEvent: number };
  /** Wall clock, HH:MM:SS UTC. */
  clock: string;
  /** Set when the console wants the operator to read something (corrupt DB moved aside, …). */
  notice: string;
  /** The batch scan loop: effective batch size and interval, and its one-line state. */
  scan: { batchSize: number; intervalMs: number; stopReason: string; line: string; batches: number };
  arbs: number;
  /**
   * The whole-market screen: tokens streamed (the hot set), tokens with a
   * screened price, every open token, candidates found on screened prices and
   * not yet confirmed on books, markets promoted into the hot set, and the age
   * of the oldest screened price (-1 before the first full pass).
   */
  screen: { streamed: number; screened: number; universe: number; candidates: number; promoted: number; ageMs: number; budgetPer10s: number } | null;
  /** Strategy validation running behind the UI ("validating: …"), or ''. */
  validation: string;
  /** Alert channels, when configured: how many answer, the newest send, what waits, what dedupe held back. */
  alerts?: AlertsStatus;
  /** The learned scorer: verdict, skill with interval, model age and training-set size. */
  scorer?: ScorerPane;
}

export interface AlertsStatus {
  channels: number;
  connected: number;
  /** Seconds since the newest successful send on any channel; -1 before the first. */
  lastSentAgoSec: number;
  queued: number;
  suppressed: number;
  failed: number;
  /** The first channel's last error (redacted), or ''. */
  lastError: string;
}

export interface ShardRow {
  id: number;
  state: ShardState;
  assets: number;
  msgsPerSec: number;
  /** Recent msgs/s samples, oldest first, for a sparkline. */
  history: number[];
  lastMsgAgeMs: number;
  reconnects: number;
  gaps: number;
  staleBooks: number;
  reason: string;
}

export interface ClusterPaneRow {
  id: string;
  category: string;
  count: number;
  summary: string;
  confidence: number;
  /** The grouping rule: event, series, ladder or single; and the rule in words. */
  kind?: string;
  rule?: string;
  /** Distinct questions (duplicates merged). */
  unique?: number;
  /** Its markets as the latest scan of it saw them (top by volume), and how many more it holds. */
  markets?: ClusterMarketRow[];
  more?: number;
  /** When that scan ran, HH:MM:SS UTC: the prices listed are from then. */
  scannedAt?: string;
}

/** One market of a cluster (the cluster detail). */
export interface ClusterMarketRow {
  id: string;
  question: string;
  /** The outcome the price is for ("Yes", "Up", a named outcome). */
  outcome: string;
  price?: number;
  /** What ties it to the cluster ("same event", "series nba", "duplicate question") and that rule's confidence. */
  tie: string;
  confidence: number;
  /** polymarket.com page, '' when the slugs are missing or unusable. */
  url: string;
}

export interface SignalPaneRow {
  key: string;
  rank: number;
  tier: string;
  kind: 'strategy' | 'arb' | 'spike';
  label: string;
  question: string;
  side: string;
  entry?: number;
  /** Validated edge per share (Wilson LB − c) or arbitrage net per set; absent for unproven/rejected strategies. */
  edge?: number;
  /** What executing now would trade (shares / sets); absent when the desk would not trade. */
  size?: number;
  /** Strategy rows: VALIDATED, REJECTED or UNPROVEN. */
  verdict?: 'VALIDATED' | 'REJECTED' | 'UNPROVEN';
  ofi?: number;
  ofiGap?: boolean;
  confidence: number;
  gate: string;
  reasoning: string;
  marketIds: string[];
  claimed?: number;
  validated?: string;
  /** The Kelly arithmetic for this row (paper sizing), for the detail view. */
  kelly?: string;
  legs?: { outcome: string; side: string; price: number; size: number; fee: number }[];
  /** Crypto rows with a reference rule: fair value beside the market price and the microstructure class. */
  fair?: { p: number | null; line: string; explain: string; source: string };
  /** The learned scorer's read: p and diff (model − YES mid) only while it is VALIDATED and its model current. */
  model?: { verdict: 'VALIDATED' | 'REJECTED' | 'UNPROVEN'; p?: number; diff?: number; note: string };
  /** The strategy's ranking weight from its recent validated record, and the arithmetic. */
  weight?: { weight: number; rank: number; arithmetic: string };
  /** The scan’s category of the (first) market, for the wide layout. */
  category?: string;
  /** Depth the source saw at the entry price (shares; arbitrage: executable sets). */
  depth?: number;
  /** Time since the row first entered the queue, ms, in 10 s steps (so the pane redraws no more often for it). */
  ageMs?: number;
}

/** The learned scorer in the header and the detail view. */
export interface ScorerPane {
  verdict: 'VALIDATED' | 'REJECTED' | 'UNPROVEN';
  /** 'validating…', why it is not VALIDATED, or ''. */
  note: string;
  brierSkill: number | null;
  brierSkillCi: [number, number] | null;
  /** Out-of-sample events behind the verdict. */
  events: number;
  /** Current model: hash, age (ms; null without one), whether expired, training rows and events. */
  hash: string | null;
  ageMs: number | null;
  expired: boolean;
  trainedRows: number;
  rows: number;
  training: boolean;
  retrains: number;
  liveOutcomes: number;
}

export interface OfiPaneRow {
  token: string;
  marketId: string;
  question: string;
  /** Normalised OFI over the short window (by average top-of-book depth). */
  normalized: number;
  /** The same over the long (5 min) window, when the tracker has it: the wide layout's second column. */
  normalized5m?: number;
  ofi: number;
  tradeFlow: number;
  /** Recent normalised values, oldest first, for a sparkline. */
  history: number[];
  /** YES vs NO flow divergence for the market. */
  divergence: number;
  /** The window overlaps a feed gap or stale period. */
  gap: boolean;
  micro?: { score: number; type: string; confidence: number };
}

/** An open position as the pane shows it: the paper report's row without its flag; realised and fees for the wide layout. */
export type PositionRow = Omit<PositionRowView, 'realized' | 'fees' | 'flag'> & { realized?: number; fees?: number };

/** The paper report's portfolio, cut to what the pane shows. */
export type PortfolioPane = Pick<PaperPortfolio, 'enabled' | 'cash' | 'realized' | 'fees' | 'orders' | 'fills' | 'lastFill'> & {
  /** null until every open position has a mark (an executable bid): never a guess. */
  equity: number | null;
  unrealized: number | null;
  positions: PositionRow[];
  breaker: { state: string; reason: string; drawdown: number; resumePending: boolean };
  /** Newest first: every fill, settlement and refusal with why, and the realised P&L it booked. */
  blotter: BlotterRow[];
};

export interface IncidentRow {
  shard: number;
  kind: string;
  start: string;
  durationMs: number | null;
  detail: string;
}

export interface Snapshot {
  seq: number;
  status: StatusPane;
  shards: ShardRow[];
  incidents: IncidentRow[];
  clusters: ClusterPaneRow[];
  signals: SignalPaneRow[];
  ofi: OfiPaneRow[];
  portfolio: PortfolioPane;
  /** Present only when the console trades live (--trade-live, confirmed). */
  live?: LivePane;
  /** polymarket.com page of every market a pane shows (market id → URL), for copying; absent: no usable slug. */
  links: Readonly<Record<string, string>>;
}

export interface StoreActions {
  /** Returns the one-line feedback ("paused", …). */
  togglePause(): string;
  quit(): void;
  /** `+` / `-`: batch size by one step; the feedback says the new value and a limit reached ("batch 300 (max)"). */
  batchSize(dir: 1 | -1): string;
  /** `]` / `[`: scan interval one step longer or shorter; feedback as for batchSize. */
  interval(dir: 1 | -1): string;
  /** `t` (after confirmation): paper trading on/off; returns the feedback. */
  togglePaper(): string;
  /** `x` (after confirmation): halt at once (circuit breaker); returns the feedback. */
  halt(): string;
  /** Resume after a halt (after confirmation); returns the feedback. */
  resume(): string;
  /** Execute a queue row on paper (after confirmation). Returns a one-line result. */
  execute(key: string): string;
}

/** One token's book as a detail view reads it: best levels first, probability units. */
export interface DepthView {
  state: string;
  bids: { price: number; size: number }[];
  asks: { price: number; size: number }[];
  lastTrade?: number;
  /** Age of the last message touching the book, ms. */
  ageMs: number;
}

/** What the UI needs from a store: a subscription, the latest snapshot, and actions. */
export interface StoreLike {
  subscribe(listener: () => void): () => void;
  getSnapshot(): Snapshot;
  readonly actions: StoreActions;
  /** Read-only: the top `levels` of a token's live book, for a detail view (read at publish time). */
  depth?(token: string, levels: number): DepthView | undefined;
}

export const EMPTY_SNAPSHOT: Snapshot = deepFreeze({
  seq: 0,
  status: {
    source: 'SIM',
    run: 'RUNNING',
    phase: 'starting',
    line: 'starting',
    msgsPerSec: 0,
    books: { total: 0, fresh: 0, stale: 0, outOfSync: 0 },
    rejected: 0,
    budgetLeft: 1,
    catalog: { markets: 0, pages: 0, phase: 'idle' },
    overload: false,
    pool: { targetSize: 200, splits: 0, awaitingFirstEvent: 0 },
    clock: '--:--:--',
    notice: '',
    scan: { batchSize: 150, intervalMs: 300_000, stopReason: 'ok', line: '', batches: 0 },
    arbs: 0,
    screen: null,
    validation: '',
  },
  shards: [],
  incidents: [],
  clusters: [],
  signals: [],
  ofi: [],
  portfolio: {
    enabled: false,
    cash: 0,
    equity: 0,
    realized: 0,
    unrealized: 0,
    fees: 0,
    orders: 0,
    fills: 0,
    positions: [],
    breaker: { state: 'ARMED', reason: '', drawdown: 0, resumePending: false },
    lastFill: '',
    blotter: [],
  },
  links: {},
});
