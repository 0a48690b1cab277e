// The screen as an engine plug-in. Each cycle it paces the whole-market price
// screen; every few seconds the arbitrage scanner runs over the merged view
// (a streamed book where it is fresh, else the screened top of book) and
// every violation with a screened leg becomes a candidate. Candidates are
// promoted into the streamed set and their books fetched at once with
// POST /books (confirmation on depth): only then can the arbitrage loop, which
// reads books alone, report them as executable. Until then they sit in the
// queue as "screened, unconfirmed" and nothing can trade them.
import type { Engine, EnginePlugin } from '../engine.js';
import type { ArbLoop } from '../plugins/arb-loop.js';
import type { QueueItem, SignalQueue } from '../plugins/queue.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import type { ArbOpportunity } from '../arb/types.js';
import type { BookView } from '../arb/sweep.js';
import { Screen, type ScreenOptions, type ScreenStats } from './screen.js';
import { deepFreeze } from '../frozen.js';

export interface ScreenLoopOptions {
  screen: Partial<ScreenOptions>;
  /** Run the scanner over the screen at most this often, ms. */
  scanEveryMs: number;
  /** A promoted market stays streamed this long after it was last a candidate or an open arbitrage (hysteresis). */
  holdMs: number;
  /** A spike promotes its market for this long. */
  spikeHoldMs: number;
  /** Re-rank the hot set at most this often when promotions change, ms. */
  rehotEveryMs: number;
}

export const DEFAULT_SCREEN_LOOP: ScreenLoopOptions = deepFreeze({
  screen: {},
  scanEveryMs: 3_000,
  holdMs: 120_000,
  spikeHoldMs: 60_000,
  rehotEveryMs: 2_000,
});

/** Promotion weights: above volume (≤ 1), the incumbent bonus (0.5) and open signals (2). */
const CANDIDATE_WEIGHT = 10;
const SPIKE_WEIGHT = 3;

export interface ScreenFigures extends ScreenStats {
  /** Tokens streamed now. */
  streamed: number;
  /** Candidates found on screened prices and not yet confirmed on books. */
  candidates: number;
  /** Markets promoted into the streamed set (candidates and open arbitrage, within the hold). */
  promoted: number;
  /** Candidates later reported on books by the arbitrage loop. */
  confirmed: number;
  spikes: number;
}

/** Open binary markets' tokens, an event's markets side by side (one page tends to hold a whole basket). */
export function screenUniverse(markets: Iterable<CatalogMarket>): string[] {
  const open = [...markets].filter((m) => !m.closed && m.tokenIds.length === 2);
  const key = (m: CatalogMarket) => `${m.eventId ?? ''}\u0000${m.id}`;
  open.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return open.flatMap((m) => m.tokenIds);
}

export class ScreenLoop implements EnginePlugin {
  readonly name = 'screen';
  readonly screen: Screen;
  readonly o: ScreenLoopOptions;
  /** Market id → last time it was a candidate (or an open arbitrage). */
  private readonly promoted = new Map<string, number>();
  /** Unconfirmed candidates by opportunity id. */
  private candidates = new Map<string, ArbOpportunity>();
  private readonly everCandidate = new Set<string>();
  private readonly confirmedIds = new Set<string>();
  private lastScan = 0;
  /** Wall ms the last scan over the screen took. */
  scanCostMs = 0;
  private lastRehot = 0;
  private dirty = false;
  private needUniverse = true;
  private marketOfToken = new Map<string, string>();

  constructor(
    private readonly engine: Engine,
    private readonly arb: ArbLoop,
    private readonly queue: SignalQueue,
    options: Partial<ScreenLoopOptions> = {},
  ) {
    this.o = { ...DEFAULT_SCREEN_LOOP, ...options, screen: { ...DEFAULT_SCREEN_LOOP.screen, ...options.screen } };
    this.screen = new Screen(engine.rest, engine.source.clobUrl, engine.now, this.o.screen);
    engine.rankers.push({ name: 'screen candidates', weight: CANDIDATE_WEIGHT, score: (m) => (this.promoted.has(m.id) ? 1 : 0) });
    engine.rankers.push({ name: 'spikes', weight: SPIKE_WEIGHT, score: (m) => (this.spiking(m) ? 1 : 0) });
  }

  onCatalog(): void {
    this.needUniverse = true;
  }

  private spiking(m: CatalogMarket): boolean {
    const now = this.engine.now();
    for (const t of m.tokenIds) {
      const at = this.screen.spikes.get(t);
      if (at !== undefined && now - at <= this.o.spikeHoldMs) return true;
    }
    return false;
  }

  cycle(now: number): void {
    if (this.engine.phase !== 'streaming') return;
    if (this.needUniverse) {
      const markets = [...this.engine.catalog.markets.values()];
      this.screen.setUniverse(screenUniverse(markets));
      this.marketOfToken = new Map();
      for (const m of markets) for (const t of m.tokenIds) this.marketOfToken.set(t, m.id);
      this.needUniverse = false;
    }
    this.screen.tick();
    // The pass over every basket costs ~1 s at 30,000 markets: keep it under a tenth of the engine's time.
    if (now - this.lastScan >= Math.max(this.o.scanEveryMs, 10 * this.scanCostMs) && this.screen.sweeps > 0) {
      this.lastScan = now;
      const t0 = performance.now();
      this.scan(now);
      this.scanCostMs = performance.now() - t0;
    }
    this.publish(now);
    if (this.dirty && now - this.lastRehot >= this.o.rehotEveryMs) {
      this.lastRehot = now;
      this.dirty = false;
      this.engine.rehot();
      // The promoted books over POST /books now, not when the socket gets to them.
      this.confirm();
    }
  }

  /**
   * A streamed book touched within the quote-age rule as it is; else the newer
   * of a quiet streamed book and the screened price, flagged `screened` (a
   * candidate until POST /books confirms it).
   */
  private merged(now: number): (token: string) => BookView | undefined {
    const books = this.engine.books;
    const maxAge = this.arb.scanner.options.maxQuoteAgeMs;
    return (t) => {
      const b = books.get(t);
      if (b && b.state === 'fresh' && now - b.receivedAt <= maxAge) return b;
      const e = this.screen.get(t);
      if (b && b.state === 'fresh' && (!e || e.at <= b.receivedAt)) {
        const quiet: BookView & { screened: true } = { askPx: b.askPx, askSz: b.askSz, bidPx: b.bidPx, bidSz: b.bidSz, state: 'fresh', receivedAt: now, screened: true };
        return quiet;
      }
      return this.screen.view(t, now);
    };
  }

  private scan(now: number): void {
    const bookOf = this.merged(now);
    const found = this.arb.scanner.screenAll(bookOf, now);
    const next = new Map<string, ArbOpportunity>();
    const confirmed = new Set(this.arb.scanner.current().map((o) => o.id));
    for (const o of found) {
      // All legs on fresh streamed books: the arbitrage loop owns it.
      const screenedLeg = o.legs.some((l) => (bookOf(l.tokenId) as { screened?: boolean } | undefined)?.screened);
      if (!screenedLeg || confirmed.has(o.id)) continue;
      next.set(o.id, o);
      this.everCandidate.add(o.id);
      for (const id of o.marketIds) {
        if (!this.promoted.has(id)) this.dirty = true;
        this.promoted.set(id, now);
      }
    }
    this.candidates = next;
    this.confirm();
    for (const o of this.arb.scanner.current()) {
      for (const id of o.marketIds) this.promoted.set(id, now);
      if (this.everCandidate.has(o.id)) this.confirmedIds.add(o.id);
    }
    for (const [id, at] of this.promoted) {
      if (now - at > this.o.holdMs) {
        this.promoted.delete(id);
        this.dirty = true;
      }
    }
    for (const [t, at] of this.screen.spikes) if (now - at > this.o.spikeHoldMs) this.screen.spikes.delete(t);
  }

  /** Unconfirmed candidates as queue rows; a row goes when its bundle is confirmed on books or no longer screened. */
  private readonly shown = new Set<string>();
  private publish(now: number): void {
    const confirmed = new Set(this.arb.scanner.current().map((o) => o.id));
    const keep = new Set<string>();
    for (const o of this.candidates.values()) {
      if (confirmed.has(o.id)) continue;
      const item = candidateItem(o, now, (id) => this.engine.catalog.markets.get(id)?.question ?? id);
      keep.add(item.key);
      this.queue.upsert(item);
    }
    for (const k of this.shown) if (!keep.has(k)) this.queue.remove(k);
    this.shown.clear();
    for (const k of keep) this.shown.add(k);
  }

  /**
   * Confirmation on depth: every leg of every candidate that has a tracked book
   * (streamed now, or tracked by the last re-rank) is fetched with POST /books,
   * all legs in one batch, so the arbitrage loop sees the whole basket fresh at
   * the same moment (a quiet streamed book is correct but too old for its
   * quote-age rule). Only the loop, reading books, can then report it.
   */
  private confirm(): void {
    const tokens = new Set<string>();
    for (const o of this.candidates.values()) {
      for (const id of o.marketIds) {
        const m = this.engine.catalog.markets.get(id);
        if (!m) continue;
        for (const t of m.tokenIds) if (this.engine.books.get(t)) tokens.add(t);
      }
    }
    if (tokens.size) {
      this.confirmRequests++;
      void this.engine.resyncer.run(tokens);
    }
  }

  confirmRequests = 0;

  private cachedFigures: { at: number; f: ScreenFigures } | undefined;

  /** The Shards pane's figures (a pass over every token: computed at most once a second). */
  figures(now: number): ScreenFigures {
    if (this.cachedFigures && now - this.cachedFigures.at < 1_000 && now >= this.cachedFigures.at) return this.cachedFigures.f;
    const f: ScreenFigures = {
      ...this.screen.stats(now),
      streamed: this.engine.streamed.size,
      candidates: this.candidates.size,
      promoted: this.promoted.size,
      confirmed: this.confirmedIds.size,
      spikes: this.screen.spikes.size,
    };
    this.cachedFigures = { at: now, f };
    return f;
  }

  /**
   * `m` with its outcome prices (mid of the screened bid and ask per token)
   * and best bid/ask (the first token's) from the screen, for the strategy
   * scan's first stage; undefined when either token has no recent two-sided
   * screened price.
   */
  withScreenPrices(m: CatalogMarket, now: number): CatalogMarket | undefined {
    if (m.tokenIds.length !== 2) return undefined;
    const e0 = this.screen.get(m.tokenIds[0]!);
    const e1 = this.screen.get(m.tokenIds[1]!);
    if (!e0 || !e1 || now - e0.at > this.screen.o.maxAgeMs || now - e1.at > this.screen.o.maxAgeMs) return undefined;
    if (e0.bid === undefined || e0.ask === undefined || e1.bid === undefined || e1.ask === undefined) return undefined;
    return { ...m, outcomePrices: [Math.round((e0.bid + e0.ask) / 2), Math.round((e1.bid + e1.ask) / 2)], bestBid: e0.bid, bestAsk: e0.ask };
  }

  candidateList(): readonly ArbOpportunity[] {
    return [...this.candidates.values()];
  }
}

export function candidateItem(o: ArbOpportunity, now: number, questionOf: (id: string) => string): QueueItem {
  return {
    key: `screen:${o.id}`,
    kind: 'arb',
    label: o.relation,
    tier: 'ARB',
    // Below every confirmed bundle: a screened price is a lead, not an edge.
    priority: Math.min(0.49, 0.3 + o.confidence * 0.1),
    marketIds: o.marketIds,
    question: o.marketIds.length === 1 ? questionOf(o.marketIds[0]!) : `${questionOf(o.marketIds[0]!)} (+${o.marketIds.length - 1} more)`,
    side: o.legs.map((l) => `${l.side === 'BUY' ? '' : 'sell '}${l.outcome}`).join(' + '),
    confidence: o.confidence,
    gate: 'screened, unconfirmed',
    reasoning: `screened top of book: ${o.reason}; confirming on the books`,
    autoTradable: false,
    screened: true,
    seenAt: now,
    firstSeen: now,
  };
}
