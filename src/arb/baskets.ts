// A basket is a fixed bundle of legs whose set payoff is known in every state
// the logic allows. Evaluating it against live books gives an opportunity or
// the reason there is none.
import type { CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { feeForOrder, takerFeePerShare } from './fees.js';
import { sweepBasket, type BookView, type Side, type SweepLeg } from './sweep.js';
import type { ArbKind, ArbLeg, ArbOpportunity, ArbOptions, ArbRelation } from './types.js';
import { describeRelation, type Relation } from './relations.js';

export interface LegSpec {
  /** Index into the scanner's market list. */
  market: number;
  /** 0 = YES (first token), 1 = NO. */
  outcome: 0 | 1;
  side: Side;
  /** Index of the leg's token in the scanner's token table (set by the scanner; −1 before). */
  token: number;
}

/** Finds the book of a leg (the scanner memoises per scan). */
export type LegBooks = (leg: LegSpec) => BookView | undefined;

export interface Basket {
  id: string;
  kind: ArbKind;
  relation: ArbRelation;
  legs: LegSpec[];
  /** Dollars per set at resolution (−1 for split-and-sell: the split costs $1). */
  payoff: number;
  confidence: number;
  /** Event keys the basket touches (per-event cap). */
  events: string[];
  /** The relation a constraint basket trades. */
  rel?: Relation;
  /** Fixed description of an event basket. */
  note?: string;
  /** Complement of a non-exhaustive event: trade the two cheapest NO legs, chosen at evaluation. */
  cheapestPair?: boolean;
}

/** Edges are sums of binary fractions: 1 − 0.40 − 0.55 is 0.04999999999999993. */
const EPS = 1e-9;
/** Books of the basket being evaluated (evaluation is synchronous; reused to avoid garbage). */
const scratch: BookView[] = [];

export type Reject = 'no-book' | 'stale' | 'edge' | 'thin' | 'capital';

export function eventKey(m: CatalogMarket): string {
  return m.eventId ?? `m:${m.id}`;
}

function isFresh(book: BookView, now: number, maxAge: number): boolean {
  return book.state === 'fresh' && now - book.receivedAt <= maxAge;
}

/** Evaluates one basket at `now`; an opportunity when every report rule holds, else why not. */
export function evaluateBasket(b: Basket, markets: readonly CatalogMarket[], bookOf: LegBooks, now: number, o: ArbOptions): ArbOpportunity | Reject {
  let specs = b.legs;
  const books = scratch;
  books.length = 0;
  if (!b.cheapestPair) {
    // Fast path: most baskets fail at the top of the book; decide that before allocating.
    let marginal = b.payoff;
    for (const spec of specs) {
      const m = markets[spec.market]!;
      const book = bookOf(spec);
      if (!book) return 'no-book';
      if (!isFresh(book, now, o.maxQuoteAgeMs)) return 'stale';
      const px = spec.side === 'BUY' ? book.askPx : book.bidPx;
      if (px.length === 0) return 'edge';
      const p = px[px.length - 1]! / PRICE_SCALE;
      marginal += spec.side === 'BUY' ? -p - takerFeePerShare(p, m.fee) : p - takerFeePerShare(p, m.fee);
      books.push(book);
    }
    if (marginal < o.minEdge - EPS) return 'edge';
  } else {
    const fresh: { spec: LegSpec; book: BookView; ask: number }[] = [];
    for (const spec of specs) {
      const book = bookOf(spec);
      if (!book || !isFresh(book, now, o.maxQuoteAgeMs) || book.askPx.length === 0) continue;
      fresh.push({ spec, book, ask: book.askPx[book.askPx.length - 1]! });
    }
    if (fresh.length < 2) return 'stale';
    fresh.sort((x, y) => x.ask - y.ask || x.spec.market - y.spec.market);
    specs = [fresh[0]!.spec, fresh[1]!.spec];
    books.push(fresh[0]!.book, fresh[1]!.book);
  }
  const legs: SweepLeg[] = specs.map((s, i) => {
    const book = books[i]!;
    const fee = markets[s.market]!.fee;
    return s.side === 'BUY' ? { side: 'BUY', px: book.askPx, sz: book.askSz, fee } : { side: 'SELL', px: book.bidPx, sz: book.bidSz, fee };
  });
  const r = sweepBasket(legs, b.payoff, { minEdge: o.minEdge, slippage: o.slippage });
  if (r.size <= 0 || r.edge < o.minEdge - EPS) return 'edge';
  if (r.size < o.minSize) return 'thin';
  let capital = Math.max(0, -b.payoff) * r.size;
  for (let i = 0; i < legs.length; i++) if (legs[i]!.side === 'BUY') capital += r.legs[i]!.notional + r.legs[i]!.fees;
  if (capital < o.minCapital) return 'capital';
  const outLegs: ArbLeg[] = specs.map((s, i) => {
    const m = markets[s.market]!;
    const fill = r.legs[i]!;
    return {
      marketId: m.id,
      tokenId: m.tokenIds[s.outcome]!,
      side: s.side,
      outcome: s.outcome === 0 ? 'YES' : 'NO',
      price: fill.worst,
      vwap: fill.vwap,
      size: r.size,
      fee: feeForOrder(r.size, fill.vwap / PRICE_SCALE, m.fee),
    };
  });
  const marketIds: string[] = [];
  for (const l of outLegs) if (!marketIds.includes(l.marketId)) marketIds.push(l.marketId);
  const paperGrade = r.edge >= o.paperEdge - EPS && outLegs.every((l) => l.price < o.paperMaxPrice);
  const profit = r.edge * r.size;
  const legText = outLegs.map((l) => `${l.side} ${l.outcome} ${l.marketId} @${(l.vwap / PRICE_SCALE).toFixed(4)}`).join(' + ');
  return {
    id: b.cheapestPair ? `${b.id}:${marketIds.join(',')}` : b.id,
    kind: b.kind,
    relation: b.relation,
    marketIds,
    eventIds: b.events,
    legs: outLegs,
    edge: r.edge,
    topEdge: r.topEdge,
    size: r.size,
    capital,
    profit,
    confidence: b.confidence,
    paperGrade,
    autoTradable: b.confidence >= o.autoConfidence,
    reason: `${describeBasket(b, markets)}; ${legText}; net ${r.edge.toFixed(4)}/set after fees × ${round2(r.size)} = $${profit.toFixed(2)}`,
    seenAt: now,
    firstSeen: now,
    cycles: 0,
  };
}

/** Why the basket pays (built only for reported opportunities). */
export function describeBasket(b: Basket, markets: readonly CatalogMarket[]): string {
  if (b.rel) return describeRelation(b.rel, markets);
  if (b.note) return b.note;
  const q = markets[b.legs[0]!.market]?.question ?? '?';
  return b.relation === 'split-sell' ? `YES + NO bids above $1 (split $1, sell both): "${q}"` : `YES + NO asks below $1: "${q}"`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
