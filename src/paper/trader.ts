// PaperTrader: what the engine drives. It holds the catalog view, runs the
// pre-trade gates, sizes strategy entries by fractional Kelly, executes single
// orders and arbitrage baskets through the broker, fills resting orders,
// watches stop-loss / take-profit, settles at resolution, and keeps the circuit
// breaker. Time is always passed in. State lives in SQLite: `PaperTrader.load`
// rebuilds cash, positions, resting orders and the breaker from it.
import type { ArbOpportunity } from '../arb/types.js';
import type { DB } from '../persist/db.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import type { MarketEvent, MarketResolvedEvent, TradeEvent } from '../protocol/events.js';
import type { Signal } from '../scan/signals.js';
import { sanitize } from '../text/sanitize.js';
import { CircuitBreaker, type BreakerView } from './breaker.js';
import { Broker, type SettledToken } from './broker.js';
import type { Executor, ExecutorAccount } from './executor.js';
import { DEFAULT_PAPER_CONFIG, paperConfigSchema, type PaperConfig, type PaperConfigInput } from './config.js';
import { exposureOf, type Exposure } from './exposure.js';
import { intentOf, type PaperRow } from './intents.js';
import { exitReason } from './ledger.js';
import { hedgedShares, holdingsOf, type Holding } from './holdings.js';
import { floorShares } from './money.js';
import { Blotter, type BlotterRow } from './blotter.js';
import { PaperRepo } from '../persist/paper-repo.js';
import { restoreBroker } from './repo.js';
import { executeBasket, planBasket } from './basket.js';
import { executeOrder, executeStrategy, planOrder, planStrategy, type DeskContext, type RefusalInput } from './desk.js';
import { resolutionFromCatalog, resolutionFromEvent } from './settlement.js';
import { fillJson, portfolioPane, summaryOf, type PaperSummary, type PortfolioPane } from './report.js';
import { Consumed, bestBid } from './walk.js';
import type { BookOf, GateName, GateResult, MarketInfo, OrderRequest, OrderResult, PaperFill } from './types.js';
import { venueMs, type VenueNow } from '../clock.js';

export interface PaperTraderOptions {
  bookOf: BookOf;
  config?: PaperConfigInput;
  markets?: readonly CatalogMarket[];
  /** Why this token's feed may be missing changes (a gap on its shard), or undefined. */
  feedGap?: (tokenId: string) => string | undefined;
  log?: (line: string) => void;
  /** Every fill, after it commits (headless: `fillJson`). */
  onFill?: (f: PaperFill) => void;
  /**
   * The venue's clock, which market end dates are on (the simulator's runs at
   * its own speed from its own epoch). Without it, the `now` of each call.
   */
  marketNow?: VenueNow;
}

export interface Refusal {
  ts: number;
  gate: GateName;
  reason: string;
  tokenId: string;
  source?: string;
}

const MAX_REFUSALS = 100;

export class PaperTrader {
  readonly name = 'paper';
  readonly config: PaperConfig;
  readonly repo: PaperRepo;
  readonly broker: Broker;
  readonly breaker: CircuitBreaker;
  enabled: boolean;
  /** Recent refusals, newest last. */
  readonly refusals: Refusal[] = [];
  readonly refusalCounts = new Map<GateName, number>();
  /** The arithmetic of the last sized order or basket (the detail view). */
  lastKellyExplain = '';
  /** The last fill (the pane's "last fill" line). */
  lastFill: PaperFill | undefined;
  /** Markets whose positions could not be settled (voided, unclear prices): id → reason. */
  readonly flagged = new Map<string, string>();
  readonly bookOf: BookOf;
  private readonly infos = new Map<string, MarketInfo>();
  private readonly executed = new Set<string>();
  private readonly lastRefusal = new Map<string, GateName>();
  private readonly consumed = new Consumed();
  private readonly feedGapOf: (tokenId: string) => string | undefined;
  private readonly marketNow: VenueNow | undefined;
  private globalGap: string | undefined;
  private readonly log: (line: string) => void;
  private readonly blotterReader: Blotter;
  /** Paper by default: the broker commits in one transaction. */
  private executor: Executor;
  /** Set when the executor brings its own account: the breaker restarts from that account's equity once it is known. */
  private rebaseBreaker = false;

  /** Opens the trader on `db`: an empty ledger gets the initial deposit; otherwise state is rebuilt from the tables. */
  static load(db: DB, opts: PaperTraderOptions, now: number): PaperTrader {
    return new PaperTrader(db, opts, now);
  }

  constructor(
    readonly db: DB,
    opts: PaperTraderOptions,
    now: number,
  ) {
    this.config = opts.config ? paperConfigSchema.parse(opts.config) : DEFAULT_PAPER_CONFIG;
    this.enabled = this.config.enabled;
    this.bookOf = opts.bookOf;
    this.feedGapOf = opts.feedGap ?? (() => undefined);
    this.marketNow = opts.marketNow;
    this.log = opts.log ?? (() => {});
    this.repo = new PaperRepo(db);
    this.blotterReader = new Blotter(db);
    this.breaker = new CircuitBreaker(this.config);
    this.broker = new Broker(
      this.repo,
      (e, at) => this.breaker.recordPnl(e.micros, at, e.isClose),
      (at) => this.saveBreakerInTx(at),
      (f) => {
        this.lastFill = f;
        opts.onFill?.(f);
      },
    );
    const broker = this.broker;
    this.executor = { kind: 'paper', baskets: true, commit: (plans, at) => broker.commit(plans, at) };
    const state = this.repo.load();
    if (state.balanceMicros === undefined) {
      const deposit = Math.round(this.config.initialCash * 1e6);
      this.repo.tx(() => this.repo.ledger(now, deposit, 'deposit', 'initial'));
    }
    restoreBroker(state, this.broker, this.executed);
    if (state.mismatched.length) this.log(`paper: ${state.mismatched.length} position(s) disagree with Σ fills − Σ settlements: ${state.mismatched.slice(0, 3).join(', ')}`);
    // Fail closed: a safety state that cannot be read, or positions that
    // disagree with their fills, start HALTED; only the operator resumes.
    let unsafe: string | undefined;
    const restored = state.breakerError === undefined && state.breaker !== undefined && this.breaker.fromCheckpoint(state.breaker);
    if (state.breakerError !== undefined) unsafe = `saved breaker state unreadable (${state.breakerError})`;
    else if (state.breaker !== undefined && !restored) unsafe = 'saved breaker state invalid';
    else if (state.breaker === undefined && state.balanceMicros !== undefined) unsafe = 'no saved breaker state for an existing ledger';
    else if (state.mismatched.length) unsafe = `${state.mismatched.length} position(s) disagree with their fills and settlements`;
    if (!restored) {
      const fresh = new CircuitBreaker(this.config, this.equityMicros(), now);
      this.breaker.fromCheckpoint(fresh.toCheckpoint());
    }
    if (unsafe) {
      this.breaker.halt(`fail-closed at start: ${unsafe}; check, then resume (R)`, now);
      this.log(`paper: trading HALTED at start: ${unsafe}; resume needs the operator`);
    }
    if (!restored || unsafe) {
      this.repo.tx(() => this.repo.saveBreaker(this.breaker.toCheckpoint(), now));
      this.breaker.dirty = false;
    }
    if (opts.markets) this.onCatalog(opts.markets, now);
  }

  // ---- operator controls ------------------------------------------------------

  /** Routes orders that pass every gate to `e` (live trading) instead of the paper broker. */
  setExecutor(e: Executor): void {
    this.executor = e;
    this.rebaseBreaker = e.account !== undefined;
  }

  /** The venue account when live (sizing, cash, exposure, exits and the breaker read it), else undefined. */
  liveAccount(): ExecutorAccount | undefined {
    return this.executor.account?.();
  }

  /**
   * Whether the breaker may watch equity now: not while the live account is
   * unknown; on the first known live equity it restarts from it (the paper
   * ledger's peak means nothing for the venue account).
   */
  private equityKnown(now: number): boolean {
    const a = this.liveAccount();
    if (!a) return true;
    if (a.unknown) return false;
    if (this.rebaseBreaker) {
      this.rebaseBreaker = false;
      this.breaker.rebase(a.equityMicros, now);
      this.log(`live: breaker restarted from the venue account's equity $${(a.equityMicros / 1e6).toFixed(2)}`);
    }
    return true;
  }

  get executorKind(): 'paper' | 'live' {
    return this.executor.kind;
  }

  /** Turns paper mode on or off (the `t` key); returns the new value. The store audits the change. */
  setEnabled(on: boolean): boolean {
    this.enabled = on;
    return on;
  }

  toggle(): boolean {
    return this.setEnabled(!this.enabled);
  }

  /**
   * A live SELL fill settled at the venue: its realised P&L (net of fees) goes
   * to the same breaker paper closes feed — the day's P&L, the cooldown after
   * a loss, and the losing run that trips the breaker.
   */
  recordLiveClose(netMicros: number, now: number): void {
    this.breaker.recordPnl(netMicros, now, true);
    const trip = this.breaker.recordSettlement(netMicros, now);
    if (trip) this.onTripped(now);
    else this.persistBreaker(now);
  }

  /** The kill switch (`x`): halts at once and cancels resting orders. */
  halt(reason: string, now: number): void {
    this.breaker.halt(reason, now);
    this.onTripped(now);
  }

  requestResume(now: number): { ok: boolean; reason: string } {
    const r = this.breaker.requestResume(now);
    this.persistBreaker(now);
    return r;
  }

  confirmResume(now: number): { ok: boolean; reason: string } {
    const r = this.breaker.confirmResume(now, this.equityMicros());
    this.persistBreaker(now);
    return r;
  }

  /** A feed-wide gap (all shards reconnecting, say): no new orders until cleared with undefined. */
  setFeedGap(reason: string | undefined): void {
    this.globalGap = reason;
  }

  // ---- catalog and market events ----------------------------------------------------

  /** Learns fees, minimum sizes, events and end dates; settles markets Gamma shows closed at 1/0. */
  onCatalog(markets: readonly CatalogMarket[], now: number): void {
    for (const m of markets) {
      m.tokenIds.forEach((tokenId, outcomeIndex) => {
        const info: MarketInfo = {
          marketId: m.id,
          eventId: m.eventId ?? m.id,
          tokenId,
          outcomeIndex,
          question: sanitize(m.question, 200),
          outcome: sanitize(m.outcomes[outcomeIndex] ?? (outcomeIndex === 0 ? 'Yes' : 'No'), 24),
          fee: m.fee,
          minOrderSize: m.minOrderSize,
          tickSize: m.tickSize,
          closed: m.closed,
        };
        if (m.endDate !== undefined) info.endDate = m.endDate;
        this.infos.set(tokenId, info);
        const pos = this.broker.positions.get(tokenId);
        if (pos && pos.eventId !== info.eventId) this.broker.positions.set(tokenId, { ...pos, eventId: info.eventId });
      });
      if (!m.closed || !m.tokenIds.some((t) => this.watching(t))) continue;
      const r = resolutionFromCatalog(m);
      if (r.kind === 'settle') this.settle(m.id, r.payouts, now);
      else if (r.kind === 'flag') this.flag(m.id, m.tokenIds, r.reason);
    }
  }

  /** market_resolved: settles our positions in that market at 1 (winner) and 0. */
  onResolved(ev: MarketResolvedEvent, now: number): SettledToken[] {
    for (const t of ev.assetIds) {
      const info = this.infos.get(t);
      if (info) this.infos.set(t, { ...info, closed: true });
    }
    const marketId = this.infos.get(ev.assetIds[0] ?? '')?.marketId ?? ev.id;
    const r = resolutionFromEvent(ev);
    if (r.kind !== 'settle') {
      if (r.kind === 'flag') this.flag(marketId, ev.assetIds, r.reason);
      return [];
    }
    return this.settle(marketId, r.payouts, now);
  }

  /** Resting-order fills on a trade printed through their price. */
  onTrade(ev: TradeEvent, now: number): PaperFill[] {
    const fills = this.broker.onTrade(ev, (t) => this.infos.get(t), now);
    if (fills.length) this.afterTrade(now);
    return fills;
  }

  /**
   * After a book change: resting orders the opposite best moved through fill,
   * the mark moves to the executable bid, and stop-loss / take-profit fire.
   */
  onBook(tokenId: string, now: number): PaperFill[] {
    const book = this.bookOf(tokenId);
    if (!book || book.state !== 'fresh') return [];
    const fills = this.broker.onBook(tokenId, book, (t) => this.infos.get(t), now);
    const bid = bestBid(book);
    const live = this.liveAccount();
    if (live) {
      this.liveExit(tokenId, live, bid, now);
      if (fills.length) this.afterTrade(now);
      return fills;
    }
    const pos = this.broker.positions.get(tokenId);
    if (pos && pos.shares > 0 && bid !== undefined) {
      pos.mark = bid;
      const exit = exitReason(pos, bid, this.config);
      if (exit) {
        // Shares in a complete YES+NO set are locked at $1: a stop never sells one leg of it.
        const free = floorShares(pos.shares - this.broker.reservedShares(tokenId) - hedgedShares(this.broker.positions, tokenId));
        if (free > 0) {
          const r = this.submit({ tokenId, side: 'SELL', type: 'market', size: free, reason: exit, exit: true, source: `exit:${tokenId}` }, now);
          fills.push(...r.fills);
        }
      }
    }
    if (fills.length) this.afterTrade(now);
    return fills;
  }

  /**
   * Stop-loss / take-profit on a position held at the venue: against its
   * average BUY price, selling only confirmed shares not already offered,
   * through the same gates and the live caps (a market SELL goes out FAK).
   */
  private liveExit(tokenId: string, a: ExecutorAccount, bid: number | undefined, now: number): void {
    const h = a.holdings.get(tokenId);
    if (!h || bid === undefined || h.confirmed <= 0) return;
    const held = h.confirmed + h.pending;
    if (held <= 0) return;
    const exit = exitReason({ shares: held, costMicros: h.costMicros } as Parameters<typeof exitReason>[0], bid, this.config);
    if (!exit) return;
    const free = floorShares(h.sellable);
    if (free <= 0) return;
    this.submit({ tokenId, side: 'SELL', type: 'market', size: free, reason: `live ${exit}`, exit: true, source: `exit:${tokenId}` }, now);
  }

  /** Dispatches feed events for the tokens we hold or rest orders on (the engine plugin shape; call after the books applied them). */
  onEvents(events: readonly MarketEvent[], now: number): void {
    // Nothing held or resting when the call starts: nothing here can fill, so no token is asked about.
    // Otherwise each token is asked as its event comes (a fill earlier in the frame counts).
    const live = this.liveAccount();
    const any = this.broker.positions.size > 0 || this.broker.resting.size > 0 || (live !== undefined && live.holdings.size > 0);
    let touched: Set<string> | undefined;
    for (const ev of events) {
      switch (ev.type) {
        case 'last_trade_price':
          if (any && this.watches(ev.asset, live)) this.onTrade(ev, now);
          break;
        case 'market_resolved':
          this.onResolved(ev, now);
          break;
        case 'book':
        case 'best_bid_ask':
          if (any && this.watches(ev.asset, live)) (touched ??= new Set()).add(ev.asset);
          break;
        case 'price_change':
          if (any) for (const c of ev.changes) if (this.watches(c.asset, live)) (touched ??= new Set()).add(c.asset);
          break;
        default:
          break;
      }
    }
    if (touched) for (const t of touched) this.onBook(t, now);
  }

  /** Whether a token is held or rested on (what `watchedTokens` lists), without building the set. */
  watches(tokenId: string, live: ExecutorAccount | undefined = this.liveAccount()): boolean {
    const p = this.broker.positions.get(tokenId);
    if (p !== undefined && p.shares > 0) return true;
    if (this.broker.resting.size > 0) for (const o of this.broker.resting.values()) if (o.tokenId === tokenId) return true;
    if (live !== undefined) {
      const h = live.holdings.get(tokenId);
      if (h !== undefined && h.confirmed + h.pending > 0) return true;
    }
    return false;
  }

  /** Tokens with shares held or a resting order: their books must stay streamed. */
  watchedTokens(): Set<string> {
    // Candidates from each source, each kept by the one definition (`watches`).
    const live = this.liveAccount();
    const out = new Set<string>();
    for (const t of this.broker.positions.keys()) if (this.watches(t, live)) out.add(t);
    for (const o of this.broker.resting.values()) out.add(o.tokenId);
    if (live) for (const t of live.holdings.keys()) if (this.watches(t, live)) out.add(t);
    return out;
  }

  /** Market ids of open positions and resting orders (for the engine's pinned set). */
  openMarketIds(): Set<string> {
    const out = new Set<string>();
    for (const t of this.watchedTokens()) out.add(this.infos.get(t)?.marketId ?? this.broker.positions.get(t)?.marketId ?? '');
    out.delete('');
    return out;
  }

  /** Once per engine cycle: a new day's P&L, the equity peak and drawdown. */
  cycle(now: number): void {
    if (!this.equityKnown(now)) return;
    const equity = this.equityMicros();
    this.breaker.rollDay(now, equity);
    const trip = this.breaker.observe(equity, now);
    if (trip) this.onTripped(now);
    else this.persistBreaker(now);
  }

  // ---- trading -----------------------------------------------------------------

  /** A plain order (market, limit IOC, limit GTC) through every gate. */
  submit(req: OrderRequest, now: number): OrderResult {
    const r = executeOrder(this.desk(now), req, now);
    if (r.ok) this.afterTrade(now);
    return r;
  }

  /** Every gate for an order, without trading or recording anything (a dry run for the UI and the bench). */
  check(req: OrderRequest, now: number): GateResult {
    const p = planOrder(this.desk(now), req, now);
    return p.ok ? { ok: true } : p.refusal;
  }

  /**
   * What executing a row would do, without trading or recording: the sizing
   * arithmetic (Kelly, or the basket's caps) and the first gate that refuses.
   * For the detail view before the operator presses Enter.
   */
  preview(row: PaperRow | Signal | ArbOpportunity, now: number): { ok: boolean; kellyExplain: string; shares: number; gate?: GateName; reason?: string } {
    const it = intentOf(row);
    if (!it) return { ok: false, kellyExplain: '', shares: 0, gate: 'bad-order', reason: 'row has no token or probability to trade' };
    const ctx = this.desk(now);
    if (it.kind === 'basket') {
      const p = planBasket(ctx, it, now, false);
      return p.ok ? { ok: true, kellyExplain: p.explain, shares: p.sets } : { ok: false, kellyExplain: p.explain ?? '', shares: p.sets, gate: p.refusal.gate, reason: p.refusal.reason };
    }
    const s = planStrategy(ctx, it, now, false);
    if (!s.ok) return { ok: false, kellyExplain: s.explain ?? '', shares: 0, gate: s.refusal.gate, reason: s.refusal.reason };
    const o = planOrder(ctx, s.req, now);
    return o.ok ? { ok: true, kellyExplain: s.explain, shares: s.req.size } : { ok: false, kellyExplain: s.explain, shares: s.req.size, gate: o.refusal.gate, reason: o.refusal.reason };
  }

  /** Executes a queue row, a scan signal or an arbitrage opportunity on the operator's request. */
  execute(row: PaperRow | Signal | ArbOpportunity, now: number): OrderResult {
    return this.run(row, now, false);
  }

  /**
   * With paper mode on: executes AUTO-TRADE strategy signals and auto-tradable
   * arbitrage (confidence ≥ autoConfidence), each id at most once.
   */
  autoTrade(signals: readonly (PaperRow | Signal)[], arbs: readonly ArbOpportunity[], now: number): OrderResult[] {
    if (!this.enabled) return [];
    const out: OrderResult[] = [];
    for (const x of [...signals, ...arbs]) {
      const it = intentOf(x);
      if (!it || !it.autoTradable || this.executed.has(it.key)) continue;
      out.push(this.run(x, now, true));
    }
    return out;
  }

  /** Sells a whole position at market (operator close). */
  close(tokenId: string, now: number, reason = 'operator close'): OrderResult {
    const pos = this.broker.positions.get(tokenId);
    const free = (pos?.shares ?? 0) - this.broker.reservedShares(tokenId);
    return this.submit({ tokenId, side: 'SELL', type: 'market', size: Math.max(free, 0), reason, exit: true }, now);
  }

  /** Cancels resting orders (all, or one token's). */
  cancel(now: number, tokenId?: string): number {
    return this.broker.cancel(now, tokenId ? new Set([tokenId]) : undefined);
  }

  /** Whether an id (queue key) has been executed. */
  hasExecuted(key: string): boolean {
    return this.executed.has(key);
  }

  private run(x: PaperRow | Signal | ArbOpportunity, now: number, auto: boolean): OrderResult {
    const it = intentOf(x);
    const ctx = this.desk(now);
    if (!it) return ctx.refuse({ gate: 'bad-order', reason: 'row has no token or probability to trade', tokenId: '', side: 'BUY', type: 'limit', size: 0 }, now, undefined);
    const r = it.kind === 'strategy' ? executeStrategy(ctx, it, now, auto) : executeBasket(ctx, it, now, auto);
    if (r.kellyExplain) this.lastKellyExplain = r.kellyExplain;
    if (r.ok) this.afterTrade(now);
    return r;
  }

  /** What the desk functions may see and do; a new UTC day starts the daily-loss count first. */
  private desk(now: number): DeskContext {
    // Live: the breaker starts over from the venue's equity before anything is gated against it.
    this.equityKnown(now);
    this.breaker.rollDay(now, () => this.equityMicros());
    return {
      cfg: this.config,
      enabled: this.enabled,
      breaker: this.breaker,
      broker: this.broker,
      executor: this.executor,
      consumed: this.consumed,
      bookOf: this.bookOf,
      infoOf: (t) => this.infos.get(t),
      gapOf: (t) => this.globalGap ?? this.feedGapOf(t),
      equityMicros: () => this.equityMicros(),
      exposure: () => this.exposure(),
      account: () => this.liveAccount(),
      executed: this.executed,
      // Without a venue clock (unit tests), the call's own time stands in for it.
      marketNow: this.marketNow ?? (() => venueMs(now)),
      refuse: (r, now, dedupe) => this.recordRefusal(r, now, dedupe),
    };
  }

  private recordRefusal(r: RefusalInput, now: number, dedupe: string | undefined): OrderResult {
    // Automatic retries of the same refusal are written once; the operator's every time.
    if (!dedupe || this.lastRefusal.get(dedupe) !== r.gate) {
      const o: Parameters<Broker['recordRefusal']>[0] = { tokenId: r.tokenId, side: r.side, type: r.type, size: r.size, reason: `${r.gate}: ${r.reason}` };
      if (r.marketId) o.marketId = r.marketId;
      if (r.limit !== undefined) o.limit = r.limit;
      if (r.source) o.source = r.source;
      this.broker.recordRefusal(o, now);
      this.refusalCounts.set(r.gate, (this.refusalCounts.get(r.gate) ?? 0) + 1);
      this.refusals.push({ ts: now, gate: r.gate, reason: r.reason, tokenId: r.tokenId, ...(r.source ? { source: r.source } : {}) });
      if (this.refusals.length > MAX_REFUSALS) this.refusals.shift();
    }
    if (dedupe) this.lastRefusal.set(dedupe, r.gate);
    const res: OrderResult = { ok: false, orderIds: [], status: 'refused', filled: 0, avgPrice: NaN, feeMicros: 0, fills: [], resting: 0, gate: r.gate, reason: r.reason };
    if (r.explain) res.kellyExplain = r.explain;
    return res;
  }

  // ---- settlement -----------------------------------------------------------------

  private settle(marketId: string, payouts: ReadonlyMap<string, number>, now: number): SettledToken[] {
    let trip: string | undefined;
    const settled = this.broker.settle(marketId, payouts, now, (list) => {
      const net = list.reduce((s, x) => s + x.realizedMicros, 0);
      this.breaker.recordPnl(net, now, true);
      trip = this.breaker.recordSettlement(net, now);
    });
    if (settled.length) {
      this.flagged.delete(marketId);
      this.log(`paper: settled ${settled.map((s) => `${s.shares} sh → $${(s.payoutMicros / 1e6).toFixed(2)}`).join(', ')} in market ${marketId}`);
    }
    if (trip) this.onTripped(now);
    else if (settled.length) this.afterTrade(now);
    return settled;
  }

  private flag(marketId: string, tokenIds: readonly string[], reason: string): void {
    if (!tokenIds.some((t) => (this.broker.positions.get(t)?.shares ?? 0) > 0)) return;
    for (const t of tokenIds) {
      const pos = this.broker.positions.get(t);
      if (pos && pos.shares > 0) pos.flag = reason;
    }
    if (this.flagged.get(marketId) !== reason) this.log(`paper: market ${marketId}: ${reason}`);
    this.flagged.set(marketId, reason);
  }

  // ---- state ----------------------------------------------------------------------

  private watching(tokenId: string): boolean {
    if ((this.broker.positions.get(tokenId)?.shares ?? 0) > 0) return true;
    for (const o of this.broker.resting.values()) if (o.tokenId === tokenId) return true;
    return false;
  }

  /**
   * Cash + open positions: complete YES+NO sets at the $1 they lock in, other
   * shares at the executable bid (fresh books; else the last mark).
   */
  equityMicros(): number {
    const live = this.liveAccount();
    if (live) return live.equityMicros;
    let v = this.broker.cashMicros;
    for (const p of this.broker.positions.values()) {
      if (p.shares <= 0) continue;
      const book = this.bookOf(p.tokenId);
      if (book && book.state === 'fresh') {
        const bid = bestBid(book);
        if (bid !== undefined) p.mark = bid;
      }
    }
    for (const h of this.holdings()) v += h.valueMicros;
    return v;
  }

  /** Exposure for the caps: the venue's positions and open BUYs when live, else the paper ledger's. */
  exposure(): Exposure {
    const live = this.liveAccount();
    if (!live) return exposureOf(this.broker, (t) => this.infos.get(t));
    const token = new Map<string, number>();
    const event = new Map<string, number>();
    const open = new Set<string>();
    let gross = 0;
    const add = (tokenId: string, micros: number) => {
      const ev = this.infos.get(tokenId)?.eventId ?? tokenId;
      token.set(tokenId, (token.get(tokenId) ?? 0) + micros);
      event.set(ev, (event.get(ev) ?? 0) + micros);
      gross += micros;
      open.add(tokenId);
    };
    for (const h of live.holdings.values()) if (h.confirmed + h.pending > 0) add(h.tokenId, h.costMicros);
    for (const [t, m] of live.reservedByToken) if (m > 0) add(t, m);
    return { token, event, gross, open };
  }

  /** Open positions as baskets (complete YES+NO sets) and single legs. */
  holdings(): Holding[] {
    return holdingsOf(this.broker.positions, (t) => this.infos.get(t)?.outcomeIndex);
  }

  private afterTrade(now: number): void {
    if (!this.equityKnown(now)) return;
    const trip = this.breaker.observe(this.equityMicros(), now);
    if (trip) this.onTripped(now);
    else this.persistBreaker(now);
  }

  private onTripped(now: number): void {
    this.log(`paper: circuit breaker HALTED: ${this.breaker.reason}`);
    this.broker.cancel(now);
    this.persistBreaker(now);
  }

  private saveBreakerInTx(now: number): void {
    if (!this.breaker.dirty) return;
    this.repo.saveBreaker(this.breaker.toCheckpoint(), now);
    this.breaker.dirty = false;
  }

  private persistBreaker(now: number): void {
    if (this.breaker.dirty) this.repo.tx(() => this.saveBreakerInTx(now));
  }

  breakerView(): BreakerView {
    return this.breaker.view(this.equityMicros());
  }

  // ---- reports ----------------------------------------------------------------------

  /** The headless summary key `paper` (dollars). */
  summary(): PaperSummary {
    return summaryOf(this);
  }

  fillJson(f: PaperFill): string {
    return fillJson(f, this.infos.get(f.tokenId));
  }

  portfolioPane(): PortfolioPane {
    return portfolioPane(this);
  }

  /** Orders, fills, settlements and refusals with their reasons and realised P&L, newest first. */
  blotter(limit = 50): BlotterRow[] {
    return this.blotterReader.view((t) => this.infos.get(t), limit);
  }

  /** Σ realised P&L of every blotter row (read the blotter first); equals the portfolio's realised. */
  blotterRealizedMicros(): number {
    return this.blotterReader.realizedMicros;
  }

  marketInfo(tokenId: string): MarketInfo | undefined {
    return this.infos.get(tokenId);
  }
}

