// Paper trading as an engine plugin: the trader sees every book update (stops,
// take-profits, resting orders), trade and resolution; each cycle, with paper
// mode on, AUTO-TRADE signals and arbitrage of confidence ≥ 0.9 are executed.
// Open positions stay in the streamed hot set.
import type { BookListener } from '../book/book-cache.js';
import type { Engine, EnginePlugin } from '../engine.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import type { MarketEvent } from '../protocol/events.js';
import { PaperTrader, type PaperConfigInput, type PaperRow } from '../paper/index.js';
import type { ArbLoop } from './arb-loop.js';
import type { GateView, QueueItem, SignalQueue } from './queue.js';

export interface PaperLoopOptions {
  config?: PaperConfigInput;
  /** Headless: each fill as a JSON line. */
  emit?: (line: string) => void;
  /** A row whose gate or size changed on a cycle's re-gating (headless signal lines). */
  onRegate?: (item: QueueItem) => void;
}

export class PaperLoop implements EnginePlugin {
  readonly name = 'paper';
  readonly trader: PaperTrader;
  private readonly touched = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly queue: SignalQueue,
    private readonly arb: ArbLoop,
    opts: PaperLoopOptions = {},
  ) {
    const emit = opts.emit;
    this.trader = PaperTrader.load(
      engine.db,
      {
        bookOf: (t) => engine.books.get(t),
        ...(opts.config ? { config: opts.config } : {}),
        markets: [],
        feedGap: (t) => {
          const b = engine.books.get(t);
          return b && b.state !== 'fresh' ? b.reason || b.state : undefined;
        },
        log: (l) => engine.log(l),
        // End dates are on the venue's clock; book ages and cooldowns on ours.
        marketNow: () => engine.venueNow(),
        ...(emit ? { onFill: (f) => emit(this.trader.fillJson(f)) } : {}),
      },
      engine.now(),
    );
    // A message is consistent only once all its entries are applied: collect the
    // books it touched and let the trader look at them after the whole frame.
    engine.books.onUpdate(this.onBook.bind(this));
    // Every tradable row's gate is this trader's dry run of the path Enter and
    // auto-trading execute; rows get it as they enter and again every cycle.
    queue.gater = (item) => this.gate(item, engine.now());
    this.onRegate = opts.onRegate;
    // Bound once: a prototype method's optimised code serves every engine in a sweep worker (a closure per engine would not).
    this.autoCandidate = this.isAutoCandidate.bind(this);
    this.pin();
  }

  private readonly onRegate: ((item: QueueItem) => void) | undefined;
  private readonly autoCandidate: (q: QueueItem) => boolean;

  /**
   * The book listener: a method bound to this plugin rather than a closure made
   * per engine, so the code V8 optimises for it (with the book path it inlines)
   * serves every engine in the process; a sweep worker's fresh closure per
   * replay was compiled again each time.
   */
  private onBook(book: Parameters<BookListener>[0], kind: Parameters<BookListener>[1]): void {
    if (kind === 'change' || kind === 'snapshot') this.touched.add(book.asset);
  }

  /** A strategy row autoTrade may act on: auto-tradable by tier or flag, and not executed yet (autoTrade checks again). */
  private isAutoCandidate(q: QueueItem): boolean {
    return q.kind === 'strategy' && (q.tier === 'AUTO-TRADE' || q.autoTradable === true) && !this.trader.hasExecuted(q.key);
  }

  /** The desk's verdict on executing this row now: 'ready' or "<gate>: <reason>", and the size it would trade. */
  gate(item: QueueItem, now: number): GateView {
    const row = this.row(item);
    if (!row) return { gate: item.gate };
    const p = this.trader.preview(row, now);
    const exec = p.shares > 0 || p.kellyExplain ? { shares: p.ok ? p.shares : 0, explain: p.kellyExplain } : undefined;
    const gate = p.ok ? 'ready' : `${p.gate ?? 'refused'}: ${p.reason ?? ''}`;
    return exec ? { gate, exec } : { gate };
  }

  /** Markets with open positions are always streamed. */
  private pin(): void {
    this.engine.pinned.clear();
    for (const id of this.trader.openMarketIds()) this.engine.pinned.add(id);
  }

  onCatalog(markets: CatalogMarket[], now: number): void {
    this.trader.onCatalog(markets, now);
  }

  onEvents(events: MarketEvent[], now: number): void {
    // Fail closed: while SQLite refuses writes, no fill may happen that cannot be recorded.
    if (!this.engine.dbHealth.ok) return;
    // Only a token held or rested on can fill or exit: the others' onBook does nothing.
    if (this.touched.size) {
      const live = this.trader.liveAccount();
      for (const t of this.touched) if (this.trader.watches(t, live)) this.trader.onBook(t, now);
      this.touched.clear();
    }
    // Asked again: a fill or exit above may have changed what is held.
    this.trader.onEvents(events, now);
  }

  cycle(now: number): void {
    if (!this.engine.dbHealth.ok) return;
    this.trader.cycle(now);
    if (this.trader.enabled) {
      // Only rows autoTrade could act on are ranked: the others it skips (not auto-tradable, or done).
      const rows = this.queue.ranked(Infinity, this.autoCandidate).map(toPaperRow);
      this.trader.autoTrade(rows, this.arb.scanner.current(), now);
    }
    // After this cycle's trades: the column shows what Enter would do next.
    for (const it of this.queue.regate()) this.onRegate?.(it);
    this.pin();
  }

  /** The row the operator asked for, as the trader reads it; undefined for informational rows. */
  row(item: QueueItem): PaperRow | undefined {
    return item.kind === 'spike' || item.screened ? undefined : toPaperRow(item);
  }
}

export function toPaperRow(q: QueueItem): PaperRow {
  const row: PaperRow = {
    key: q.key,
    kind: q.kind === 'arb' ? 'arb' : 'strategy',
    label: q.label,
    tier: q.tier,
    priority: q.priority,
    marketIds: q.marketIds,
    autoTradable: q.autoTradable,
  };
  if (q.kind === 'arb') row.relationConfidence = q.confidence;
  if (q.tokenId !== undefined) row.tokenId = q.tokenId;
  if (q.p !== undefined) row.p = q.p;
  if (q.claimedWinRate !== undefined) row.claimedWinRate = q.claimedWinRate;
  if (q.size !== undefined) row.size = q.size;
  if (q.edge !== undefined) row.edge = q.edge;
  if (q.legs) row.legs = q.legs;
  return row;
}
