// Fair probability of a resolved crypto rule from spot, volatility and time
// left. Pure functions; every priced value carries the inputs and the
// arithmetic that produced it so the detail view can show it. Missing or stale
// inputs give NEUTRAL (no probability, no signal) — never a made-up price.
//
// Model: log price is a driftless-in-price (martingale) random walk,
// r = ln(S_T/S_t) with mean −½σ²τ and variance σ²τ. For horizons under an hour
// the increment is a Student-t with ν = 4 scaled to the same variance (1-minute
// crypto returns have far fatter tails than a normal; at ν = 4 a 5σ move is
// ~1e-3 likely rather than ~3e-7), blended linearly in log τ into the normal by
// one day. Touch rules use the reflection principle with the same drift
// (normal increments).
import type { MappedRule } from './resolve.js';
import { deepFreeze } from '../frozen.js';

export const YEAR_MS = 365.25 * 24 * 3_600_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Standard normal CDF (erfc by Numerical Recipes' Chebyshev fit, |ε| < 1.2e-7). */
export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Student-t CDF with ν = 4 (closed form): ½ + ¾·u·(1 − u²/3), u = t/√(4 + t²). */
export function t4Cdf(t: number): number {
  const u = t / Math.sqrt(4 + t * t);
  return 0.5 + 0.75 * u * (1 - (u * u) / 3);
}

/** Weight of the fat-tailed law: 1 up to an hour, 0 from a day, linear in log τ between. */
export function tailWeight(tauMs: number): number {
  if (tauMs <= HOUR_MS) return 1;
  if (tauMs >= DAY_MS) return 0;
  return 1 - Math.log(tauMs / HOUR_MS) / Math.log(DAY_MS / HOUR_MS);
}

/**
 * P(ln(S_T/S) > ln(K/S)) for a standardised distance d = [ln(S/K) − ½σ²τ]/(σ√τ).
 * The t law is scaled to unit variance (scale √((ν−2)/ν) = 1/√2 at ν = 4), so its argument is d·√2.
 */
export function probAbove(d: number, w: number): number {
  return w * t4Cdf(d * Math.SQRT2) + (1 - w) * normCdf(d);
}

export interface MarketInputs {
  /** Reference price now (USD) and where it came from. */
  spot?: { value: number; source: string; tier: 'resolved' | 'aggregated' | 'neutral'; ageMs: number };
  /** Annualised volatility and its kind. */
  vol?: { value: number; kind: 'implied' | 'realised'; source: string; ageMs: number };
  /** Window start price for up/down once the window has opened. */
  startPrice?: number;
}

export interface FairPriced {
  status: 'priced';
  /** Probability the YES (or Up) outcome wins. */
  p: number;
  inputs: { spot: number; spotSource: string; tier: string; spotAgeMs: number; sigma: number; sigmaKind: string; sigmaSource: string; tauMs: number; tailWeight: number; strike?: number; strikeHigh?: number; startPrice?: number };
  /** Standardised distance d of the priced level(s) (the touch rules have none). */
  d?: number[];
}

export interface FairNeutral {
  status: 'neutral';
  reason: string;
}

export type FairValue = FairPriced | FairNeutral;

export interface FairLimits {
  /** Spot older than this is stale (default 60 s). */
  maxSpotAgeMs: number;
  /** Volatility older than this is stale (default 1 h). */
  maxVolAgeMs: number;
}

export const DEFAULT_LIMITS: FairLimits = deepFreeze({ maxSpotAgeMs: 60_000, maxVolAgeMs: HOUR_MS });

const neutral = (reason: string): FairNeutral => ({ status: 'neutral', reason });
const f = (x: number, digits = 4) => Number(x.toPrecision(digits)).toString();

/** Fair probability of a mapped rule at `nowMs`. */
export function fairValue(rule: MappedRule, inputs: MarketInputs, nowMs: number, limits: FairLimits = DEFAULT_LIMITS): FairValue {
  const tauMs = rule.resolvesAt - nowMs;
  if (!(tauMs > 0)) return neutral('past the observation time');
  if (rule.kind === 'updown' && rule.windowStart !== null && nowMs < rule.windowStart) return neutral('window not open: no start price yet (0.5 carries no edge)');
  const spot = inputs.spot;
  if (!spot || spot.tier === 'neutral' || !(spot.value > 0)) return neutral('no spot price');
  if (spot.ageMs > limits.maxSpotAgeMs) return neutral(`spot ${Math.round(spot.ageMs / 1000)} s old`);
  const vol = inputs.vol;
  if (!vol || !(vol.value > 0)) return neutral('no volatility');
  if (vol.ageMs > limits.maxVolAgeMs) return neutral(`volatility ${Math.round(vol.ageMs / 60_000)} min old`);
  const S = spot.value;
  const sigma = vol.value;
  const tau = tauMs / YEAR_MS;
  const sd = sigma * Math.sqrt(tau);
  const w = tailWeight(tauMs);
  const base = { spot: S, spotSource: spot.source, tier: spot.tier, spotAgeMs: spot.ageMs, sigma, sigmaKind: vol.kind, sigmaSource: vol.source, tauMs, tailWeight: w };
  const dOf = (K: number) => (Math.log(S / K) - 0.5 * sd * sd) / sd;
  const above = (K: number) => probAbove(dOf(K), w);

  switch (rule.kind) {
    case 'above':
    case 'below': {
      const K = rule.strike;
      if (K === null || !(K > 0)) return neutral('no strike');
      const pa = above(K);
      return { status: 'priced', p: rule.kind === 'above' ? pa : 1 - pa, inputs: { ...base, strike: K }, d: [dOf(K)] };
    }
    case 'range': {
      const lo = rule.strike;
      const hi = rule.strikeHigh;
      if (lo === null || hi === undefined || !(lo > 0 && hi > lo)) return neutral('no range bounds');
      return { status: 'priced', p: Math.max(0, above(lo) - above(hi)), inputs: { ...base, strike: lo, strikeHigh: hi }, d: [dOf(lo), dOf(hi)] };
    }
    case 'updown': {
      const S0 = inputs.startPrice;
      if (!(S0 !== undefined && S0 > 0)) return neutral('window open but start price unknown');
      // Up wins ties (end ≥ start); with continuous prices the tie has no mass.
      return { status: 'priced', p: above(S0), inputs: { ...base, startPrice: S0 }, d: [dOf(S0)] };
    }
    case 'reach':
    case 'dip': {
      const K = rule.strike;
      if (K === null || !(K > 0)) return neutral('no strike');
      return { status: 'priced', p: touchProb(rule.kind, S, K, sigma, tau), inputs: { ...base, strike: K } };
    }
  }
}

/** The arithmetic behind a priced value, for the detail view (built on demand: the refresh loop does not pay for strings). */
export function explainFair(kind: MappedRule['kind'], v: FairPriced): string {
  const i = v.inputs;
  const sd = i.sigma * Math.sqrt(i.tauMs / YEAR_MS);
  const law = i.tailWeight === 1 ? 'T4' : i.tailWeight === 0 ? 'Φ' : `${f(i.tailWeight, 2)}·T4+${f(1 - i.tailWeight, 2)}·Φ`;
  const head = `S=${f(i.spot, 8)} (${i.spotSource}, ${i.tier}, ${Math.round(i.spotAgeMs / 1000)} s) σ=${f(i.sigma, 3)} ${i.sigmaKind} τ=${f(i.tauMs / 60_000, 4)}min σ√τ=${f(sd, 3)}`;
  const d = v.d ?? [];
  switch (kind) {
    case 'above':
      return `${head}; d=[ln(S/${f(i.strike!, 8)})−½σ²τ]/σ√τ=${f(d[0]!, 3)}; P=${law}(d)=${f(v.p)}`;
    case 'below':
      return `${head}; d=[ln(S/${f(i.strike!, 8)})−½σ²τ]/σ√τ=${f(d[0]!, 3)}; P=1−${law}(d)=${f(v.p)}`;
    case 'range':
      return `${head}; d_lo=${f(d[0]!, 3)} d_hi=${f(d[1]!, 3)}; P=${law}(d_lo)−${law}(d_hi)=${f(v.p)}`;
    case 'updown':
      return `${head}; S0=${f(i.startPrice!, 8)} d=[ln(S/S0)−½σ²τ]/σ√τ=${f(d[0]!, 3)}; P(up)=${law}(d)=${f(v.p)}`;
    case 'reach':
    case 'dip':
      return `${head}; ${kind} ${f(i.strike!, 8)} by reflection (drift −½σ²): P=${f(v.p)}`;
  }
}

/**
 * Probability a log-Brownian path with drift μ = −½σ² touches K within τ years
 * (first passage of ln(K/S)): P(max ≥ b) = Φ((−b+μτ)/σ√τ) + e^{2μb/σ²}·Φ((−b−μτ)/σ√τ).
 * At or beyond the level already: 1.
 */
export function touchProb(kind: 'reach' | 'dip', S: number, K: number, sigma: number, tau: number): number {
  const mu = -0.5 * sigma * sigma;
  const sd = sigma * Math.sqrt(tau);
  if (kind === 'reach') {
    if (S >= K) return 1;
    const b = Math.log(K / S);
    return Math.min(1, normCdf((-b + mu * tau) / sd) + Math.exp((2 * mu * b) / (sigma * sigma)) * normCdf((-b - mu * tau) / sd));
  }
  if (S <= K) return 1;
  // The minimum of X is −max of −X, whose drift is −μ.
  const b = Math.log(S / K);
  const m = -mu;
  return Math.min(1, normCdf((-b + m * tau) / sd) + Math.exp((2 * m * b) / (sigma * sigma)) * normCdf((-b - m * tau) / sd));
}

/**
 * Annualised EWMA volatility of log returns sampled every `stepMs` (RiskMetrics
 * λ = 0.94 on 1-minute returns). Undefined with fewer than 10 returns.
 */
export function ewmaVol(prices: readonly number[], stepMs: number, lambda = 0.94): number | undefined {
  if (prices.length < 11 || !(stepMs > 0)) return undefined;
  let v: number | undefined;
  for (let i = 1; i < prices.length; i++) {
    const a = prices[i - 1]!;
    const b = prices[i]!;
    if (!(a > 0 && b > 0)) return undefined;
    const r = Math.log(b / a);
    v = v === undefined ? r * r : lambda * v + (1 - lambda) * r * r;
  }
  return Math.sqrt((v! * YEAR_MS) / stepMs);
}

/** Implied where available and fresh, else realised; the choice is part of the tag. */
export function pickVol(implied: MarketInputs['vol'] | undefined, realised: MarketInputs['vol'] | undefined, maxAgeMs = DEFAULT_LIMITS.maxVolAgeMs): MarketInputs['vol'] | undefined {
  if (implied && implied.value > 0 && implied.ageMs <= maxAgeMs) return implied;
  if (realised && realised.value > 0 && realised.ageMs <= maxAgeMs) return realised;
  return undefined;
}
