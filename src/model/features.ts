// What the scorer sees: one fixed-width Float64Array per (market, decision
// time t), built by ONE function from a MarketView — the same code live (book
// cache + price ring), in replay and in backtests (resolved price history).
//
// No look-ahead by construction: a MarketView is made only from data stamped
// at or before t (`viewFromHistory` reads history points ≤ t and never the
// settlement), and the vector is a pure function of the view. A test perturbs
// everything after t and checks the vector is bit-identical.
//
// Missing inputs (no book in a backtest, no fair value outside crypto) are a 0
// value plus a 0 "has" flag, so the model learns the input's weight only where
// the input exists and the width never changes.
import { createHash } from 'node:crypto';
import { defaultStrategies } from '../scan/strategies.js';
import { defaultTaxonomy, familyOf } from '../scan/taxonomy.js';
import { PRICE_SCALE } from '../protocol/units.js';

const HOUR_MS = 3_600_000;
/** Prices are clamped into [EPS, 1 − EPS] before a logit. */
export const EPS = 0.005;

/** What the engine knows about one market at decision time `atMs`. */
export interface MarketView {
  atMs: number;
  /** YES mid, probability units. */
  mid: number;
  /** Best ask − best bid of YES, probability units (a book exists). */
  spread?: number | undefined;
  /** Resting YES shares near the top of each side. */
  depthBid?: number | undefined;
  depthAsk?: number | undefined;
  /** Depth-normalised order-flow imbalance, roughly [−1, 1]. */
  ofi?: number | undefined;
  /** Microstructure score (whale / flow pressure), roughly [−1, 1]. */
  micro?: number | undefined;
  /** Scheduled end, ms. */
  endMs: number;
  /** Taxonomy category "Family/Sub". */
  category: string;
  /** Strategy ids whose entry rules this market meets at t. */
  strategies?: readonly string[] | undefined;
  /** Model fair probability of YES (crypto fair value), when priced. */
  fair?: number | undefined;
  /** Std of 1-hour logit-mid changes over the last day (history ≤ t). */
  vol?: number | undefined;
  /** logit(mid now) − logit(mid 24 h ago) (history ≤ t). */
  momentum?: number | undefined;
}

export class FeatureSpec {
  readonly names: readonly string[];
  readonly width: number;
  /** sha256 of the names: a model trained on another layout is refused. */
  readonly hash: string;
  private readonly famIdx = new Map<string, number>();
  private readonly catIdx = new Map<string, number>();
  private readonly stratIdx = new Map<string, number>();

  constructor(families: readonly string[], categories: readonly string[], strategies: readonly string[]) {
    const names: string[] = [...BASE];
    for (const f of families) this.famIdx.set(f, names.push(`family:${f}`) - 1);
    this.famIdx.set('', names.push('family:other') - 1);
    for (const c of categories) this.catIdx.set(c, names.push(`category:${c}`) - 1);
    this.catIdx.set('', names.push('category:other') - 1);
    for (const s of strategies) this.stratIdx.set(s, names.push(`strategy:${s}`) - 1);
    this.names = Object.freeze(names);
    this.width = names.length;
    this.hash = createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
  }

  /** Fills `out` (length ≥ width) with the features of `v`; returns it. Allocation-free. */
  vector(v: MarketView, out: Float64Array = new Float64Array(this.width)): Float64Array {
    out.fill(0, 0, this.width);
    const mid = clampP(v.mid);
    const lm = logit(mid);
    out[F.bias] = 1;
    out[F.logitMid] = lm;
    out[F.extremity] = Math.abs(lm);
    if (v.spread !== undefined && Number.isFinite(v.spread)) {
      out[F.spread] = Math.min(Math.max(v.spread, 0), 0.5) * 10;
      out[F.hasSpread] = 1;
    }
    const db = v.depthBid;
    const da = v.depthAsk;
    if (db !== undefined && da !== undefined && db >= 0 && da >= 0) {
      out[F.depth] = Math.log1p(db + da) / 10;
      out[F.depthImbalance] = db + da > 0 ? (db - da) / (db + da) : 0;
      out[F.hasDepth] = 1;
    }
    if (v.ofi !== undefined && Number.isFinite(v.ofi)) {
      out[F.ofi] = clamp(v.ofi, -1, 1);
      out[F.hasOfi] = 1;
    }
    if (v.micro !== undefined && Number.isFinite(v.micro)) {
      out[F.micro] = clamp(v.micro, -1, 1);
      out[F.hasMicro] = 1;
    }
    out[F.hoursToEnd] = Math.log1p(Math.max(0, v.endMs - v.atMs) / HOUR_MS) / 5;
    if (v.fair !== undefined && Number.isFinite(v.fair)) {
      out[F.fairGap] = clamp(logit(clampP(v.fair)) - lm, -5, 5);
      out[F.hasFair] = 1;
    }
    if (v.vol !== undefined && Number.isFinite(v.vol)) {
      out[F.vol] = Math.min(v.vol, 5);
      out[F.hasVol] = 1;
    }
    if (v.momentum !== undefined && Number.isFinite(v.momentum)) out[F.momentum] = clamp(v.momentum, -5, 5);
    out[this.famIdx.get(familyOf(v.category)) ?? this.famIdx.get('')!] = 1;
    out[this.catIdx.get(v.category) ?? this.catIdx.get('')!] = 1;
    if (v.strategies) for (const s of v.strategies) {
      const i = this.stratIdx.get(s);
      if (i !== undefined) out[i] = 1;
    }
    return out;
  }
}

const BASE = ['bias', 'logit_mid', 'extremity', 'spread', 'has_spread', 'depth', 'depth_imbalance', 'has_depth', 'ofi', 'has_ofi', 'micro', 'has_micro', 'hours_to_end', 'fair_gap', 'has_fair', 'vol', 'has_vol', 'momentum'] as const;
/** Index of each base feature. */
export const F = Object.freeze(Object.fromEntries(BASE.map((n, i) => [n.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), i]))) as Readonly<Record<CamelBase, number>>;
type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type CamelBase = Camel<(typeof BASE)[number]>;

let cached: FeatureSpec | undefined;
/** The layout from the embedded taxonomy (families, categories) and strategies file. */
export function defaultFeatureSpec(): FeatureSpec {
  if (cached) return cached;
  const tax = defaultTaxonomy();
  cached = new FeatureSpec(Object.keys(tax.families), tax.categories, defaultStrategies().strategies.map((s) => s.id));
  return cached;
}

/**
 * The price-derived part of a view at `atMs` from a YES mid history
 * (unix seconds, 0.0001 price units, ascending), reading only points at or
 * before `atMs` and strictly before `closedMs` (the settlement never leaks).
 * `undefined` when no point is at most `toleranceMs` old.
 */
export function viewFromHistory(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  atMs: number,
  closedMs: number,
  toleranceMs: number,
): Pick<MarketView, 'mid' | 'vol' | 'momentum'> | undefined {
  const limit = Math.min(Math.floor(atMs / 1000), Math.ceil(closedMs / 1000) - 1);
  const i = lastAtOrBefore(t, limit);
  if (i < 0 || atMs - t[i]! * 1000 > toleranceMs) return undefined;
  const mid = p[i]! / PRICE_SCALE;
  if (!(mid > 0 && mid < 1)) return undefined;
  const out: Pick<MarketView, 'mid' | 'vol' | 'momentum'> = { mid };
  // Momentum: against the last point at or before t − 24 h (if within 36 h of t).
  const j = lastAtOrBefore(t, limit - 86_400, i);
  if (j >= 0 && t[i]! - t[j]! <= 36 * 3600) out.momentum = logit(clampP(mid)) - logit(clampP(p[j]! / PRICE_SCALE));
  // Volatility: std of logit changes between consecutive points in the last day, per √hour.
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (let k = i; k > 0 && t[k - 1]! >= t[i]! - 86_400; k--) {
    const dt = (t[k]! - t[k - 1]!) / 3600;
    if (dt <= 0) continue;
    const d = (logit(clampP(p[k]! / PRICE_SCALE)) - logit(clampP(p[k - 1]! / PRICE_SCALE))) / Math.sqrt(dt);
    n++;
    s += d;
    s2 += d * d;
  }
  if (n >= 3) out.vol = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
  return out;
}

/** Largest index i ≤ hiIdx with t[i] ≤ limit, or −1. */
function lastAtOrBefore(t: ArrayLike<number>, limit: number, hiIdx = t.length - 1): number {
  let lo = 0;
  let hi = hiIdx;
  let found = -1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (t[m]! <= limit) {
      found = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  return found;
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function clampP(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
