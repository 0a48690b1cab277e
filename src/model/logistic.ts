// L2-regularised logistic regression with an offset, fitted by Newton's method
// (IRLS): logit P(y = 1) = offset + x·β, penalty ½λ‖β‖² on every weight but the
// intercept. The offset is logit(market price), so β is a correction to the
// market's own forecast: β = 0 means "the price is right" and the penalty pulls
// toward it. Columns are standardised for the solve and the weights mapped back,
// so inference is one dot product on raw features. Pure and deterministic: no
// randomness, fixed iteration order.

export interface Design {
  /** n × d, row-major. Column 0 must be the constant 1 (intercept). */
  x: Float64Array;
  n: number;
  d: number;
  /** Per-row offset (logit of the market price). */
  offset: Float64Array;
  /** Per-row label 0/1. */
  y: Float64Array;
}

export interface FitOptions {
  /** L2 strength on standardised weights (default 10: with n ≈ 10⁴ it shrinks noise, keeps real effects). */
  lambda?: number;
  maxIter?: number;
  tol?: number;
}

export interface FitResult {
  /** Raw-scale weights (length d): η = offset + Σ w_j x_j. */
  w: Float64Array;
  iterations: number;
  converged: boolean;
  /** Penalised log-likelihood at the optimum. */
  logLik: number;
}

export function fitLogistic(D: Design, opts: FitOptions = {}): FitResult {
  const { n, d, x, offset, y } = D;
  const lambda = opts.lambda ?? 10;
  const maxIter = opts.maxIter ?? 50;
  const tol = opts.tol ?? 1e-9;
  // Standardise columns 1..d−1; constant columns are frozen at 0.
  const mu = new Float64Array(d);
  const sd = new Float64Array(d).fill(1);
  const live = new Uint8Array(d);
  live[0] = 1;
  for (let j = 1; j < d; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + j]!;
      s += v;
      s2 += v * v;
    }
    const m = n ? s / n : 0;
    const v = n ? s2 / n - m * m : 0;
    mu[j] = m;
    if (v > 1e-12) {
      sd[j] = Math.sqrt(v);
      live[j] = 1;
    }
  }
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    z[i * d] = 1;
    for (let j = 1; j < d; j++) z[i * d + j] = live[j] ? (x[i * d + j]! - mu[j]!) / sd[j]! : 0;
  }
  const beta = new Float64Array(d);
  const eta = new Float64Array(n);
  const H = new Float64Array(d * d);
  const g = new Float64Array(d);
  const step = new Float64Array(d);
  const trial = new Float64Array(d);
  const objective = (b: Float64Array): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let e = offset[i]!;
      for (let j = 0; j < d; j++) e += z[i * d + j]! * b[j]!;
      eta[i] = e;
      // log σ(e) for y = 1, log(1 − σ(e)) for y = 0, computed stably.
      ll += y[i]! ? -softplus(-e) : -softplus(e);
    }
    let pen = 0;
    for (let j = 1; j < d; j++) pen += b[j]! * b[j]!;
    return ll - 0.5 * lambda * pen;
  };
  let obj = objective(beta);
  let it = 0;
  let converged = false;
  for (; it < maxIter; it++) {
    H.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(eta[i]!);
      const r = y[i]! - p;
      const wgt = Math.max(p * (1 - p), 1e-12);
      const row = i * d;
      for (let a = 0; a < d; a++) {
        const za = z[row + a]!;
        if (za === 0) continue;
        g[a]! += za * r;
        const wa = wgt * za;
        for (let b = 0; b <= a; b++) H[a * d + b]! += wa * z[row + b]!;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) H[b * d + a] = H[a * d + b]!;
      if (a > 0) {
        g[a]! -= lambda * beta[a]!;
        H[a * d + a]! += live[a] ? lambda : 1;
      } else H[0]! += 1e-9;
    }
    choleskySolve(H, g, step, d);
    // Step halving keeps every iteration an ascent (it rarely triggers).
    let t = 1;
    let next = obj;
    for (let k = 0; k < 30; k++) {
      for (let j = 0; j < d; j++) trial[j] = beta[j]! + t * step[j]!;
      next = objective(trial);
      if (next >= obj - 1e-12) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let j = 0; j < d; j++) {
      maxStep = Math.max(maxStep, Math.abs(trial[j]! - beta[j]!));
      beta[j] = trial[j]!;
    }
    obj = next;
    if (maxStep < tol) {
      converged = true;
      it++;
      break;
    }
  }
  objective(beta);
  const w = new Float64Array(d);
  let w0 = beta[0]!;
  for (let j = 1; j < d; j++) {
    if (!live[j]) continue;
    w[j] = beta[j]! / sd[j]!;
    w0 -= (beta[j]! * mu[j]!) / sd[j]!;
  }
  w[0] = w0;
  return { w, iterations: it, converged, logLik: obj };
}

/**
 * Platt recalibration of a score η: q = σ(a + b·η), fitted on held-out rows by
 * Newton with a prior pulling (a, b) toward the identity (0, 1), so a small
 * calibration set cannot flip the model.
 */
export function fitPlatt(eta: ArrayLike<number>, y: ArrayLike<number>, prior = 50): { a: number; b: number } {
  let a = 0;
  let b = 1;
  for (let it = 0; it < 50; it++) {
    let ga = -prior * a;
    let gb = -prior * (b - 1);
    let haa = prior;
    let hab = 0;
    let hbb = prior;
    for (let i = 0; i < eta.length; i++) {
      const e = eta[i]!;
      const p = sigmoid(a + b * e);
      const r = y[i]! - p;
      const w = p * (1 - p);
      ga += r;
      gb += r * e;
      haa += w;
      hab += w * e;
      hbb += w * e * e;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

/** Solves H·x = g for symmetric positive-definite H (d × d, overwritten). */
export function choleskySolve(H: Float64Array, g: Float64Array, out: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) {
    let s = H[j * d + j]!;
    for (let k = 0; k < j; k++) s -= H[j * d + k]! * H[j * d + k]!;
    const l = Math.sqrt(Math.max(s, 1e-12));
    H[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = H[i * d + j]!;
      for (let k = 0; k < j; k++) t -= H[i * d + k]! * H[j * d + k]!;
      H[i * d + j] = t / l;
    }
  }
  for (let i = 0; i < d; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= H[i * d + k]! * out[k]!;
    out[i] = s / H[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < d; k++) s -= H[k * d + i]! * out[k]!;
    out[i] = s / H[i * d + i]!;
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
