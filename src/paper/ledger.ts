// Position accounting with average cost, in integer micro-dollars. Pure: each
// function returns the new position and the cash it moves, so the broker can
// write the rows first and change its state only once the transaction commits.
import type { PaperConfig } from './config.js';
import { notionalMicros, roundShares } from './money.js';

export interface Position {
  tokenId: string;
  marketId: string;
  eventId: string;
  shares: number;
  /** Cost basis of the shares held (fees excluded). */
  costMicros: number;
  /** Realised P&L of this token so far, fees excluded. */
  realizedMicros: number;
  feesMicros: number;
  /** Last executable bid seen, units (the mark). */
  mark?: number;
  /** Why the position is not settled though its market closed (voided, unclear prices). */
  flag?: string;
  updatedAt: number;
}

export interface BuyEffect {
  pos: Position;
  costMicros: number;
}

export function applyBuy(pos: Position, price: number, size: number, feeMicros: number, now: number): BuyEffect {
  const cost = notionalMicros(price, size);
  return {
    pos: { ...pos, shares: roundShares(pos.shares + size), costMicros: pos.costMicros + cost, feesMicros: pos.feesMicros + feeMicros, updatedAt: now },
    costMicros: cost,
  };
}

export interface SellEffect {
  pos: Position;
  proceedsMicros: number;
  /** Cost basis released (average cost × shares sold). */
  releasedMicros: number;
  realizedMicros: number;
}

export function applySell(pos: Position, price: number, size: number, feeMicros: number, now: number): SellEffect {
  const proceeds = notionalMicros(price, size);
  const all = size >= pos.shares - 1e-9;
  const released = all ? pos.costMicros : Math.round((pos.costMicros * size) / pos.shares);
  const realized = proceeds - released;
  // A closed position has no mark (as after a reload).
  const { mark: _mark, ...unmarked } = pos;
  return {
    pos: {
      ...(all ? unmarked : pos),
      shares: all ? 0 : roundShares(pos.shares - size),
      costMicros: pos.costMicros - released,
      realizedMicros: pos.realizedMicros + realized,
      feesMicros: pos.feesMicros + feeMicros,
      updatedAt: now,
    },
    proceedsMicros: proceeds,
    releasedMicros: released,
    realizedMicros: realized,
  };
}

export interface SettleEffect {
  pos: Position;
  shares: number;
  payoutMicros: number;
  realizedMicros: number;
}

/** Settles every share at `payoutUnits` (10_000 = $1 for the winner, 0 for the loser). */
export function applySettlement(pos: Position, payoutUnits: number, now: number): SettleEffect {
  const payout = notionalMicros(payoutUnits, pos.shares);
  const realized = payout - pos.costMicros;
  const { flag: _flag, mark: _mark, ...rest } = pos;
  return {
    pos: { ...rest, shares: 0, costMicros: 0, realizedMicros: pos.realizedMicros + realized, updatedAt: now },
    shares: pos.shares,
    payoutMicros: payout,
    realizedMicros: realized,
  };
}

/** Mark value of the shares at the executable bid (or the cost basis when never marked). */
export function markValueMicros(pos: Position): number {
  return pos.mark === undefined ? pos.costMicros : notionalMicros(pos.mark, pos.shares);
}

/**
 * Stop-loss / take-profit against the average cost, at the executable bid
 * (units); the reason to sell, or undefined. 0 turns either off.
 */
export function exitReason(pos: Position, bid: number, cfg: Pick<PaperConfig, 'stopLossPct' | 'takeProfitPct'>): string | undefined {
  if (pos.shares <= 0) return undefined;
  const avg = pos.costMicros / pos.shares / 100; // micro-dollars per share → price units
  const f = (u: number) => (u / 10_000).toFixed(4);
  if (cfg.stopLossPct > 0 && bid <= avg * (1 - cfg.stopLossPct)) return `stop-loss: bid ${f(bid)} ≤ avg ${f(avg)} × (1 − ${cfg.stopLossPct})`;
  if (cfg.takeProfitPct > 0 && bid >= avg * (1 + cfg.takeProfitPct)) return `take-profit: bid ${f(bid)} ≥ avg ${f(avg)} × (1 + ${cfg.takeProfitPct})`;
  return undefined;
}
