// Values the paper broker passes around. Prices are 0.0001 units, sizes are
// shares (2 decimals, like the venue), cash is integer micro-dollars (DESIGN §3).
import type { BookView } from '../arb/sweep.js';
import type { FeeSchedule } from '../protocol/gamma.js';
import { deepFreeze } from '../frozen.js';

export type Side = 'BUY' | 'SELL';

/** What the broker reads from a book; `OrderBook` satisfies it (best levels LAST). */
export interface PaperBook extends BookView {
  /** Bumped on every level change (OrderBook has it); lets the broker remember what it already took. */
  readonly version?: number;
}

export type BookOf = (tokenId: string) => PaperBook | undefined;

/** What the broker needs to know about a token's market (from the Gamma catalog). */
export interface MarketInfo {
  marketId: string;
  /** Correlation key for the per-event cap: the Gamma event id (negRisk siblings and weather buckets share it). */
  eventId: string;
  tokenId: string;
  outcomeIndex: number;
  /** Sanitised question and outcome label, for the Portfolio pane. */
  question: string;
  outcome: string;
  fee: Pick<FeeSchedule, 'rate' | 'exponent'>;
  minOrderSize: number;
  /** Tick in price units. */
  tickSize: number;
  endDate?: number;
  closed: boolean;
}

export type OrderType = 'market' | 'limit';
export type TimeInForce = 'IOC' | 'GTC';

export interface OrderRequest {
  tokenId: string;
  side: Side;
  type: OrderType;
  /** Limit orders only; market orders are always IOC. Default GTC. */
  tif?: TimeInForce;
  /** Shares. */
  size: number;
  /** Limit price, units. Market orders: the best price ± the slippage ceiling when absent. */
  limit?: number;
  /** Why (shown on the fill and persisted). */
  reason: string;
  /** Source key (signal or opportunity id) — groups a basket's orders and deduplicates auto-trading. */
  source?: string;
  /** For the confidence gate; operator orders default to 1. */
  confidence?: number;
  /** True for automatic orders (the auto-trade confidence threshold applies). */
  auto?: boolean;
  /** A position-reducing exit (stop-loss, take-profit, close): skips the entry gates and the breaker. */
  exit?: boolean;
}

export type OrderStatus = 'filled' | 'partial' | 'open' | 'unfilled' | 'canceled' | 'refused';

export interface PaperFill {
  id: number;
  orderId: number;
  ts: number;
  tokenId: string;
  marketId: string;
  side: Side;
  /** Units. */
  price: number;
  size: number;
  feeMicros: number;
  /** 'split': a YES+NO set minted from $1 of collateral (no book, no fee). */
  liquidity: 'taker' | 'maker' | 'split';
  reason: string;
}

export type GateName =
  | 'disabled'
  | 'breaker'
  | 'unknown-market'
  | 'market-closed'
  | 'stale-book'
  | 'crossed-book'
  | 'spread'
  | 'depth'
  | 'price-band'
  | 'notional'
  | 'token-cap'
  | 'event-cap'
  | 'gross-cap'
  | 'max-positions'
  | 'daily-loss'
  | 'cooldown'
  | 'feed-gap'
  | 'confidence'
  | 'closing'
  | 'min-size'
  | 'min-edge'
  | 'no-short'
  | 'cash'
  | 'no-liquidity'
  | 'slippage'
  | 'duplicate'
  | 'unvalidated'
  | 'account'
  | 'bad-order';

export type GateResult = { ok: true } | { ok: false; gate: GateName; reason: string };

export type Refused = Extract<GateResult, { ok: false }>;

export const PASS: GateResult = deepFreeze({ ok: true });

export function refuse(gate: GateName, reason: string): Refused {
  return { ok: false, gate, reason };
}

export interface OrderResult {
  ok: boolean;
  orderIds: number[];
  status: OrderStatus;
  /** Shares filled now. */
  filled: number;
  /** VWAP of this order's fills, units (NaN when nothing filled). */
  avgPrice: number;
  feeMicros: number;
  fills: PaperFill[];
  /** Shares left resting (GTC). */
  resting: number;
  gate?: GateName;
  reason?: string;
  /** The Kelly arithmetic, when the order was sized from a signal. */
  kellyExplain?: string;
}
