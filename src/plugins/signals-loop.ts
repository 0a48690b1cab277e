// Order-flow signals as an engine plugin: the SignalHub (OFI, microstructure
// score, spikes) is fed every book update and trade; stale and out-of-sync
// periods reach it through the book state events. Windows run on wall time
// (live, the same as venue time; on the simulator a 30 s window spans 30 s ×
// speed of market time).
import type { BookListener } from '../book/book-cache.js';
import type { Engine, EnginePlugin } from '../engine.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import type { MarketEvent } from '../protocol/events.js';
import { SignalHub } from '../signals/index.js';
import type { QueueItem, SignalQueue } from './queue.js';

const SPIKE_TTL_MS = 60_000;

export class SignalsLoop implements EnginePlugin {
  readonly name = 'signals';
  readonly hub = new SignalHub();
  private readonly registered = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly queue: SignalQueue,
  ) {
    engine.books.onUpdate(this.onBook.bind(this));
    engine.checkpoints.register({
      name: 'signals',
      toleranceMs: 10_000,
      toCheckpoint: () => this.hub.toCheckpoint(engine.now()),
      fromCheckpoint: (json) => this.hub.fromCheckpoint(json, engine.now()),
    });
  }

  /**
   * The book listener: a method bound to this plugin rather than a closure made
   * per engine, so the code V8 optimises for it (with the book path it inlines)
   * serves every engine in the process; a sweep worker's fresh closure per
   * replay was compiled again each time.
   */
  private onBook(book: Parameters<BookListener>[0], kind: Parameters<BookListener>[1]): void {
    this.hub.onBook(book, kind, this.engine.now());
  }

  onCatalog(markets: CatalogMarket[]): void {
    for (const m of markets) {
      if (m.tokenIds.length !== 2) continue;
      if (m.closed) {
        if (this.registered.delete(m.id)) this.hub.removeMarket(m.id, m.tokenIds[0]!, m.tokenIds[1]!);
      } else if (!this.registered.has(m.id)) {
        this.registered.add(m.id);
        this.hub.registerMarket(m.id, m.tokenIds[0]!, m.tokenIds[1]!);
      }
    }
  }

  onEvents(events: MarketEvent[], now: number): void {
    for (const ev of events) if (ev.type === 'last_trade_price') this.hub.onTrade(ev, now);
  }

  /** Spikes enter the queue as WATCH rows (informational: never auto-traded). */
  cycle(now: number): void {
    for (const s of this.hub.spikes(now, SPIKE_TTL_MS)) {
      const m = this.engine.catalog.markets.get(s.marketId);
      if (!m) continue;
      const item: QueueItem = {
        key: `spike:${s.token}`,
        kind: 'spike',
        label: 'SPIKE',
        tier: 'WATCH',
        priority: Math.min(0.74, 0.6 + Math.min(0.14, Math.abs(s.z) / 100)),
        marketIds: [m.id],
        tokenId: s.token,
        question: m.question,
        side: s.move > 0 ? 'mid up' : 'mid down',
        entry: s.mid / 10_000,
        confidence: s.gap ? 0.25 : 0.5,
        gate: s.gap ? 'feed gap in window' : 'informational',
        reasoning: `mid moved ${(s.move / 100).toFixed(2)}¢ (z ${s.z.toFixed(1)})${s.gap ? '; window overlaps a feed gap' : ''}`,
        autoTradable: false,
        seenAt: now,
        firstSeen: now,
      };
      this.queue.upsert(item);
    }
    this.queue.expire('spike', now - SPIKE_TTL_MS);
  }
}
