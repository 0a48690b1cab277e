// The baskets as flat arrays, for the per-cycle re-check. Nearly every basket
// is rejected at the top of its books (no book, a stale leg, or no edge at the
// best prices), and deciding that by walking each basket's objects touched ~10
// scattered cache lines per basket. Here a basket's legs are a run of
// contiguous typed-array entries (token, side, market), and each token's
// top-of-book terms are read from its book once per pass into per-token
// arrays; only a basket that clears the top-of-book edge gets the full
// evaluation (sweep, opportunity object) from `evaluateBasket`.
//
// Identity with `evaluateBasket` is by construction: the per-token terms are
// the same expressions on the same inputs (a leg's marginal term is
// `-p - fee(p)` for a BUY and `p - fee(p)` for a SELL, summed in leg order
// from the payoff), and the reject reasons are decided in the same order.
import type { CatalogMarket, FeeSchedule } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { evaluateBasket, type Basket, type LegBooks, type LegSpec, type Reject } from './baskets.js';
import { takerFeePerShare } from './fees.js';
import type { BookView } from './sweep.js';
import type { ArbOpportunity, ArbOptions } from './types.js';

/** Same tolerance as `evaluateBasket`'s edge test. */
const EPS = 1e-9;

/** Per-token state for the current pass. */
const NO_BOOK = 1;
const STALE = 2;
const FRESH = 3;

/** Outcome of the quick test: a reject, or PASS (needs the full evaluation). */
export const PASS = 0;
export const Q_NO_BOOK = 1;
export const Q_STALE = 2;
export const Q_EDGE = 3;
const REJECTS: readonly Reject[] = ['no-book', 'no-book', 'stale', 'edge'];

/** A basket flag: trade the two cheapest fresh NO legs (complement of a non-exhaustive event). */
const F_PAIR = 1;
/** A basket flag: always take the full evaluation (a token seen with two fee schedules). */
const F_SLOW = 2;

/** A book by token index (the scanner's token table). */
export type TokenBooks = (token: number) => BookView | undefined;

export class BasketTable {
  readonly size: number;
  /** Legs of basket b are entries legStart[b] .. legStart[b + 1] − 1. */
  private readonly legStart: Int32Array;
  private readonly legToken: Int32Array;
  /** 0 BUY, 1 SELL. */
  private readonly legSell: Uint8Array;
  private readonly legMarket: Int32Array;
  private readonly payoff: Float64Array;
  private readonly flags: Uint8Array;
  /** The fee schedule of each token's market. */
  private readonly tokenFee: (FeeSchedule | undefined)[];
  /** Pass stamp of each token's cached terms; a new pass reads each book again. */
  private readonly stamp: Uint32Array;
  private pass = 0;
  private readonly state: Uint8Array;
  /** Best ask / bid in 0.0001 units (NaN: side empty). */
  private readonly ask: Float64Array;
  /** The leg's marginal term at the best level: BUY −p − fee(p), SELL p − fee(p) (NaN: side empty). */
  private readonly buyTerm: Float64Array;
  private readonly sellTerm: Float64Array;

  /** `baskets` with every leg's `token` already set to an index below `tokenCount`. */
  constructor(
    readonly baskets: readonly Basket[],
    private readonly markets: readonly CatalogMarket[],
    tokenCount: number,
  ) {
    const nb = baskets.length;
    this.size = nb;
    let nl = 0;
    for (const b of baskets) nl += b.legs.length;
    this.legStart = new Int32Array(nb + 1);
    this.legToken = new Int32Array(nl);
    this.legSell = new Uint8Array(nl);
    this.legMarket = new Int32Array(nl);
    this.payoff = new Float64Array(nb);
    this.flags = new Uint8Array(nb);
    this.tokenFee = new Array<FeeSchedule | undefined>(tokenCount).fill(undefined);
    const mixed = new Uint8Array(tokenCount);
    let k = 0;
    for (let bi = 0; bi < nb; bi++) {
      const b = baskets[bi]!;
      this.legStart[bi] = k;
      this.payoff[bi] = b.payoff;
      if (b.cheapestPair) this.flags[bi]! |= F_PAIR;
      for (const leg of b.legs) {
        this.legToken[k] = leg.token;
        this.legSell[k] = leg.side === 'SELL' ? 1 : 0;
        this.legMarket[k] = leg.market;
        const fee = markets[leg.market]!.fee;
        const held = this.tokenFee[leg.token];
        if (held === undefined) this.tokenFee[leg.token] = fee;
        else if (held !== fee && (held.rate !== fee.rate || held.exponent !== fee.exponent)) mixed[leg.token] = 1;
        k++;
      }
    }
    this.legStart[nb] = k;
    for (let bi = 0; bi < nb; bi++) {
      for (let j = this.legStart[bi]!; j < this.legStart[bi + 1]!; j++) if (mixed[this.legToken[j]!]) this.flags[bi]! |= F_SLOW;
    }
    this.stamp = new Uint32Array(tokenCount);
    this.state = new Uint8Array(tokenCount);
    this.ask = new Float64Array(tokenCount);
    this.buyTerm = new Float64Array(tokenCount);
    this.sellTerm = new Float64Array(tokenCount);
  }

  /**
   * Starts a pass: books may have moved and time has passed since the last
   * one, so every token's terms are read again (once) when first needed.
   */
  begin(bookOf: TokenBooks): void {
    if (++this.pass === 0xffffffff) {
      this.stamp.fill(0);
      this.pass = 1;
    }
    this.bookOf = bookOf;
  }

  private bookOf: TokenBooks = () => undefined;
  /** The full evaluation's view of the same source (it asks by leg). */
  private readonly legBook: LegBooks = (leg: LegSpec) => this.bookOf(leg.token);

  /**
   * Evaluates basket `bi` at `now` within the current pass: exactly what
   * `evaluateBasket` returns, reading each token's book through `bookOf` at
   * most once per pass.
   */
  evaluate(bi: number, now: number, o: ArbOptions): ArbOpportunity | Reject {
    const q = this.quick(bi, now, o);
    if (q !== PASS) return REJECTS[q]!;
    return evaluateBasket(this.baskets[bi]!, this.markets, this.legBook, now, o);
  }

  /** The top-of-book test alone: a reject code, or PASS when only the full evaluation can decide. */
  quick(bi: number, now: number, o: ArbOptions): number {
    const flags = this.flags[bi]!;
    if (flags & F_SLOW) return PASS;
    const from = this.legStart[bi]!;
    const to = this.legStart[bi + 1]!;
    const pass = this.pass;
    const stamp = this.stamp;
    const state = this.state;
    if (flags & F_PAIR) return this.quickPair(bi, from, to, now, o);
    let marginal = this.payoff[bi]!;
    for (let k = from; k < to; k++) {
      const ti = this.legToken[k]!;
      if (stamp[ti] !== pass) this.read(ti, now, o.maxQuoteAgeMs);
      const s = state[ti]!;
      if (s !== FRESH) return s === NO_BOOK ? Q_NO_BOOK : Q_STALE;
      const term = this.legSell[k] ? this.sellTerm[ti]! : this.buyTerm[ti]!;
      // NaN: that side of the book is empty.
      if (term !== term) return Q_EDGE;
      marginal += term;
    }
    return marginal < o.minEdge - EPS ? Q_EDGE : PASS;
  }

  /**
   * The two cheapest fresh asks (ties by market index, as the full evaluation
   * sorts them): fewer than two is 'stale'; a first set below the minimum edge
   * ends the sweep at size 0, which is 'edge'.
   */
  private quickPair(bi: number, from: number, to: number, now: number, o: ArbOptions): number {
    const pass = this.pass;
    let k0 = -1;
    let k1 = -1;
    for (let k = from; k < to; k++) {
      const ti = this.legToken[k]!;
      if (this.stamp[ti] !== pass) this.read(ti, now, o.maxQuoteAgeMs);
      if (this.state[ti] !== FRESH) continue;
      const a = this.ask[ti]!;
      if (a !== a) continue;
      if (k0 < 0 || this.before(k, k0)) {
        k1 = k0;
        k0 = k;
      } else if (k1 < 0 || this.before(k, k1)) k1 = k;
    }
    if (k1 < 0) return Q_STALE;
    let marginal = this.payoff[bi]!;
    marginal += this.termOf(k0);
    marginal += this.termOf(k1);
    return marginal < o.minEdge - EPS ? Q_EDGE : PASS;
  }

  /** Leg k sorts before leg j: lower ask, then lower market index. */
  private before(k: number, j: number): boolean {
    const ak = this.ask[this.legToken[k]!]!;
    const aj = this.ask[this.legToken[j]!]!;
    return ak < aj || (ak === aj && this.legMarket[k]! < this.legMarket[j]!);
  }

  private termOf(k: number): number {
    const ti = this.legToken[k]!;
    return this.legSell[k] ? this.sellTerm[ti]! : this.buyTerm[ti]!;
  }

  /** Reads token `ti`'s book into the per-token arrays. */
  private read(ti: number, now: number, maxAge: number): void {
    this.stamp[ti] = this.pass;
    const book = this.bookOf(ti);
    if (!book) {
      this.state[ti] = NO_BOOK;
      return;
    }
    if (!(book.state === 'fresh' && now - book.receivedAt <= maxAge)) {
      this.state[ti] = STALE;
      return;
    }
    this.state[ti] = FRESH;
    const fee = this.tokenFee[ti]!;
    const ask = topOf(book.topAskPx, book.askPx);
    this.ask[ti] = ask;
    if (ask === ask) {
      const p = ask / PRICE_SCALE;
      this.buyTerm[ti] = -p - takerFeePerShare(p, fee);
    } else this.buyTerm[ti] = NaN;
    const bid = topOf(book.topBidPx, book.bidPx);
    if (bid === bid) {
      const p = bid / PRICE_SCALE;
      this.sellTerm[ti] = p - takerFeePerShare(p, fee);
    } else this.sellTerm[ti] = NaN;
  }
}

/** The best level: a book's cached top when it keeps one, else the last array entry (NaN when empty). */
function topOf(cached: number | undefined, px: readonly number[]): number {
  if (cached !== undefined) return cached;
  const n = px.length;
  return n > 0 ? px[n - 1]! : NaN;
}

