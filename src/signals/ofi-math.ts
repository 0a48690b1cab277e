// Book order-flow imbalance, Cont, Kukanov & Stoikov (2014), on the best bid and
// ask (research/quant-anchors.md §2, §8B). Inclusive inequalities, as in the paper:
//
//   e = 1{Pb ≥ Pb'}·qb − 1{Pb ≤ Pb'}·qb' − 1{Pa ≤ Pa'}·qa + 1{Pa ≥ Pa'}·qa'
//
// (primes = previous top). Prices are integer units of 0.0001, sizes shares.
// An empty bid side is price 0 / size 0 and an empty ask side +Infinity / 0, so
// a side appearing or vanishing is flow like any other move of the top.

/** Top of book. */
export interface Top {
  bidPx: number;
  bidSz: number;
  askPx: number;
  askSz: number;
}

/** Price used for an empty bid side. */
export const NO_BID = 0;
/** Price used for an empty ask side. */
export const NO_ASK = Infinity;

/** OFI contribution of one book update, scalar form for the hot path. */
export function ofiEvent(
  pb0: number, qb0: number, pa0: number, qa0: number,
  pb: number, qb: number, pa: number, qa: number,
): number {
  let e = 0;
  if (pb >= pb0) e += qb;
  if (pb <= pb0) e -= qb0;
  if (pa <= pa0) e -= qa;
  if (pa >= pa0) e += qa0;
  return e;
}

/** OFI contribution of going from `prev` to `next`. */
export function bookOfiEvent(prev: Top, next: Top): number {
  return ofiEvent(prev.bidPx, prev.bidSz, prev.askPx, prev.askSz, next.bidPx, next.bidSz, next.askPx, next.askSz);
}

/** OFI divided by the average top-of-book depth (qb + qa); 0 when there is no depth. */
export function normalizeOfi(ofi: number, avgDepth: number): number {
  return avgDepth > 0 ? ofi / avgDepth : 0;
}

/** Trade-signed flow of one print: the taker's side, BUY +size, SELL −size. */
export function signedTrade(side: 'BUY' | 'SELL', size: number): number {
  return side === 'BUY' ? size : -size;
}
