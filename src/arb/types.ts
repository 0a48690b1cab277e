// Values the arbitrage scanner hands on: opportunities with their legs (the
// signal queue persists them), and the options that decide what is reported.
import type { Side } from './sweep.js';
import { deepFreeze } from '../frozen.js';

export type ArbKind = 'binary' | 'negrisk' | 'implication';

/**
 * How the bundle pays: rebalancing inside one market or event, or a logical
 * relation between markets (A ⇒ B traded as YES_B + NO_A).
 */
export type ArbRelation =
  | 'buy-both'
  | 'split-sell'
  | 'negrisk-long'
  | 'negrisk-short'
  | 'complement'
  | 'parent-child'
  | 'temporal'
  | 'threshold'
  | 'conditional'
  | 'equivalent'
  | 'override';

export interface ArbLeg {
  marketId: string;
  tokenId: string;
  side: Side;
  outcome: 'YES' | 'NO';
  /** Limit price: the worst level the sweep touched, 0.0001 units. */
  price: number;
  /** Volume-weighted price over `size`, units (fractional). */
  vwap: number;
  /** Shares. */
  size: number;
  /** Taker fee for the leg, dollars, rounded like the venue (5 decimals). */
  fee: number;
}

export interface ArbOpportunity {
  /** Stable key of the bundle (same relation and markets → same id across scans). */
  id: string;
  kind: ArbKind;
  relation: ArbRelation;
  marketIds: string[];
  eventIds: string[];
  legs: ArbLeg[];
  /** Net edge per set after taker fees at the swept VWAPs, dollars. */
  edge: number;
  /** Net edge of the first set at the best prices, dollars. */
  topEdge: number;
  /** Sets (shares per leg). */
  size: number;
  /** Dollars needed to take the bundle: Σ BUY cost + fees, or $1 per set for split-and-sell. */
  capital: number;
  /** edge × size, dollars. */
  profit: number;
  /** 1.0 override or mechanism, 0.7 rule-inferred, 0.4 entity-matched. */
  confidence: number;
  /** e ≥ 0.05 and every leg below 0.95 (quant-anchors §8A). */
  paperGrade: boolean;
  /** Only bundles at or above the auto-trade confidence (0.9) may be traded without an operator. */
  autoTradable: boolean;
  /** Human-readable why: the relation, the prices and the arithmetic. */
  reason: string;
  /** Scan time (ms) of this evaluation. */
  seenAt: number;
  /** First time this bundle was seen violating, and for how many full scans in a row. */
  firstSeen: number;
  cycles: number;
}

export interface ArbOptions {
  /** Minimum net edge per set, dollars. */
  minEdge: number;
  /** Minimum executable size, shares. */
  minSize: number;
  /** Every leg's book must be 'fresh' and have been touched within this many ms. */
  maxQuoteAgeMs: number;
  /** Liquidity floor: minimum capital a bundle must absorb, dollars. */
  minCapital: number;
  /** Furthest a leg may sweep from its best price, 0.0001 units. */
  slippage: number;
  /** Bundles kept per event (most profitable first). */
  perEventCap: number;
  /** Paper-grade: edge at least this, and every leg price below `paperMaxPrice`. */
  paperEdge: number;
  paperMaxPrice: number;
  /** Confidence needed for `autoTradable`. */
  autoConfidence: number;
  /** Relations below this confidence stay in the graph but are not scanned or reported. */
  minConfidence: number;
  /** Cross-event relations need end dates this close to count as rule-inferred (else entity-matched). */
  endDateToleranceMs: number;
}

export const DEFAULT_ARB_OPTIONS: ArbOptions = deepFreeze({
  minEdge: 0.01,
  minSize: 10,
  maxQuoteAgeMs: 2_000,
  minCapital: 5,
  slippage: 200,
  perEventCap: 3,
  paperEdge: 0.05,
  paperMaxPrice: 9_500,
  autoConfidence: 0.9,
  minConfidence: 0.5,
  endDateToleranceMs: 86_400_000,
});

export const CONFIDENCE = deepFreeze({ override: 1.0, mechanism: 1.0, rule: 0.7, entity: 0.4 } as const);

/** One JSON line for headless mode. */
export function toJsonLine(v: ArbOpportunity): string {
  return JSON.stringify({
    type: 'arb',
    kind: v.kind,
    relation: v.relation,
    marketIds: v.marketIds,
    edge: round(v.edge, 6),
    size: round(v.size, 2),
    confidence: v.confidence,
  });
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
