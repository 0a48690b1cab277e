// Microstructure score of one binary market over a window (momentum,
// volume flow and whale activity, weighted 0.40 / 0.35 / 0.25), as pure functions.
//
// Which side a trade is on: the taker's side on its token. Buying YES or selling
// NO is YES flow; buying NO or selling YES is NO flow. Volumes are in shares, so a
// cheap outcome's flow is not shrunk by its price; a whale is a taker order of notional price × size ≥ $1,000.
import { deepFreeze } from '../frozen.js';

export type Direction = 'BULLISH' | 'BEARISH';
export type BaseSignalType = `STRONG_${Direction}` | `WEAK_${Direction}` | 'NEUTRAL';
export type MicroSignalType = BaseSignalType | `LOW_LIQUIDITY_${BaseSignalType}` | 'MARKET_UNAVAILABLE' | 'MARKET_CLOSED';

export interface MicroWeights {
  momentum: number;
  volumeFlow: number;
  whale: number;
}

export const DEFAULT_WEIGHTS: MicroWeights = deepFreeze({ momentum: 0.4, volumeFlow: 0.35, whale: 0.25 });

export interface MicroThresholds {
  /** |score| below this is NEUTRAL. */
  neutral: number;
  /** |score| at or above this is STRONG (if confidence allows), else WEAK. */
  strong: number;
  /** STRONG also needs at least this confidence; otherwise WEAK. */
  strongConfidence: number;
  /** Fewer trades than this: LOW_LIQUIDITY_ prefix and confidence × 0.5. */
  lowLiquidityTrades: number;
  /** Trades for full confidence. */
  fullConfidenceTrades: number;
}

export const DEFAULT_THRESHOLDS: MicroThresholds = deepFreeze({
  neutral: 0.2,
  strong: 0.5,
  strongConfidence: 0.5,
  lowLiquidityTrades: 10,
  fullConfidenceTrades: 50,
});

/** Multiplier on confidence when the window overlaps a feed gap or a stale/out-of-sync book. */
export const GAP_CONFIDENCE_FACTOR = 0.5;
/** Multiplier on confidence below `lowLiquidityTrades` trades (seed). */
export const LOW_LIQUIDITY_FACTOR = 0.5;

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** clamp(10 × ΔP/P₀, ±1) from the first to the last YES trade price: ±10 % ↦ ±1. */
export function momentumScore(firstPrice: number, lastPrice: number): number {
  if (!(firstPrice > 0) || !(lastPrice > 0)) return 0;
  return clamp((10 * (lastPrice - firstPrice)) / firstPrice, -1, 1);
}

/** (YES volume − NO volume) / total, in [−1, 1]; 0 without volume. */
export function volumeFlowScore(yesVolume: number, noVolume: number): number {
  const total = yesVolume + noVolume;
  return total > 0 ? (yesVolume - noVolume) / total : 0;
}

/** (YES whales − NO whales) / all whales, in [−1, 1]; 0 without whales. */
export function whaleScore(yesWhales: number, noWhales: number): number {
  const total = yesWhales + noWhales;
  return total > 0 ? (yesWhales - noWhales) / total : 0;
}

/** Weighted sum, clamped to [−1, 1]. */
export function combine(momentum: number, volumeFlow: number, whale: number, w: MicroWeights = DEFAULT_WEIGHTS): number {
  return clamp(momentum * w.momentum + volumeFlow * w.volumeFlow + whale * w.whale, -1, 1);
}

/**
 * min(trades/50, 1) × covered/window × (0.5 below 10 trades) × (0.5 if the window
 * overlaps a gap). `coveredMs` is the part of the window observed with a healthy
 * feed (after the market was first seen, minus gaps).
 */
export function confidence(trades: number, coveredMs: number, windowMs: number, gap = false, th: MicroThresholds = DEFAULT_THRESHOLDS): number {
  let c = Math.min(trades / th.fullConfidenceTrades, 1);
  c *= windowMs > 0 ? clamp(coveredMs / windowMs, 0, 1) : 0;
  if (trades < th.lowLiquidityTrades) c *= LOW_LIQUIDITY_FACTOR;
  if (gap) c *= GAP_CONFIDENCE_FACTOR;
  return c;
}

/** Signal type from the combined score, its confidence and the trade count. */
export function classify(score: number, conf: number, trades: number, th: MicroThresholds = DEFAULT_THRESHOLDS): MicroSignalType {
  const abs = Math.abs(score);
  const dir: Direction = score > 0 ? 'BULLISH' : 'BEARISH';
  const base: BaseSignalType =
    abs < th.neutral ? 'NEUTRAL' : abs >= th.strong && conf >= th.strongConfidence ? `STRONG_${dir}` : `WEAK_${dir}`;
  return trades < th.lowLiquidityTrades ? `LOW_LIQUIDITY_${base}` : base;
}

/** True when a taker trade on a token is YES flow: buying YES or selling NO. */
export function isYesFlow(onYesToken: boolean, side: 'BUY' | 'SELL'): boolean {
  return onYesToken === (side === 'BUY');
}
