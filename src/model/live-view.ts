// The live side of the feature path: what the engine holds for one market
// (top of book and depth, the OFI and microstructure signals, crypto fair
// value, its own sampled mid history) turned into the same MarketView the
// backtest builds from resolved history. Price-derived features (mid fallback,
// volatility, momentum) go through `viewFromHistory` exactly as in a backtest;
// book and signal fields are read as they are at `atMs` and dropped when the
// feed was gapped (an input that may be stale is "missing", not a number).
import type { FairValue } from '../refdata/fair.js';
import type { MicroSignal } from '../signals/micro-scorer.js';
import type { OfiValue } from '../signals/ofi-types.js';
import { viewFromHistory, type MarketView } from './features.js';

export interface LiveInputs {
  atMs: number;
  endMs: number;
  category: string;
  strategies?: readonly string[];
  /** YES best bid / ask (probability) and resting size near the top. */
  bestBid?: number | undefined;
  bestAsk?: number | undefined;
  bidDepth?: number | undefined;
  askDepth?: number | undefined;
  ofi?: Pick<OfiValue, 'normalized' | 'gap'> | undefined;
  micro?: Pick<MicroSignal, 'score' | 'gap'> | undefined;
  fair?: FairValue | undefined;
  /** The engine's sampled YES mids: unix seconds and 0.0001 price units, ascending (points after atMs are ignored). */
  history?: { t: ArrayLike<number>; p: ArrayLike<number> } | undefined;
  /** Oldest history point accepted as the mid when the book has no two-sided quote (default 6 h). */
  toleranceMs?: number;
}

/** The view, or undefined when there is no price at all (no two-sided book, no recent history point). */
export function liveView(i: LiveInputs): MarketView | undefined {
  const hist = i.history ? viewFromHistory(i.history.t, i.history.p, i.atMs, Infinity, i.toleranceMs ?? 6 * 3_600_000) : undefined;
  const twoSided = i.bestBid !== undefined && i.bestAsk !== undefined && i.bestBid > 0 && i.bestAsk < 1 && i.bestAsk >= i.bestBid;
  const mid = twoSided ? (i.bestBid! + i.bestAsk!) / 2 : hist?.mid;
  if (mid === undefined || !(mid > 0 && mid < 1)) return undefined;
  const v: MarketView = { atMs: i.atMs, endMs: i.endMs, category: i.category, mid, strategies: i.strategies ?? [] };
  if (hist?.vol !== undefined) v.vol = hist.vol;
  if (hist?.momentum !== undefined) v.momentum = hist.momentum;
  if (twoSided) v.spread = i.bestAsk! - i.bestBid!;
  if (i.bidDepth !== undefined && i.askDepth !== undefined) {
    v.depthBid = i.bidDepth;
    v.depthAsk = i.askDepth;
  }
  if (i.ofi && !i.ofi.gap) v.ofi = i.ofi.normalized;
  if (i.micro && !i.micro.gap) v.micro = i.micro.score;
  if (i.fair?.status === 'priced') v.fair = i.fair.p;
  return v;
}
