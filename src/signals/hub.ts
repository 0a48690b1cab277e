// One object for the engine to feed: OFI, microstructure scores and spikes share
// the market registry, the book and trade events, gaps and checkpoints.
//
//   const hub = new SignalHub();
//   hub.registerMarket(conditionId, yesToken, noToken);      // per binary market
//   books.onUpdate((book, kind) => hub.onBook(book, kind, clock.now()));
//   on each decoded last_trade_price: hub.onTrade(ev, clock.now());
//   on a feed gap: hub.markGap(assets, start, end?);
import { z } from 'zod';
import type { OrderBook } from '../book/order-book.js';
import type { TradeEvent } from '../protocol/events.js';
import { parseText } from './checkpoint-text.js';
import { MicroScorer, type MarketStatus, type MicroOptions, type MicroSignal } from './micro-scorer.js';
import { OfiTracker, type BookKind, type OfiOptions, type OfiRow, type OfiTopEntry } from './ofi-tracker.js';
import { Slots } from './slots.js';
import { SpikeDetector, type Spike, type SpikeOptions } from './spikes.js';

export interface SignalHubOptions {
  /** Hard cap on tokens across OFI and spikes (default 100,000). */
  maxTokens?: number;
  ofi?: Omit<OfiOptions, 'slots' | 'maxTokens' | 'initialCapacity'>;
  micro?: Omit<MicroOptions, 'tokens'>;
  spikes?: Omit<SpikeOptions, 'slots' | 'maxTokens'>;
}

export interface MarketSpike extends Spike {
  marketId: string;
}

/** Trade announcements kept (a power of two). */
const TRADED = 64;

const hubCheckpointSchema = z.object({ v: z.literal(1), kind: z.literal('signals'), ofi: z.unknown(), micro: z.unknown() });

export class SignalHub {
  readonly ofi: OfiTracker;
  readonly micro: MicroScorer;
  readonly spikeDetector: SpikeDetector;

  constructor(opts: SignalHubOptions = {}) {
    // One token registry: each event costs one id lookup for all three trackers.
    const tokens = new Slots(1024, opts.maxTokens ?? 100_000);
    this.ofi = new OfiTracker({ ...opts.ofi, slots: tokens });
    this.micro = new MicroScorer({ ...opts.micro, tokens });
    this.spikeDetector = new SpikeDetector({ ...opts.spikes, slots: tokens });
  }

  registerMarket(marketId: string, yesToken: string, noToken: string): void {
    this.ofi.registerMarket(marketId, yesToken, noToken);
    this.micro.registerMarket(marketId, yesToken, noToken);
  }

  /** Market resolved or unsubscribed. */
  removeMarket(marketId: string, yesToken: string, noToken: string): void {
    this.micro.removeMarket(marketId);
    // Frees the shared token slots: OFI and spikes forget them too.
    this.ofi.untrack(yesToken);
    this.ofi.untrack(noToken);
  }

  /**
   * Books the BookCache announced a trade on, oldest first, waiting for that
   * trade's onTrade: the book carries its token's slot, so the trade needs no
   * lookup by id. A ring: entries never claimed are overwritten.
   */
  private readonly traded: (OrderBook | undefined)[] = new Array<OrderBook | undefined>(TRADED).fill(undefined);
  private tradedHead = 0;
  private tradedTail = 0;

  /** Signature of a BookCache listener (plus the time). */
  onBook(book: OrderBook, kind: BookKind, now: number): void {
    if (kind === 'trade') {
      // Size and side arrive through onTrade, right after, in the same order.
      if (this.ofi.boundSlot(book) >= 0) {
        this.traded[this.tradedTail++ & (TRADED - 1)] = book;
        if (this.tradedTail - this.tradedHead > TRADED) this.tradedHead = this.tradedTail - TRADED;
      }
      return;
    }
    const i = this.ofi.onBook(book, kind, now);
    if (i < 0) return;
    if (kind !== 'change') this.micro.onBookStateSlot(i, book.state, now);
    if (book.state !== 'fresh') {
      this.spikeDetector.resetSlot(i, now);
      return;
    }
    const mid = (book.topBidPx + book.topAskPx) / 2; // NaN when a side is empty
    if (mid === mid && kind !== 'state') this.spikeDetector.onMidSlot(i, mid, now);
  }

  onTrade(t: TradeEvent, now: number): void {
    let i = -1;
    if (this.tradedHead < this.tradedTail) {
      // The oldest announced book is this trade's unless the trade had no book
      // (then it waits for the next trade). A slot counts only while still bound.
      const b = this.traded[this.tradedHead & (TRADED - 1)]!;
      if (b.asset === t.asset) {
        this.tradedHead++;
        i = this.ofi.boundSlot(b);
      }
    }
    if (i >= 0) this.ofi.onTradeSlot(i, t, now);
    else i = this.ofi.onTrade(t, now);
    if (i >= 0) this.micro.onTradeSlot(i, t, now);
  }

  markGap(tokens: Iterable<string>, startMs: number, endMs?: number): void {
    const list = [...tokens];
    this.ofi.markGap(list, startMs, endMs);
    this.micro.markGap(list, startMs, endMs);
    this.spikeDetector.markGap(list, startMs, endMs);
  }

  ofiRows(n: number, now: number, windowMs?: number): OfiRow[] {
    return this.ofi.rows(n, now, windowMs);
  }

  /** For the headless summary key `ofi`. */
  top(n: number, now: number): OfiTopEntry[] {
    return this.ofi.top(n, now);
  }

  score(marketId: string, now: number, status: MarketStatus): MicroSignal {
    return this.micro.score(marketId, now, status);
  }

  spikes(now: number, maxAgeMs?: number): MarketSpike[] {
    return this.spikeDetector.spikes(now, maxAgeMs).map((s) => ({ ...s, marketId: this.ofi.marketOf(s.token) ?? '' }));
  }

  toCheckpoint(now: number): unknown {
    return { v: 1, kind: 'signals', ofi: this.ofi.toCheckpoint(now), micro: this.micro.toCheckpoint(now) };
  }

  /**
   * Restores a toCheckpoint() value (parsed, or as JSON text). True if both parts
   * were restored; each part is restored or rejected on its own (see restoreErrors).
   */
  fromCheckpoint(json: unknown, now: number): boolean {
    const text = typeof json === 'string' ? parseText(json) : { ok: true as const, value: json };
    const p = hubCheckpointSchema.safeParse(text.ok ? text.value : undefined);
    if (!p.success) {
      this.ofi.restoreError = this.micro.restoreError = 'invalid: not a signals checkpoint';
      return false;
    }
    const a = this.ofi.fromCheckpoint(p.data.ofi, now);
    const b = this.micro.fromCheckpoint(p.data.micro, now);
    return a && b;
  }

  get restoreErrors(): { ofi: string; micro: string } {
    return { ofi: this.ofi.restoreError, micro: this.micro.restoreError };
  }

  get bytes(): number {
    return this.ofi.bytes + this.micro.bytes + this.spikeDetector.bytes;
  }
}
