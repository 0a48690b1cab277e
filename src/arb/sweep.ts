// Depth sweeps. A basket (one share of every leg per "set") is filled level by
// level across all legs at once; it grows while the marginal set still clears
// the minimum edge and every leg stays within the slippage ceiling of its best
// price. Executable size is therefore bounded by the thinnest leg's depth
// inside the ceiling (quant-anchors §8A), and the reported edge is the VWAP edge.
import type { FeeSchedule } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { takerFeePerShare } from './fees.js';

/** What the scanner reads from a book; `OrderBook` satisfies it. Best levels are LAST. */
export interface BookView {
  /** Ask prices descending (best last), 0.0001 units. */
  readonly askPx: readonly number[];
  readonly askSz: readonly number[];
  /** Bid prices ascending (best last). */
  readonly bidPx: readonly number[];
  readonly bidSz: readonly number[];
  readonly state: string;
  /** Local ms of the last message touching the book. */
  readonly receivedAt: number;
  /**
   * The best ask / bid (NaN when that side is empty), when the book keeps them
   * alongside its arrays (`OrderBook` does): the per-cycle check reads them
   * instead of the arrays. Either absent or always equal to the arrays' last entries.
   */
  readonly topAskPx?: number;
  readonly topBidPx?: number;
}

export type BookSource = (tokenId: string) => BookView | undefined;

export type Side = 'BUY' | 'SELL';

export interface SweepLeg {
  /** BUY takes asks, SELL takes bids. */
  side: Side;
  /** Levels with the best price last (askPx / bidPx of a book). */
  px: readonly number[];
  sz: readonly number[];
  fee: Pick<FeeSchedule, 'rate' | 'exponent'>;
}

export interface SweepOptions {
  /** Marginal edge per set (dollars) every added set must clear. */
  minEdge: number;
  /** Furthest a leg may walk from its best price, in 0.0001 units. */
  slippage: number;
  /** Stop at this many sets. */
  maxSize?: number;
}

export interface LegFill {
  /** Volume-weighted price, units (fractional). */
  vwap: number;
  /** Worst level touched: the limit price for the order, units. */
  worst: number;
  /** Best level, units. */
  best: number;
  /** Taker fees for the leg, dollars (unrounded). */
  fees: number;
  /** Σ price × shares, dollars. */
  notional: number;
}

export interface SweepResult {
  /** Sets filled (shares per leg). */
  size: number;
  /** Average net edge per set over `size`, dollars; equals `topEdge` when size is 0. */
  edge: number;
  /** Net edge of the first set at the best prices, dollars. */
  topEdge: number;
  legs: LegFill[];
}

/**
 * Sweeps a basket whose set pays `payoff` dollars (1 for buy-both or an
 * implication, n − 1 for a negRisk short, −1 for split-and-sell where the
 * split costs $1). Per set: payoff − Σ BUY (p + fee) + Σ SELL (p − fee).
 */
export function sweepBasket(legs: readonly SweepLeg[], payoff: number, opts: SweepOptions): SweepResult {
  const n = legs.length;
  const idx = new Array<number>(n);
  const rem = new Array<number>(n);
  const fills: LegFill[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = legs[i]!;
    const top = l.px.length - 1;
    idx[i] = top;
    rem[i] = top >= 0 ? l.sz[top]! : 0;
    const best = top >= 0 ? l.px[top]! : NaN;
    fills[i] = { vwap: best, worst: best, best, fees: 0, notional: 0 };
  }
  if (n === 0 || fills.some((f) => Number.isNaN(f.best))) return { size: 0, edge: -Infinity, topEdge: -Infinity, legs: fills };
  const maxSize = opts.maxSize ?? Infinity;
  let size = 0;
  let cash = 0;
  let topEdge = NaN;
  for (;;) {
    let marginal = payoff;
    let chunk = maxSize - size;
    let within = true;
    for (let i = 0; i < n; i++) {
      const l = legs[i]!;
      const p = l.px[idx[i]!]! / PRICE_SCALE;
      const f = takerFeePerShare(p, l.fee);
      marginal += l.side === 'BUY' ? -p - f : p - f;
      const away = l.side === 'BUY' ? l.px[idx[i]!]! - fills[i]!.best : fills[i]!.best - l.px[idx[i]!]!;
      if (away > opts.slippage) within = false;
      if (rem[i]! < chunk) chunk = rem[i]!;
    }
    if (Number.isNaN(topEdge)) topEdge = marginal;
    if (!within || marginal < opts.minEdge - 1e-9 || chunk <= 0) break;
    size += chunk;
    cash += marginal * chunk;
    let exhausted = false;
    for (let i = 0; i < n; i++) {
      const l = legs[i]!;
      const units = l.px[idx[i]!]!;
      const p = units / PRICE_SCALE;
      const fill = fills[i]!;
      fill.notional += p * chunk;
      fill.fees += takerFeePerShare(p, l.fee) * chunk;
      fill.worst = units;
      rem[i] = rem[i]! - chunk;
      if (rem[i]! <= 1e-9) {
        idx[i] = idx[i]! - 1;
        if (idx[i]! < 0) exhausted = true;
        else rem[i] = l.sz[idx[i]!]!;
      }
    }
    if (exhausted || size >= maxSize) break;
  }
  if (size > 0) for (const f of fills) f.vwap = (f.notional / size) * PRICE_SCALE;
  return { size, edge: size > 0 ? cash / size : topEdge, topEdge, legs: fills };
}

/** Shares available on one side within `ceiling` units of its best price (BUY reads asks). */
export function depthWithin(px: readonly number[], sz: readonly number[], side: Side, ceiling: number): number {
  const top = px.length - 1;
  if (top < 0) return 0;
  const best = px[top]!;
  let depth = 0;
  for (let i = top; i >= 0; i--) {
    const away = side === 'BUY' ? px[i]! - best : best - px[i]!;
    if (away > ceiling) break;
    depth += sz[i]!;
  }
  return depth;
}

/** VWAP (units) of taking `shares` from levels with the best last; undefined if the book is too thin. */
export function vwapOf(px: readonly number[], sz: readonly number[], shares: number): number | undefined {
  if (shares <= 0) return px.length ? px[px.length - 1] : undefined;
  let left = shares;
  let notional = 0;
  for (let i = px.length - 1; i >= 0 && left > 0; i--) {
    const take = Math.min(left, sz[i]!);
    notional += take * px[i]!;
    left -= take;
  }
  return left > 1e-9 ? undefined : notional / shares;
}
