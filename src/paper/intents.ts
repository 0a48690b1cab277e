// What the trader can be asked to trade: a strategy signal (the scan's Signal
// or a queue row) or an arbitrage basket (an ArbOpportunity or a queue row with
// legs), normalised to one intent. Keys match the queue's row keys
// ("strategy:<id>:<market>", "arb:<id>") so auto-trading and the operator's
// Enter deduplicate against the same ids.
import type { ArbLeg, ArbOpportunity } from '../arb/types.js';
import type { Signal } from '../scan/signals.js';

/** A queue row as the store holds it (src/plugins/queue.ts QueueItem satisfies this). */
export interface PaperRow {
  key: string;
  kind: 'strategy' | 'arb';
  label: string;
  tier: string;
  /** Strategy rows: the tier's priority in [0, 1]; the confidence gate reads it. */
  priority: number;
  /** Arbitrage rows: the relation's confidence (1 for a mechanism, lower for an inference); the confidence gate reads it. */
  relationConfidence?: number;
  marketIds: readonly string[];
  tokenId?: string;
  /** Strategy rows: Kelly's belief, only for a VALIDATED strategy (its Wilson lower bound). */
  p?: number;
  claimedWinRate?: number;
  size?: number;
  edge?: number;
  legs?: readonly ArbLeg[];
  autoTradable: boolean;
}

export interface StrategyIntent {
  kind: 'strategy';
  key: string;
  label: string;
  tokenId: string;
  /**
   * Belief the share pays: the validated strategy's Wilson lower bound;
   * undefined for an unproven or rejected one, which the desk refuses to size.
   */
  p: number | undefined;
  /** What the confidence gate reads: the tier's priority in [0, 1] (never the win rate, which is `p`). */
  conviction: number;
  autoTradable: boolean;
}

export interface BasketIntent {
  kind: 'basket';
  key: string;
  label: string;
  legs: readonly ArbLeg[];
  /** Sets the scanner found executable. */
  size: number;
  /** Net edge per set the scanner computed, dollars. */
  edge: number;
  /** What the confidence gate reads: the arbitrage relation's confidence. */
  conviction: number;
  autoTradable: boolean;
}

export type Intent = StrategyIntent | BasketIntent;

function isSignal(x: object): x is Signal {
  return 'strategy' in x && 'validation' in x;
}

function isArb(x: object): x is ArbOpportunity {
  return 'relation' in x && 'legs' in x && 'id' in x && !('key' in x);
}

/** Normalises a scan signal, an arbitrage opportunity or a queue row; undefined if it cannot be traded. */
export function intentOf(x: Signal | ArbOpportunity | PaperRow): Intent | undefined {
  if (isArb(x)) {
    return { kind: 'basket', key: `arb:${x.id}`, label: x.relation, legs: x.legs, size: x.size, edge: x.edge, conviction: x.confidence, autoTradable: x.autoTradable };
  }
  if (isSignal(x)) {
    const p = x.validation !== 'unvalidated' && x.validation.passed ? x.validation.winRateLower : undefined;
    return { kind: 'strategy', key: `strategy:${x.strategy}:${x.marketId}`, label: x.strategy, tokenId: x.tokenId, p, conviction: x.priority, autoTradable: x.tier === 'AUTO-TRADE' };
  }
  const row = x as PaperRow;
  if (row.legs && row.legs.length) {
    return { kind: 'basket', key: row.key, label: row.label, legs: row.legs, size: row.size ?? Math.min(...row.legs.map((l) => l.size)), edge: row.edge ?? 0, conviction: row.relationConfidence ?? 0, autoTradable: row.autoTradable };
  }
  if (!row.tokenId) return undefined;
  // The claimed win rate never sizes an order.
  return { kind: 'strategy', key: row.key, label: row.label, tokenId: row.tokenId, p: row.p, conviction: row.priority, autoTradable: row.tier === 'AUTO-TRADE' };
}
