// Polymarket taker fees (research/polymarket-protocol.md §5): per share
// rate × (p(1−p))^exponent, charged to takers only; an order's fee is rounded
// to 5 decimals and anything under 0.00001 rounds to zero.
import type { FeeSchedule } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';

/** Fee per share in dollars for a taker at probability price p (0..1). */
export function takerFeePerShare(p: number, schedule: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  if (schedule.rate <= 0 || p <= 0 || p >= 1) return 0;
  const x = p * (1 - p);
  return schedule.rate * (schedule.exponent === 1 ? x : Math.pow(x, schedule.exponent));
}

/** Same, with the price in 0.0001 units. */
export function takerFeePerShareUnits(priceUnits: number, schedule: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  return takerFeePerShare(priceUnits / PRICE_SCALE, schedule);
}

/** The venue's charge for one taker order of `shares` at `p`: dollars, rounded to 5 decimals. */
export function feeForOrder(shares: number, p: number, schedule: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  const raw = shares * takerFeePerShare(p, schedule);
  // The epsilon keeps exact halves (0.000005) rounding up despite binary representation.
  return Math.round(raw * 1e5 + 1e-7) / 1e5;
}
