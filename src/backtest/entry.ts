// Where and at what price a strategy would have entered a resolved market,
// using only what was visible then (quant-anchors §5 look-ahead traps):
//
// - entry time T = min(closedTime, endDate) − lead. A market decided early
//   (closedTime well before endDate) is entered a lead before its decision, so
//   the decision itself never leaks in; the settlement price is never used
//   because every price point at or after closedTime is ignored;
// - the price is the last mid at or before T, and only if it is at most
//   `tolerance` old (else the market is skipped: no price, no trade);
// - the executable price is that mid plus a half spread, and the taker fee
//   r·p(1−p) at that price is added: c = ask + fee;
// - the strategy's rules are checked at T exactly as the live scan checks them
//   (category, hours from T to endDate, UTC hour of T, question pattern, the
//   ask of the bought token inside the price band).
import type { Strategy } from '../scan/strategies.js';
import { takerFeePerShare } from '../arb/fees.js';
import { PRICE_SCALE } from '../protocol/units.js';
import type { Candidate, ResolvedMarket } from './types.js';

const HOUR_MS = 3_600_000;

export interface EntryOptions {
  /** Requested lead before resolution, ms (clamped into each strategy's hours band). */
  leadMs: number;
  /** Half spread added to the mid to get the executable price (probability units). */
  halfSpread: number;
  /** Oldest acceptable price point before T, ms (also capped at half the lead). */
  toleranceMs: number;
}

export type SkipReason = 'no price near entry' | 'price settled' | 'hours to end' | 'utc hour' | 'pattern' | 'out of price band' | 'no token';

/** The requested lead clamped into the strategy's [min, max] hours to resolution. */
export function leadFor(s: Strategy, leadMs: number): number {
  const [lo, hi] = s.entry.hoursToResolution;
  return Math.min(Math.max(leadMs, lo * HOUR_MS), hi * HOUR_MS);
}

/** T = min(closedTime, endDate) − lead. */
export function entryTime(m: Pick<ResolvedMarket, 'closedMs' | 'endMs'>, leadMs: number): number {
  return Math.min(m.closedMs, m.endMs) - leadMs;
}

/**
 * Index of the last YES mid at or before `atMs` and strictly before the
 * market closed, if it is at most `toleranceMs` old; −1 otherwise.
 */
export function pointAt(m: Pick<ResolvedMarket, 't' | 'closedMs'>, atMs: number, toleranceMs: number): number {
  const limit = Math.min(Math.floor(atMs / 1000), Math.ceil(m.closedMs / 1000) - 1);
  const t = m.t;
  let lo = 0;
  let hi = t.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= limit) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return -1;
  return atMs - t[found]! * 1000 <= toleranceMs ? found : -1;
}

/** Mid of token `outcome` (0 YES, 1 NO) at history index i, probability units. */
export function midOf(m: Pick<ResolvedMarket, 'p'>, i: number, outcome: 0 | 1): number {
  const yes = m.p[i]!;
  return (outcome === 0 ? yes : PRICE_SCALE - yes) / PRICE_SCALE;
}

/** The candidate entry of strategy `s` in market `m` (index `mi`), or why there is none. */
export function candidateFor(m: ResolvedMarket, mi: number, s: Strategy, o: EntryOptions): Candidate | SkipReason {
  if (!m.tokenIds[s.outcomeIndex]) return 'no token';
  const lead = leadFor(s, o.leadMs);
  const T = entryTime(m, lead);
  const e = s.entry;
  const hours = (m.endMs - T) / HOUR_MS;
  if (hours < e.hoursToResolution[0] || hours > e.hoursToResolution[1]) return 'hours to end';
  if (e.utcHours && !inHours(new Date(T).getUTCHours(), e.utcHours)) return 'utc hour';
  if (s.pattern && !s.pattern.test(m.folded)) return 'pattern';
  const i = pointAt(m, T, Math.min(o.toleranceMs, lead / 2));
  if (i < 0) return 'no price near entry';
  const mid = midOf(m, i, s.outcomeIndex);
  if (mid <= 0 || mid >= 1) return 'price settled';
  const ask = round4(mid + o.halfSpread);
  if (ask < e.priceBand[0] || ask > e.priceBand[1]) return 'out of price band';
  if (ask >= 1) return 'price settled';
  const fee = takerFeePerShare(ask, m.fee);
  return { market: mi, entryMs: T, mid, ask, fee, cost: ask + fee, win: m.winner === s.outcomeIndex ? 1 : 0 };
}

function inHours(h: number, [from, to]: readonly [number, number]): boolean {
  return from <= to ? h >= from && h < to : h >= from || h < to;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
