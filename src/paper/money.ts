// Exact cash arithmetic. Notional and fees become integer micro-dollars once,
// per fill; every sum after that is integer addition, so the ledger balances
// to the micro-dollar (cash = initial + realised − fees − open cost basis).
import { feeForOrder } from '../arb/fees.js';
import type { FeeSchedule } from '../protocol/gamma.js';
import { MICROS, PRICE_SCALE } from '../protocol/units.js';

/** Micro-dollars per (price unit × share): 1 unit = $0.0001 = 100 µ$. */
const MICROS_PER_UNIT = MICROS / PRICE_SCALE;

/** price (units) × shares, in micro-dollars. */
export function notionalMicros(priceUnits: number, shares: number): number {
  return Math.round(priceUnits * shares * MICROS_PER_UNIT);
}

/** The venue's taker fee for one fill (rounded to 5 decimals), in micro-dollars. */
export function takerFeeMicros(shares: number, priceUnits: number, fee: Pick<FeeSchedule, 'rate' | 'exponent'>): number {
  return Math.round(feeForOrder(shares, priceUnits / PRICE_SCALE, fee) * MICROS);
}

/** Shares round to the venue's 2 decimals; downward for what we take, so we never take more than is there. */
export function floorShares(x: number): number {
  return Math.floor(x * 100 + 1e-7) / 100;
}

export function roundShares(x: number): number {
  return Math.round(x * 100) / 100;
}

export function dollars(micros: number): number {
  return micros / MICROS;
}

export function usd(micros: number): string {
  const d = micros / MICROS;
  return `${d < 0 ? '-' : ''}$${Math.abs(d).toFixed(2)}`;
}
