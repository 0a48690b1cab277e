// Crypto fair value as an engine plugin: resolves the catalog's crypto markets
// to reference rules (once per market, again when its text changes), refreshes
// spot and volatility through the batched, cached reference-data client on
// its own cadence, and turns a fair value that beats the executable ask after
// the taker fee into a FAIR_VALUE row of the queue. The row trades only when
// the strategy is VALIDATED on resolved history; until then it carries no
// edge, no belief and no size (the paper desk refuses it), like every other
// unproven strategy.
import type { Engine, EnginePlugin } from '../engine.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { resolveMarket, type MappedRule, type RefMarket } from '../refdata/resolve.js';
import { RefDataService, type FairRow, type RefreshStats } from '../refdata/service.js';
import { fairSignal, type FairReport, type FairVerdict } from '../refdata/fair-strategy.js';
import { BinanceSpot } from '../refdata/providers/binance.js';
import { DeribitDvol } from '../refdata/providers/deribit.js';
import { Coinalyze } from '../refdata/providers/coinalyze.js';
import { RefBatcher } from '../refdata/batcher.js';
import { SymbolMap } from '../refdata/symbols.js';
import type { Secret } from '../alerts/secret.js';
import { tierOf } from '../scan/strategies.js';
import type { QueueItem, SignalQueue } from './queue.js';
import { type WallNow } from '../clock.js';

export const FAIR_LABEL = 'FAIR_VALUE';

export interface RefDataLoopOptions {
  /** Binance spot REST root (`/api/v3/…` below it). */
  binanceUrl: string;
  /** Deribit API root (`/public/…` below it); '' leaves implied volatility out. */
  deribitUrl?: string;
  /** Coinalyze (perpetual funding rate, shown beside the fair value): only with a key. */
  coinalyze?: { url: string; key: Secret };
  /** Wall milliseconds between refreshes (default 2 s). */
  refreshMs?: number;
  /** Fair minus all-in cost a row must clear (default 0.03). */
  minEdge?: number;
  /** Start-price candle lookups per refresh, at most (default 6). */
  maxStartLookups?: number;
  /** Called for each new or changed FAIR_VALUE row (headless JSON lines). */
  onSignal?: (item: QueueItem) => void;
  /** Wall clock for the cadence (venue time drives every value). */
  wallNow?: WallNow;
}

export interface FairView {
  row: FairRow;
  rule: MappedRule;
}

/** What the catalog market gives the resolver (the longer rules text when the decoder kept it). */
export function refMarketOf(m: CatalogMarket): RefMarket {
  const out: RefMarket = { id: m.id, conditionId: m.conditionId, question: m.question, slug: m.slug, description: m.rules ?? m.description ?? '', resolutionSource: m.resolutionSource ?? '' };
  if (m.endDate !== undefined) out.endDate = m.endDate;
  if (m.startDate !== undefined) out.startDate = m.startDate;
  if (m.eventStartTime !== undefined) out.eventStartTime = m.eventStartTime;
  return out;
}

export class RefDataLoop implements EnginePlugin {
  readonly name = 'refdata';
  readonly service: RefDataService;
  readonly binance: BinanceSpot;
  /** Mapped rules of open markets, by market id. */
  readonly rules = new Map<string, MappedRule>();
  /** Latest fair value per mapped market. */
  readonly fair = new Map<string, FairRow>();
  unmapped = 0;
  refreshes = 0;
  lastStats: RefreshStats | undefined;
  lastError = '';
  /** Calls made for window-start candles (outside the batcher: one per window and symbol). */
  startLookups = 0;
  /** Perpetual funding per asset (Coinalyze, Binance perpetual first), when a key is configured. */
  readonly funding = new Map<string, { rate: number; symbol: string; tier: string; asOf: number }>();
  readonly perps: { map: SymbolMap; batcher: RefBatcher } | undefined;
  verdict: FairVerdict = 'UNPROVEN';
  report: FairReport | undefined;
  verdictNote = 'not validated yet';
  private running = false;
  private clockSeen = false;
  private lastRun = -Infinity;
  private readonly seen = new Map<string, string>();
  private readonly startTried = new Set<string>();
  private readonly wallNow: WallNow;
  private readonly keys = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly queue: SignalQueue,
    private readonly opts: RefDataLoopOptions,
  ) {
    const venue = () => engine.venueNow();
    this.wallNow = opts.wallNow ?? engine.now;
    this.binance = new BinanceSpot(opts.binanceUrl, venue);
    const clock = { wall: this.wallNow, venue };
    this.service = new RefDataService(this.binance, { clock, ...(opts.deribitUrl ? { implied: new DeribitDvol(opts.deribitUrl, venue) } : {}) });
    if (opts.coinalyze && opts.coinalyze.key.reveal()) {
      const c = new Coinalyze(opts.coinalyze.key, opts.coinalyze.url, venue);
      this.perps = { map: new SymbolMap(c, { wall: this.wallNow }), batcher: new RefBatcher(c, { clock }) };
    }
    // Crypto markets with a fair value are worth a streamed book (the ask is half the signal).
    engine.rankers.push({ name: 'fair', weight: 1, score: (m) => (this.fair.get(m.id)?.fair.status === 'priced' ? 1 : 0) });
  }

  onCatalog(markets: CatalogMarket[]): void {
    for (const m of markets) {
      if (m.closed) {
        this.rules.delete(m.id);
        this.fair.delete(m.id);
        this.seen.delete(m.id);
        continue;
      }
      const text = `${m.question}\u0000${m.rules ?? m.description ?? ''}\u0000${m.endDate ?? ''}\u0000${m.eventStartTime ?? ''}`;
      if (this.seen.get(m.id) === text) continue;
      const wasUnmapped = this.seen.has(m.id) && !this.rules.has(m.id);
      this.seen.set(m.id, text);
      const r = resolveMarket(refMarketOf(m));
      if (r.status === 'mapped') {
        this.rules.set(m.id, r);
        if (wasUnmapped) this.unmapped--;
      } else {
        this.rules.delete(m.id);
        if (r.crypto && !wasUnmapped) this.unmapped++;
      }
    }
  }

  /** Sets the strategy's verdict (from validation on resolved history) and re-derives the rows. */
  setVerdict(report: FairReport | undefined, note: string): void {
    this.report = report;
    this.verdict = report?.verdict ?? 'UNPROVEN';
    this.verdictNote = note;
    this.emitRows();
  }

  /** The venue clock is known once market events arrive; before that venueNow() is the wall clock, which on a replayed or epoch-clock venue is another time. */
  onEvents(events: readonly unknown[]): void {
    if (events.length) this.clockSeen = true;
  }

  cycle(): void {
    if (this.running || !this.clockSeen || this.engine.phase !== 'streaming' || !this.rules.size) return;
    const wall = this.wallNow();
    if (wall - this.lastRun < (this.opts.refreshMs ?? 2_000)) return;
    this.lastRun = wall;
    this.running = true;
    void this.refresh()
      .catch((err: unknown) => {
        this.lastError = String((err as Error).message ?? err).slice(0, 200);
      })
      .finally(() => {
        this.running = false;
      });
  }

  /** One refresh: the open rules still to observe, priced; start prices filled from candles; rows re-derived. */
  async refresh(): Promise<void> {
    const now = this.engine.venueNow();
    this.lastError = '';
    const rows = [...this.rules].filter(([, r]) => r.resolvesAt > now).map(([marketId, rule]) => ({ marketId, rule }));
    const first = await this.service.refresh(rows);
    let result = first;
    if (await this.fillStarts(first.rows, now)) result = await this.service.refresh(rows);
    this.lastStats = first.stats;
    if (this.perps) await this.readFunding(rows.map((r) => r.rule.asset));
    this.fair.clear();
    for (const r of result.rows) this.fair.set(r.marketId, r);
    this.refreshes++;
    this.emitRows();
  }

  /** Funding of each asset's perpetual: batches of 20, cached 15 min; a missing one is simply not shown. */
  private async readFunding(assets: readonly string[]): Promise<void> {
    const p = this.perps!;
    await p.map.ensure();
    const choice = new Map<string, { symbol: string; tier: string }>();
    for (const a of new Set(assets)) {
      const c = p.map.resolve(a, 'A');
      if (c.symbol) choice.set(a, { symbol: c.symbol, tier: c.tier });
    }
    const got = await p.batcher.get('funding', [...new Set([...choice.values()].map((c) => c.symbol))]);
    for (const [a, c] of choice) {
      const r = got.get(c.symbol);
      if (r?.status === 'ok') this.funding.set(a, { rate: r.value, symbol: c.symbol, tier: c.tier, asOf: r.asOf });
      else this.funding.delete(a);
    }
  }

  /**
   * Up/down windows open without the price at their start: the 1-minute candle
   * open at the start, once per window and symbol. A window priced from a spot
   * sample taken seconds after its start asks too, and the open replaces it.
   */
  private async fillStarts(rows: readonly FairRow[], now: number): Promise<boolean> {
    let added = false;
    let budget = this.opts.maxStartLookups ?? 6;
    for (const r of rows) {
      const rule = this.rules.get(r.marketId);
      if (!rule || rule.kind !== 'updown' || rule.windowStart === null || rule.windowStart > now || !r.symbol) continue;
      // Asked once per window and symbol (a failed lookup is forgotten and asked again later).
      const key = `${r.symbol}@${rule.windowStart}`;
      if (this.startTried.has(key) || budget <= 0) continue;
      const unknown = r.fair.status === 'neutral' && r.fair.reason.includes('start price unknown');
      const provisional = r.fair.status === 'priced' && !this.service.hasExactStart(r.symbol, rule.windowStart);
      if (!unknown && !provisional) continue;
      this.startTried.add(key);
      budget--;
      this.startLookups++;
      const o = await this.binance.openAt(r.symbol, rule.windowStart);
      if (!o.ok) {
        // Tried again on a later refresh; a failing or rate-limiting provider gets no more lookups this one.
        this.startTried.delete(key);
        this.lastError = `window start: ${o.error}`.slice(0, 200);
        break;
      }
      if (o.price !== undefined) {
        this.service.addSample(r.symbol, rule.windowStart, o.price);
        added = true;
      }
    }
    if (this.startTried.size > 5_000) this.startTried.clear();
    return added;
  }

  /** FAIR_VALUE rows for every priced market whose fair value beats an executable ask. */
  private emitRows(): void {
    const now = this.wallNow();
    const live = new Set<string>();
    for (const [id, row] of this.fair) {
      const item = this.itemOf(id, row, now);
      if (!item) continue;
      live.add(item.key);
      if (this.queue.upsert(item) !== 'same') this.opts.onSignal?.(item);
    }
    for (const k of this.keys) if (!live.has(k)) this.queue.remove(k);
    this.keys.clear();
    for (const k of live) this.keys.add(k);
  }

  private itemOf(id: string, row: FairRow, now: number): QueueItem | undefined {
    if (row.fair.status !== 'priced') return undefined;
    const m = this.engine.catalog.markets.get(id);
    if (!m || m.closed || m.tokenIds.length !== 2) return undefined;
    const ask = (t: string) => {
      const b = this.engine.books.get(t);
      const a = b && b.state === 'fresh' ? b.bestAsk : undefined;
      return a === undefined ? undefined : a / PRICE_SCALE;
    };
    const s = fairSignal(row.fair.p, ask(m.tokenIds[0]!), ask(m.tokenIds[1]!), m.fee, this.opts.minEdge ?? 0.03);
    if (!s) return undefined;
    const yes = s.outcome === 'YES';
    const pSide = yes ? row.fair.p : 1 - row.fair.p;
    const validated = this.verdict === 'VALIDATED';
    // Unproven: shown for what it is (WATCH at most), never with an edge or a belief to size with;
    // rejected by its backtest: IGNORE, as the scan's strategies are (priority capped below WATCH).
    const priority = validated ? Math.min(0.95, 0.75 + s.edge * 2) : Math.min(this.verdict === 'REJECTED' ? 0.59 : 0.6, 0.5 + s.edge);
    const item: QueueItem = {
      key: `strategy:${FAIR_LABEL}:${id}`,
      kind: 'strategy',
      label: FAIR_LABEL,
      tier: tierOf(priority),
      priority,
      marketIds: [id],
      tokenId: m.tokenIds[yes ? 0 : 1]!,
      question: m.question,
      side: `BUY ${m.outcomes[yes ? 0 : 1] ?? s.outcome}`,
      entry: s.ask,
      confidence: validated ? Math.min(1, Math.max(0, pSide)) : 0,
      gate: 'ready',
      verdict: this.verdict,
      reasoning: `fair ${pSide.toFixed(3)} (${row.provider} ${row.symbol ?? '—'}, ${row.tier}) vs ask ${s.ask.toFixed(3)} + fee = ${s.cost.toFixed(4)}: ${s.edge >= 0 ? '+' : ''}${s.edge.toFixed(4)} per share; ${validated ? 'VALIDATED' : `${this.verdict}: ${this.verdictNote}`}`,
      validated: this.report ? `${this.verdict} (${this.report.priced} windows, Brier ${this.report.brierModel.toFixed(4)} vs market ${this.report.brierMarket.toFixed(4)}, ROI ${(this.report.roi * 100).toFixed(1)}% [${(this.report.roiCi[0] * 100).toFixed(1)}, ${(this.report.roiCi[1] * 100).toFixed(1)}])` : `${this.verdict} (${this.verdictNote})`,
      autoTradable: false,
      seenAt: now,
      firstSeen: now,
    };
    if (validated) {
      item.edge = s.edge;
      item.p = pSide;
      item.autoTradable = item.tier === 'AUTO-TRADE';
    }
    return item;
  }

  /** For the status bar: what the loop covers and how it pays for it. */
  stats(): { mapped: number; priced: number; neutral: number; unmapped: number; calls: Record<string, number>; verdict: FairVerdict; error: string } {
    let priced = 0;
    for (const r of this.fair.values()) if (r.fair.status === 'priced') priced++;
    return { mapped: this.rules.size, priced, neutral: this.fair.size - priced, unmapped: this.unmapped, calls: { ...this.service.batcher.stats.calls }, verdict: this.verdict, error: this.lastError };
  }
}
