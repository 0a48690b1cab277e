// Market-maker quoting: the levels a token's book should show around a fair
// value. Sizes are a stable function of (market, price) so requotes only touch
// levels that actually move.
import { PRICE_SCALE } from '../protocol/units.js';

export const LEVELS_PER_SIDE = 6;

export interface Quote {
  /** Bid prices best-first (descending), units. */
  bids: number[];
  /** Ask prices best-first (ascending), units. */
  asks: number[];
}

/** The makers' best YES bid around `fair` (probability), in price units: on the tick grid, inside (0, 1). */
export function bestBidQuote(fair: number, halfSpread: number, tick: number): number {
  const bid = Math.floor((fair * PRICE_SCALE - halfSpread * PRICE_SCALE) / tick) * tick;
  return Math.min(Math.max(bid, tick), PRICE_SCALE - 2 * tick);
}

/** The makers' best YES ask around `fair`, at least one tick above `bestBid`. */
export function bestAskQuote(fair: number, halfSpread: number, tick: number, bestBid: number): number {
  const ask = Math.ceil((fair * PRICE_SCALE + halfSpread * PRICE_SCALE) / tick) * tick;
  return Math.max(Math.min(ask, PRICE_SCALE - tick), bestBid + tick);
}

/** Desired YES levels for a fair probability. */
export function quoteYes(fair: number, halfSpread: number, tick: number): Quote {
  const bestBid = bestBidQuote(fair, halfSpread, tick);
  const bestAsk = bestAskQuote(fair, halfSpread, tick, bestBid);
  const bids: number[] = [];
  const asks: number[] = [];
  for (let i = 0; i < LEVELS_PER_SIDE; i++) {
    const b = bestBid - i * tick;
    const a = bestAsk + i * tick;
    if (b >= tick) bids.push(b);
    if (a <= PRICE_SCALE - tick) asks.push(a);
  }
  return { bids, asks };
}

/**
 * The NO book mirrors YES (a NO bid at 1 − p is a YES ask at p), shifted down by
 * `shift` units when a YES+NO mispricing is planted.
 */
export function mirror(q: Quote, tick: number, shift = 0): Quote {
  const clamp = (p: number) => Math.min(Math.max(p, tick), PRICE_SCALE - tick);
  const bids = q.asks.map((a) => clamp(PRICE_SCALE - a - shift));
  const asks = q.bids.map((b) => clamp(PRICE_SCALE - b - shift));
  return { bids: dedupe(bids), asks: dedupe(asks) };
}

function dedupe(px: number[]): number[] {
  return px.filter((p, i) => i === 0 || p !== px[i - 1]);
}

/** Stable pseudo-random level size for (seed, price, depth rank). */
export function levelSize(seed: number, price: number, rank: number, depth: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(price, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2d);
  h ^= h >>> 15;
  const u = (h >>> 0) / 4294967296;
  return Math.max(5, Math.round(depth * (0.5 + u) * (1 + 0.35 * rank)));
}
