// The whole-market screen: every open token's best bid and ask, refreshed in a
// round robin of batch POST /prices requests paced inside the venue's documented
// limit (500 per 10 s for /prices). The streamed hot set covers ~2% of the
// market; the screen covers all of it at a bounded age, so the scanners can see
// where an opportunity might be and the hot set can move there.
//
// Screened prices are top-of-book only and seconds old: they nominate, never
// trade. Views built from them carry `screened: true`.
import type { RestLike } from '../feed/rest-client.js';
import { fetchPrices, type TopOfBook } from '../feed/clob-prices.js';
import { RATE_WINDOW_MS, SlidingWindow } from '../protocol/rate-limits.js';
import type { BookView } from '../arb/sweep.js';
import { type WallNow } from '../clock.js';
import { deepFreeze } from '../frozen.js';

/** The documented /prices limit per 10 s (research §4). */
export const PRICES_LIMIT_PER_10S = 500;

export interface ScreenOptions {
  /** Tokens per request (two items each: bid and ask); halves on "Payload exceeds the limit". */
  chunk: number;
  /** Share of the documented /prices limit the screen may use at most. */
  share: number;
  /** Requests per 10 s the screen always keeps, whatever the back-off (the floor). */
  floorPer10s: number;
  /** Aim: every token re-priced within this many ms (sets the pace when it is below the ceiling). */
  targetAgeMs: number;
  /** Requests in flight at once. */
  maxInFlight: number;
  /** A screened price older than this is not used. */
  maxAgeMs: number;
  /** Nominal depth of a screened view, shares (the screen knows no depth; confirmation reads the book). */
  nominalSize: number;
  /** A move of the mid by at least this much between two screens is a spike, 0.0001 units. */
  spikeMove: number;
}

export const DEFAULT_SCREEN: ScreenOptions = deepFreeze({
  chunk: 250,
  share: 0.5,
  floorPer10s: 20,
  targetAgeMs: 20_000,
  maxInFlight: 4,
  maxAgeMs: 120_000,
  nominalSize: 1_000,
  spikeMove: 500,
});

export interface ScreenEntry extends TopOfBook {
  at: number;
}

/** A screened price as the scanners read a book. */
export interface ScreenView extends BookView {
  readonly screened: true;
}

/**
 * The pace: enough requests per 10 s to re-price every token within the
 * target age, never above the ceiling (the share of the documented limit) and
 * never below the floor. `backoff` (0..1, from 429s and failures) scales the
 * ceiling down, but the result stays at or above the floor.
 */
export function screenBudget(tokens: number, o: Pick<ScreenOptions, 'chunk' | 'share' | 'floorPer10s' | 'targetAgeMs'>, backoff = 1): number {
  const ceiling = Math.max(o.floorPer10s, Math.floor(PRICES_LIMIT_PER_10S * o.share * Math.min(1, Math.max(0, backoff))));
  const pages = Math.ceil(tokens / Math.max(1, o.chunk));
  const needed = Math.ceil((pages * RATE_WINDOW_MS) / Math.max(1, o.targetAgeMs));
  return Math.min(ceiling, Math.max(o.floorPer10s, needed));
}

export interface ScreenStats {
  /** Tokens in the universe (every open token). */
  universe: number;
  /** Tokens with a price younger than maxAgeMs. */
  screened: number;
  /** Age of the oldest screened price among the universe (the screen's bound), ms; -1 before a full pass. */
  ageMs: number;
  /** Full passes over the universe. */
  sweeps: number;
  /** Requests per 10 s the screen allows itself now, and its floor. */
  budgetPer10s: number;
  floorPer10s: number;
  requests: number;
  failures: number;
  rejected: number;
  lastError: string;
}

export class Screen {
  readonly o: ScreenOptions;
  private tokens: string[] = [];
  private universeSet = new Set<string>();
  private readonly entries = new Map<string, ScreenEntry>();
  private cursor = 0;
  private inFlight = 0;
  private window: SlidingWindow;
  private backoff = 1;
  sweeps = 0;
  requests = 0;
  failures = 0;
  rejected = 0;
  lastError = '';
  /** Token → when its mid last moved by `spikeMove` or more between two screens. */
  readonly spikes = new Map<string, number>();
  /** Called after every answered request (the loop re-screens on fresh prices). */
  onPrices: ((tokens: readonly string[], at: number) => void) | undefined;

  constructor(
    private readonly rest: RestLike,
    private readonly clobUrl: string,
    private readonly now: WallNow,
    options: Partial<ScreenOptions> = {},
  ) {
    this.o = { ...DEFAULT_SCREEN, ...options };
    this.window = new SlidingWindow(this.budget());
  }

  /** The tokens to screen, in order (both tokens of a market, and an event's markets, side by side). */
  setUniverse(tokens: readonly string[]): void {
    this.tokens = [...tokens];
    this.universeSet = new Set(tokens);
    for (const t of this.entries.keys()) if (!this.universeSet.has(t)) this.entries.delete(t);
    if (this.cursor >= this.tokens.length) this.cursor = 0;
    this.repace();
  }

  budget(): number {
    return screenBudget(this.tokens.length, this.o, this.backoff);
  }

  private repace(): void {
    const b = this.budget();
    if (b !== this.window.limit) this.window = new SlidingWindow(b);
  }

  get(token: string): ScreenEntry | undefined {
    return this.entries.get(token);
  }

  /** The screened price of `token` as a one-level book, if younger than maxAgeMs. */
  view(token: string, now: number): ScreenView | undefined {
    const e = this.entries.get(token);
    if (!e || now - e.at > this.o.maxAgeMs) return undefined;
    const n = this.o.nominalSize;
    return {
      askPx: e.ask === undefined ? [] : [e.ask],
      askSz: e.ask === undefined ? [] : [n],
      bidPx: e.bid === undefined ? [] : [e.bid],
      bidSz: e.bid === undefined ? [] : [n],
      state: 'fresh',
      // The age bound is the screen's own (maxAgeMs); the scanner's quote-age rule is for streamed books.
      receivedAt: now,
      screened: true,
    };
  }

  /** Sends as many page requests as the pace and the in-flight cap allow. Never awaits. */
  tick(): void {
    if (!this.tokens.length) return;
    while (this.inFlight < this.o.maxInFlight) {
      const now = this.now();
      if (this.window.waitMs(now) > 0) return;
      this.window.record(now);
      const page = this.tokens.slice(this.cursor, this.cursor + this.o.chunk);
      this.cursor += page.length;
      if (this.cursor >= this.tokens.length) {
        this.cursor = 0;
        this.sweeps++;
      }
      this.inFlight++;
      this.requests++;
      void this.fetch(page).finally(() => this.inFlight--);
    }
  }

  private async fetch(page: string[]): Promise<void> {
    const r = await fetchPrices(this.rest, this.clobUrl, page);
    const at = this.now();
    if (!r.ok) {
      this.failures++;
      this.lastError = r.error;
      if (r.tooLarge && this.o.chunk > 1) this.o.chunk = Math.max(1, Math.floor(this.o.chunk / 2));
      else this.backoff = Math.max(0, this.backoff / 2);
      this.repace();
      return;
    }
    if (this.backoff < 1) {
      this.backoff = Math.min(1, this.backoff + 0.1);
      this.repace();
    }
    this.rejected += r.rejected;
    for (const t of page) {
      const p = r.prices.get(t);
      if (!p) {
        // No book on the venue: nothing to screen (a stale entry must not linger).
        this.entries.delete(t);
        continue;
      }
      this.record(t, p, at);
    }
    this.onPrices?.(page, at);
  }

  /** One screened price (a spike when the mid moved by spikeMove or more since the last). */
  record(token: string, p: TopOfBook, at: number): void {
    const prev = this.entries.get(token);
    if (prev) {
      const m0 = mid(prev);
      const m1 = mid(p);
      if (m0 !== undefined && m1 !== undefined && Math.abs(m1 - m0) >= this.o.spikeMove) this.spikes.set(token, at);
    }
    this.entries.set(token, { bid: p.bid, ask: p.ask, at });
  }

  stats(now: number): ScreenStats {
    let screened = 0;
    let oldest = Infinity;
    for (const t of this.tokens) {
      const e = this.entries.get(t);
      if (!e) continue;
      const age = now - e.at;
      if (age <= this.o.maxAgeMs) screened++;
      if (e.at < oldest) oldest = e.at;
    }
    const complete = this.sweeps > 0 && this.tokens.length > 0;
    return {
      universe: this.tokens.length,
      screened,
      ageMs: complete && Number.isFinite(oldest) ? Math.max(0, now - oldest) : -1,
      sweeps: this.sweeps,
      budgetPer10s: this.window.limit,
      floorPer10s: this.o.floorPer10s,
      requests: this.requests,
      failures: this.failures,
      rejected: this.rejected,
      lastError: this.lastError,
    };
  }
}

function mid(p: TopOfBook): number | undefined {
  return p.bid !== undefined && p.ask !== undefined ? (p.bid + p.ask) / 2 : undefined;
}
