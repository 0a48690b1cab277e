// A basket is a fixed bundle of legs whose set payoff is known in every state
// the logic allows. Evaluating it against live books gives an opportunity or
// the reason there is none.
import type { CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { feeForOrder } from './fees.js';
import { sweepBasket, type BookSource, type BookView, type Side, type SweepLeg } from './sweep.js';
import type { ArbKind, ArbLeg, ArbOpportunity, ArbOptions, ArbRelation } from './types.js';

export interface LegSpec {
  /** Index into the scanner's market list. */
  market: number;
  /** 0 = YES (first token), 1 = NO. */
  outcome: 0 | 1;
  side: Side;
}

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
  reason: string;
  /** Complement of a non-exhaustive event: trade the two cheapest NO legs, chosen at evaluation. */
  cheapestPair?: boolean;
}

export type Reject = 'no-book' | 'stale' | 'edge' | 'thin' | 'capital';

export function eventKey(m: CatalogMarket): string {
  return m.eventId ?? `m:${m.id}`;
}

function isFresh(book: BookView, now: number, maxAge: number): boolean {
  return book.state === 'fresh' && now - book.receivedAt <= maxAge && now >= book.receivedAt - maxAge;
}

/** Evaluates one basket at `now`; an opportunity when every report rule holds, else why not. */
export function evaluateBasket(b: Basket, markets: readonly CatalogMarket[], bookOf: BookSource, now: number, o: ArbOptions): ArbOpportunity | Reject {
  let specs = b.legs;
  const books: BookView[] = [];
  if (b.cheapestPair) {
    const fresh: { spec: LegSpec; book: BookView; ask: number }[] = [];
    for (const spec of specs) {
      const book = bookOf(markets[spec.market]!.tokenIds[spec.outcome]!);
      if (!book || !isFresh(book, now, o.maxQuoteAgeMs) || book.askPx.length === 0) continue;
      fresh.push({ spec, book, ask: book.askPx[book.askPx.length - 1]! });
    }
    if (fresh.length < 2) return 'stale';
    fresh.sort((x, y) => x.ask - y.ask || x.spec.market - y.spec.market);
    specs = [fresh[0]!.spec, fresh[1]!.spec];
    books.push(fresh[0]!.book, fresh[1]!.book);
  } else {
    for (const spec of specs) {
      const book = bookOf(markets[spec.market]!.tokenIds[spec.outcome]!);
      if (!book) return 'no-book';
      if (!isFresh(book, now, o.maxQuoteAgeMs)) return 'stale';
      books.push(book);
    }
  }
  const legs: SweepLeg[] = specs.map((s, i) => {
    const book = books[i]!;
    const fee = markets[s.market]!.fee;
    return s.side === 'BUY' ? { side: 'BUY', px: book.askPx, sz: book.askSz, fee } : { side: 'SELL', px: book.bidPx, sz: book.bidSz, fee };
  });
  const r = sweepBasket(legs, b.payoff, { minEdge: o.minEdge, slippage: o.slippage });
  if (r.size <= 0 || r.edge < o.minEdge) return 'edge';
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
  const paperGrade = r.edge >= o.paperEdge && outLegs.every((l) => l.price < o.paperMaxPrice);
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
    reason: `${b.reason}; ${legText}; net ${r.edge.toFixed(4)}/set after fees × ${round2(r.size)} = $${profit.toFixed(2)}`,
    seenAt: now,
    firstSeen: now,
    cycles: 0,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
