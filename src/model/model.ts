// The scorer's model: logit q = a + b·(logit(market mid) + w·x), i.e. the
// market's own price plus learned terms, then a Platt recalibration fitted on
// the most recent events of the training window (held out from the weights).
// Training is a pure function of the samples and the seed: same data, same
// seed, same `hash`. A model carries its expiry; past it, `scoreOf` answers
// undefined and the caller falls back to the market price.
import { createHash } from 'node:crypto';
import { clampP, logit, sigmoid } from './features.js';
import { fitLogistic, fitPlatt, type FitOptions } from './logistic.js';
import { deepFreeze } from '../frozen.js';

/** Training rows, column-major where it helps transfer: every array is its own ArrayBuffer. */
export interface SampleSet {
  n: number;
  d: number;
  /** n × d features, row-major. */
  x: Float64Array;
  /** YES market mid at decision time (the offset's price). */
  mid: Float64Array;
  /** 1 if YES won. */
  y: Float64Array;
  /** When the outcome became known (market closed), ms. */
  resolvedMs: Float64Array;
  /** Decision time, ms. */
  atMs: Float64Array;
  /** Event number (sibling markets share one): the unit of independence. */
  event: Int32Array;
}

export interface TrainOptions extends FitOptions {
  /** Share of the most recent training events held out for the Platt fit (default 0.2; 0 = no recalibration). */
  calibFraction?: number;
  seed?: string | number;
  featureHash: string;
  /** Stamped as the training time (expiry counts from it). */
  nowMs: number;
  /** Lifetime, ms (default 6 h). */
  expiryMs?: number;
}

export interface ScorerModel {
  featureHash: string;
  width: number;
  /** Raw-scale weights, length `width`. */
  w: Float64Array;
  calib: { a: number; b: number };
  trainedAtMs: number;
  expiresAtMs: number;
  /** Latest outcome time used. */
  trainedUpToMs: number;
  rows: number;
  events: number;
  lambda: number;
  seed: string;
  iterations: number;
  converged: boolean;
  /** sha256 of everything that changes a prediction. */
  hash: string;
}

/** L2 strengths tried (standardised weights); Infinity in a model = the market price, uncorrected. */
export const LAMBDA_GRID: readonly number[] = deepFreeze([100, 1000, 10000, 100000]);

export const DEFAULT_EXPIRY_MS = 6 * 3_600_000;

export function trainModel(s: SampleSet, o: TrainOptions): ScorerModel {
  const order = eventOrder(s);
  const calibFraction = o.calibFraction ?? 0.2;
  const nCal = calibFraction > 0 && order.events.length >= 10 ? Math.floor(order.events.length * calibFraction) : 0;
  const fitEvents = new Set(order.events.slice(0, order.events.length - nCal));
  const fitRows: number[] = [];
  const calRows: number[] = [];
  for (let i = 0; i < s.n; i++) (fitEvents.has(s.event[i]!) ? fitRows : calRows).push(i);
  const D = subset(s, fitRows);
  // λ chosen on the held-out recent events, against "no correction" (w = 0:
  // the market price itself). A candidate replaces the price only if its
  // log-loss gain per event is positive by two standard errors (events, not
  // rows, are the independent units), so noise picked among a few λ values
  // does not pass for an edge: a model that cannot beat the price on data it
  // did not see stays the price, uncalibrated.
  const grid = o.lambda !== undefined ? [o.lambda] : calRows.length ? LAMBDA_GRID : [100];
  let best: { w: Float64Array; lambda: number; iterations: number; converged: boolean; gain: number } = { w: new Float64Array(s.d), lambda: Infinity, iterations: 0, converged: true, gain: 0 };
  const calEta = (w: Float64Array) => Float64Array.from(calRows, (r) => rawEta(w, s.x, r * s.d, s.d, s.mid[r]!));
  const calY = Float64Array.from(calRows, (r) => s.y[r]!);
  const calEv = Int32Array.from(calRows, (r) => s.event[r]!);
  const marketLoss = rowLoss(calEta(best.w), calY);
  for (const lambda of grid) {
    const fit = fitLogistic(D, { ...o, lambda });
    if (!calRows.length) {
      best = { w: fit.w, lambda, iterations: fit.iterations, converged: fit.converged, gain: 0 };
      continue;
    }
    const { mean, se } = eventGain(marketLoss, rowLoss(calEta(fit.w), calY), calEv);
    if (mean - 2 * se > 0 && mean > best.gain) best = { w: fit.w, lambda, iterations: fit.iterations, converged: fit.converged, gain: mean };
  }
  const calib = calRows.length && best.lambda !== Infinity ? fitPlatt(calEta(best.w), calY) : { a: 0, b: 1 };
  let upTo = -Infinity;
  for (let i = 0; i < s.n; i++) upTo = Math.max(upTo, s.resolvedMs[i]!);
  const seed = String(o.seed ?? 1);
  const lambda = best.lambda;
  const m: Omit<ScorerModel, 'hash'> = {
    featureHash: o.featureHash,
    width: s.d,
    w: best.w,
    calib,
    trainedAtMs: o.nowMs,
    expiresAtMs: o.nowMs + (o.expiryMs ?? DEFAULT_EXPIRY_MS),
    trainedUpToMs: s.n ? upTo : 0,
    rows: s.n,
    events: order.events.length,
    lambda,
    seed,
    iterations: best.iterations,
    converged: best.converged,
  };
  return Object.freeze({ ...m, hash: modelHash(m) });
}

/** Hash of what determines predictions (not the wall-clock stamps). */
export function modelHash(m: Pick<ScorerModel, 'featureHash' | 'w' | 'calib' | 'rows' | 'events' | 'lambda' | 'seed'>): string {
  const h = createHash('sha256');
  h.update(`${m.featureHash}|${m.rows}|${m.events}|${m.lambda}|${m.seed}|`);
  h.update(new Uint8Array(m.w.buffer, m.w.byteOffset, m.w.byteLength));
  h.update(new Uint8Array(Float64Array.of(m.calib.a, m.calib.b).buffer));
  return h.digest('hex').slice(0, 16);
}

/** P(YES) for feature row `x` (offset `off` into it) at market mid `mid`. Hot path: no allocation. */
export function predict(m: ScorerModel, x: Float64Array, mid: number, off = 0): number {
  return sigmoid(m.calib.a + m.calib.b * rawEta(m.w, x, off, m.width, mid));
}

/** The live answer: undefined when the model is past its expiry or was built for another feature layout. */
export function scoreOf(m: ScorerModel | undefined, featureHash: string, x: Float64Array, mid: number, nowMs: number): number | undefined {
  if (!m || nowMs >= m.expiresAtMs || m.featureHash !== featureHash) return undefined;
  return predict(m, x, mid);
}

function rawEta(w: Float64Array, x: Float64Array, off: number, d: number, mid: number): number {
  let e = logit(clampP(mid));
  for (let j = 0; j < d; j++) e += w[j]! * x[off + j]!;
  return e;
}

/** Per-row log-loss of σ(η) against y. */
function rowLoss(eta: Float64Array, y: Float64Array): Float64Array {
  return Float64Array.from(eta, (e, i) => (y[i]! ? softplus(-e) : softplus(e)));
}

/** Mean and standard error over events of the per-event summed loss reduction base − cand. */
function eventGain(base: Float64Array, cand: Float64Array, event: Int32Array): { mean: number; se: number } {
  const by = new Map<number, number>();
  for (let i = 0; i < base.length; i++) by.set(event[i]!, (by.get(event[i]!) ?? 0) + base[i]! - cand[i]!);
  const k = by.size;
  if (k < 2) return { mean: 0, se: Infinity };
  let s = 0;
  let s2 = 0;
  for (const v of by.values()) {
    s += v;
    s2 += v * v;
  }
  const mean = s / k;
  const varc = Math.max(0, (s2 - k * mean * mean) / (k - 1));
  return { mean, se: Math.sqrt(varc / k) };
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Distinct events in order of their latest resolution (ties by event number). */
export function eventOrder(s: Pick<SampleSet, 'n' | 'event' | 'resolvedMs'>): { events: number[]; resolvedAt: Map<number, number> } {
  const resolvedAt = new Map<number, number>();
  for (let i = 0; i < s.n; i++) {
    const e = s.event[i]!;
    resolvedAt.set(e, Math.max(resolvedAt.get(e) ?? -Infinity, s.resolvedMs[i]!));
  }
  const events = [...resolvedAt.keys()].sort((a, b) => resolvedAt.get(a)! - resolvedAt.get(b)! || a - b);
  return { events, resolvedAt };
}

export function subset(s: SampleSet, rows: readonly number[]): { x: Float64Array; n: number; d: number; offset: Float64Array; y: Float64Array } {
  const n = rows.length;
  const d = s.d;
  const x = new Float64Array(n * d);
  const offset = new Float64Array(n);
  const y = new Float64Array(n);
  rows.forEach((r, k) => {
    x.set(s.x.subarray(r * d, r * d + d), k * d);
    offset[k] = logit(clampP(s.mid[r]!));
    y[k] = s.y[r]!;
  });
  return { x, n, d, offset, y };
}

/** A SampleSet of the given rows (copies). */
export function selectRows(s: SampleSet, rows: readonly number[]): SampleSet {
  const n = rows.length;
  const d = s.d;
  const out: SampleSet = { n, d, x: new Float64Array(n * d), mid: new Float64Array(n), y: new Float64Array(n), resolvedMs: new Float64Array(n), atMs: new Float64Array(n), event: new Int32Array(n) };
  rows.forEach((r, k) => {
    out.x.set(s.x.subarray(r * d, r * d + d), k * d);
    out.mid[k] = s.mid[r]!;
    out.y[k] = s.y[r]!;
    out.resolvedMs[k] = s.resolvedMs[r]!;
    out.atMs[k] = s.atMs[r]!;
    out.event[k] = s.event[r]!;
  });
  return out;
}
