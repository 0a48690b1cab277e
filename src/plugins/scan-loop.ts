// The live batch monitor as an engine plugin:
// every interval (venue time) it scans the next batch of the catalog, prices
// the few Stage-2 candidates that have no streamed book with one narrow REST
// call, and merges the signals into the queue. Batch size and interval change
// at runtime (keys + / - and [ / ]); a low rate budget halves and doubles them.
import type { Engine, EnginePlugin } from '../engine.js';
import { bookFromRest, type OrderBook } from '../book/order-book.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import { BatchPlanner, clusterRows, scan, type ClusterRow, type ScanResult, type StrategyValidation } from '../scan/index.js';
import { clusterMarkets, type ClusterMarkets } from '../scan/cluster-markets.js';
import { reasoningOf, verdictOfValidation, type Signal } from '../scan/signals.js';
import { priorityOf, tierOf } from '../scan/strategies.js';
import type { QueueItem, SignalQueue } from './queue.js';
import type { SignalsRepo } from '../persist/signals-repo.js';

/** REST snapshots fetched for Stage 2 are used for this long, ms. */
const REST_BOOK_TTL_MS = 5_000;

export interface ScanLoopOptions {
  batchSize?: number;
  intervalMs?: number;
  /** Called for each new or changed signal (headless JSON lines). */
  onSignal?: (item: QueueItem) => void;
}

export class ScanLoop implements EnginePlugin {
  readonly name = 'scan';
  planner: BatchPlanner;
  last: ScanResult | undefined;
  clusters: ClusterRow[] = [];
  /** Cluster count over the whole catalog seen so far (latest per cluster id). */
  readonly clusterIndex = new Map<string, ClusterRow>();
  /**
   * Each cluster's markets as its latest batch saw them (top by volume, the
   * rest counted), with the wall time of that scan: the console's cluster
   * detail copies these, it never rebuilds them per frame.
   */
  readonly clusterMarkets = new Map<string, ClusterMarkets & { at: number }>();
  /** Each scanned market's category (latest batch that held it): the queue's category column for arbitrage and spike rows. */
  readonly categoryOf = new Map<string, string>();
  validation: Record<string, StrategyValidation> = {};
  /** 'pending' while strategies are being backtested: rows are UNPROVEN (no edge, no size, never AUTO-TRADE) until the verdicts arrive. */
  validationState: 'none' | 'pending' | 'done' = 'none';
  /** What validation is doing now ('' when idle), for the status bar. */
  validationProgress = '';
  batches = 0;
  private readonly restBooks = new Map<string, { book: OrderBook; at: number }>();
  private ordered: CatalogMarket[] = [];
  private dirty = true;
  private running = false;

  constructor(
    private readonly engine: Engine,
    private readonly queue: SignalQueue,
    private readonly repo: SignalsRepo,
    private readonly opts: ScanLoopOptions = {},
  ) {
    this.planner = new BatchPlanner({ ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.intervalMs ? { intervalMs: opts.intervalMs } : {}) });
    engine.checkpoints.register({
      name: 'scan-cursor',
      toleranceMs: 24 * 3_600_000,
      toCheckpoint: () => this.planner.toCheckpoint(),
      fromCheckpoint: (json) => {
        const r = BatchPlanner.fromCheckpoint(json);
        if (r.ok) this.planner = r.planner;
        return r.ok;
      },
    });
    // Markets with open signals are worth streaming.
    engine.rankers.push({ name: 'signals', weight: 2, score: (m) => (this.signalMarkets.has(m.id) ? 1 : 0) });
  }

  private signalMarkets = new Set<string>();

  /** The market with its screened prices in place of the catalog's (undefined: not screened recently). Set by the app. */
  screenPrices: ((m: CatalogMarket) => CatalogMarket | undefined) | undefined;

  onCatalog(): void {
    this.dirty = true;
  }

  async cycle(): Promise<void> {
    if (this.running || this.engine.phase !== 'streaming') return;
    const now = this.engine.venueNow();
    if (this.dirty) {
      this.ordered = [...this.engine.catalog.markets.values()].filter((m) => !m.closed).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.dirty = false;
    }
    const plan = this.planner.nextBatch(now, this.engine.rest.budgetShareLeft(), this.ordered.length);
    if (!plan.run || !this.ordered.length) return;
    this.running = true;
    try {
      let batch = this.ordered.slice(plan.offset, plan.offset + plan.size);
      if (plan.offset + plan.size > this.ordered.length) batch.push(...this.ordered.slice(0, plan.offset + plan.size - this.ordered.length));
      // Stage 1 screens on the freshest price known (the whole-market screen, not the catalog's sync-time price); stage 2 still needs a book.
      const screened = this.screenPrices;
      if (screened) batch = batch.map((m) => screened(m) ?? m);
      const state = this.planner.state();
      const opts = { now, validation: this.validation, plan: { stopReason: state.stopReason, batchSize: state.batchSize } };
      // First pass finds the candidates; those without a streamed book get one REST snapshot.
      let result = scan(batch, { ...opts, bookOf: (t) => this.bookOf(t) });
      const missing = [...new Set(result.signals.filter((s) => s.gate === 'no fresh book').map((s) => s.tokenId))].slice(0, 20);
      if (missing.length && (await this.fetchBooks(missing))) result = scan(batch, { ...opts, bookOf: (t) => this.bookOf(t) });
      this.absorb(result, batch);
    } finally {
      this.running = false;
    }
  }

  /**
   * The backtest's verdicts arrived: every strategy row already queued is
   * re-tiered with them at once (same arithmetic as a fresh scan), so no row
   * keeps an UNPROVEN tier its strategy no longer has.
   */
  setValidation(validation: Record<string, StrategyValidation>): void {
    this.validation = validation;
    const wall = this.engine.now();
    const changed: QueueItem[] = [];
    for (const it of this.queue.all()) {
      if (it.kind !== 'strategy' || !it.signal) continue;
      const next = toItem(revalidate(it.signal, validation[it.signal.strategy]), false, it.seenAt);
      next.firstSeen = it.firstSeen;
      if (this.queue.upsert(next) !== 'same') {
        changed.push(next);
        this.opts.onSignal?.(next);
      }
    }
    this.repo.save(changed, [], wall);
  }

  private bookOf(token: string): OrderBook | undefined {
    const live = this.engine.books.get(token);
    if (live && live.state === 'fresh') return live;
    const r = this.restBooks.get(token);
    return r && this.engine.now() - r.at < REST_BOOK_TTL_MS ? r.book : undefined;
  }

  private async fetchBooks(tokens: string[]): Promise<boolean> {
    const r = await this.engine.rest.postJson(`${this.engine.source.clobUrl}/books`, tokens.map((token_id) => ({ token_id })), 'clob /books');
    if (!r.ok || !Array.isArray(r.body)) return false;
    const at = this.engine.now();
    for (const item of r.body) {
      const b = bookFromRest(item, at);
      if (b) this.restBooks.set(b.asset, { book: b, at });
    }
    for (const [t, v] of this.restBooks) if (at - v.at > REST_BOOK_TTL_MS) this.restBooks.delete(t);
    return true;
  }

  private absorb(result: ScanResult, batch: readonly CatalogMarket[] = []): void {
    const wall = this.engine.now();
    this.last = result;
    this.batches++;
    const rows = clusterRows(result);
    for (const c of rows) this.clusterIndex.set(c.id, c);
    const byId = new Map(batch.map((m) => [m.id, m]));
    for (const c of result.clusters) this.clusterMarkets.set(c.id, { ...clusterMarkets(c, byId), at: wall });
    for (let i = 0; i < batch.length && i < result.categories.length; i++) this.categoryOf.set(batch[i]!.id, result.categories[i]!.category);
    this.clusters = [...this.clusterIndex.values()].sort((a, b) => b.count - a.count || b.volume - a.volume);
    const changed: QueueItem[] = [];
    for (const s of result.signals) {
      const item = toItem(s, result.review.includes(s), wall);
      const verdict = this.queue.upsert(item);
      if (verdict !== 'same') {
        changed.push(item);
        this.opts.onSignal?.(item);
      }
    }
    // Signals not seen for three intervals, or on closed markets, leave the queue.
    const closed = (id: string) => this.engine.catalog.markets.get(id)?.closed ?? false;
    this.queue.expire('strategy', wall - 3 * this.planner.state().intervalMs, closed);
    this.signalMarkets = this.queue.marketIds();
    const clusterById = new Map(result.clusters.map((c) => [c.id, c]));
    this.repo.save(
      changed,
      rows.map((r) => ({ ...r, marketIds: clusterById.get(r.id)?.marketIds ?? [] })),
      wall,
    );
  }

  stats(): { batches: number; clusters: number; line: string } {
    return { batches: this.batches, clusters: this.clusterIndex.size, line: this.planner.state().line };
  }
}

function toItem(s: Signal, _inReview: boolean, now: number): QueueItem {
  const item: QueueItem = {
    key: `strategy:${s.strategy}:${s.marketId}`,
    kind: 'strategy',
    label: s.strategy,
    tier: s.tier,
    priority: s.priority,
    marketIds: [s.marketId],
    tokenId: s.tokenId,
    question: s.question,
    side: `${s.side} ${s.outcomeLabel}`,
    confidence: s.validation === 'unvalidated' ? 0 : s.validation.winRateLower,
    // The scan's own gate (no fresh book); the paper desk's gater decides the rest.
    gate: s.gate,
    verdict: s.verdict,
    reasoning: s.reasoning,
    claimedWinRate: s.claimedWinRate,
    validated: s.validation === 'unvalidated' ? 'UNPROVEN (no backtest)' : `${(s.validation.winRate * 100).toFixed(1)}% (n ${s.validation.n}, lower ${(s.validation.winRateLower * 100).toFixed(1)}%)${s.validation.passed ? ' VALIDATED' : ' REJECTED'}`,
    autoTradable: s.tier === 'AUTO-TRADE',
    seenAt: now,
    firstSeen: now,
    signal: s,
  };
  if (s.entry !== undefined) item.entry = s.entry;
  // Edge and Kelly's belief exist only for a VALIDATED strategy.
  if (s.edge !== undefined) item.edge = s.edge;
  if (s.verdict === 'VALIDATED' && s.validation !== 'unvalidated') item.p = s.validation.winRateLower;
  if (s.askSize !== undefined) item.size = s.askSize;
  return item;
}

/** A scanned signal re-derived under a (new) backtest verdict: priority, tier, edge and reasoning, as `evaluate` computes them. */
export function revalidate(s: Signal, v: StrategyValidation | undefined): Signal {
  const pr = priorityOf({ claimedWinRate: s.claimedWinRate, validation: v, cost: s.cost });
  const out: Signal = {
    ...s,
    validation: v ?? 'unvalidated',
    verdict: verdictOfValidation(v),
    validatedEdge: v && s.cost !== undefined ? v.winRateLower - s.cost : undefined,
    edge: v?.passed && s.cost !== undefined ? v.winRateLower - s.cost : undefined,
    priority: pr.priority,
    tier: tierOf(pr.priority),
  };
  const head = `${s.gate} (`;
  const end = s.reasoning.indexOf('): no entry price');
  const detail = s.cost === undefined && s.reasoning.startsWith(head) && end > head.length ? s.reasoning.slice(head.length, end) : '';
  out.reasoning = reasoningOf(out, detail, pr.cap);
  return out;
}
