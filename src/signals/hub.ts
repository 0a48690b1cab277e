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
import type { TradeEvent } from '../protocol/market-channel.js';
import { MicroScorer, type MarketStatus, type MicroOptions, type MicroSignal } from './micro-scorer.js';
import { OfiTracker, type BookKind, type OfiOptions, type OfiRow, type OfiTopEntry } from './ofi-tracker.js';
import { SpikeDetector, type Spike, type SpikeOptions } from './spikes.js';

export interface SignalHubOptions {
  ofi?: OfiOptions;
  micro?: MicroOptions;
  spikes?: SpikeOptions;
}

export interface MarketSpike extends Spike {
  marketId: string;
}

const hubCheckpointSchema = z.object({ v: z.literal(1), kind: z.literal('signals'), ofi: z.unknown(), micro: z.unknown() });

export class SignalHub {
  readonly ofi: OfiTracker;
  readonly micro: MicroScorer;
  readonly spikeDetector: SpikeDetector;

  constructor(opts: SignalHubOptions = {}) {
    this.ofi = new OfiTracker(opts.ofi);
    this.micro = new MicroScorer(opts.micro);
    this.spikeDetector = new SpikeDetector(opts.spikes);
  }

  registerMarket(marketId: string, yesToken: string, noToken: string): void {
    this.ofi.registerMarket(marketId, yesToken, noToken);
    this.micro.registerMarket(marketId, yesToken, noToken);
  }

  /** Market resolved or unsubscribed. */
  removeMarket(marketId: string, yesToken: string, noToken: string): void {
    this.ofi.untrack(yesToken);
    this.ofi.untrack(noToken);
    this.micro.removeMarket(marketId);
    this.spikeDetector.untrack(yesToken);
    this.spikeDetector.untrack(noToken);
  }

  /** Signature of a BookCache listener (plus the time). */
  onBook(book: OrderBook, kind: BookKind, now: number): void {
    if (kind === 'trade') return; // trades arrive with their size and side through onTrade
    this.ofi.onBook(book, kind, now);
    if (kind === 'state' || kind === 'snapshot') this.micro.onBookState(book.asset, book.state, now);
    if (book.state !== 'fresh') {
      this.spikeDetector.reset(book.asset, now);
      return;
    }
    const nb = book.bidPx.length;
    const na = book.askPx.length;
    if (nb && na && kind !== 'state') this.spikeDetector.onMid(book.asset, (book.bidPx[nb - 1]! + book.askPx[na - 1]!) / 2, now);
  }

  onTrade(t: TradeEvent, now: number): void {
    this.ofi.onTrade(t, now);
    this.micro.onTrade(t, now);
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

  /** True if both parts were restored; each part is restored or rejected on its own (see restoreErrors). */
  fromCheckpoint(json: unknown, now: number): boolean {
    const p = hubCheckpointSchema.safeParse(json);
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
