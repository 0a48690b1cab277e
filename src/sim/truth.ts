// Hidden true probabilities: how each family's latent moves (diffusion + jumps)
// and how it maps to each member's probability and, at the end, its outcome.
// Each map is the true conditional probability of the outcome rule used at
// resolution, so prices are calibrated martingales (what a backtest should find).
import { normalCdf, type Rng } from './rng.js';
import { DAY_MS } from './dates.js';
import type { Family } from './world-types.js';

const P_MIN = 0.002;
const P_MAX = 0.998;

function clampP(p: number): number {
  return p < P_MIN ? P_MIN : p > P_MAX ? P_MAX : p;
}

/** Days left until t reaches end (≥ 0). */
function daysLeft(end: number, t: number): number {
  return end > t ? (end - t) / DAY_MS : 0;
}

/** Spread of the latent at resolution as seen from time t. */
function spread(f: Family, end: number, t: number): number {
  return Math.sqrt(f.sigma * f.sigma * daysLeft(end, t) + f.noise * f.noise);
}

/** True probability of member `i` of family `f` at time t (before it resolves). */
export function truthOf(f: Family, i: number, t: number): number {
  switch (f.kind) {
    case 'binary':
    case 'game':
      return f.p;
    case 'parentchild':
    case 'conditional':
      return i === 0 ? f.p : f.p * f.q;
    case 'threshold': {
      const s = spread(f, f.endMs, t);
      return clampP(normalCdf((f.direction * (f.x - f.levels[i]!)) / s));
    }
    case 'updown':
      return clampP(normalCdf(f.x / spread(f, f.endMs, t)));
    case 'partition': {
      const s = spread(f, f.endMs, t);
      const lo = f.levels[i]!;
      const hi = f.levels[i + 1]!;
      const p = (hi === Infinity ? 1 : normalCdf((hi - f.x) / s)) - (lo === -Infinity ? 0 : normalCdf((lo - f.x) / s));
      return clampP(p);
    }
    case 'race':
      return clampP(f.probs[i]!);
    case 'temporal': {
      if (f.happened) return P_MAX;
      const d = daysLeft(f.deadlines[i]!, t);
      return clampP(1 - Math.exp(-f.lambda * d));
    }
  }
}

/** Moves the family's latent from its last update to time t. */
export function advance(f: Family, t: number, rng: Rng): void {
  const dtDays = (t - f.lastMs) / DAY_MS;
  if (dtDays <= 0) return;
  f.lastMs = t;
  if (f.link) {
    f.x = f.link.at(t);
    return;
  }
  const vol = Math.sqrt(dtDays);
  const jump = f.jumpsPerDay > 0 && rng.chance(1 - Math.exp(-f.jumpsPerDay * dtDays));
  switch (f.kind) {
    case 'binary':
    case 'game':
    case 'parentchild':
    case 'conditional': {
      f.p = stepProb(f.p, f.sigma * vol, jump, rng);
      if (f.kind !== 'binary' && f.kind !== 'game') f.q = stepProb(f.q, f.sigma * 0.5 * vol, false, rng);
      return;
    }
    case 'threshold':
    case 'partition':
    case 'updown':
      f.x += f.sigma * vol * rng.normal() + (jump ? f.sigma * rng.normal() * 1.5 : 0);
      return;
    case 'race': {
      // Mass moves between two outcomes at a time: the vector stays on the simplex
      // and each coordinate stays a martingale.
      const n = f.probs.length;
      if (n < 2) return;
      const moves = jump ? 3 : 1;
      for (let m = 0; m < moves; m++) {
        const a = rng.int(0, n);
        let b = rng.int(0, n - 1);
        if (b >= a) b++;
        const cap = Math.min(f.probs[a]!, f.probs[b]!);
        const d = Math.max(-cap, Math.min(cap, cap * f.sigma * vol * rng.normal() * (jump ? 3 : 1)));
        f.probs[a] = f.probs[a]! + d;
        f.probs[b] = f.probs[b]! - d;
      }
      return;
    }
    case 'temporal':
      // The hazard itself drifts a little (news); occurrence is drawn by the exchange.
      f.lambda = Math.max(1e-4, f.lambda * Math.exp(0.1 * vol * rng.normal()));
      return;
  }
}

/** A mean-zero step of a probability (Wright–Fisher-like diffusion, symmetric jumps). */
function stepProb(p: number, vol: number, jump: boolean, rng: Rng): number {
  let next = p + vol * p * (1 - p) * rng.normal() * 4;
  if (jump) {
    const size = Math.min(next, 1 - next) * rng.uniform(0.3, 0.8);
    next += rng.chance(0.5) ? size : -size;
  }
  return clampP(next);
}

/**
 * Decides the outcome of every member of a family at its end (except temporal,
 * which resolves member by member). Returns 1 (YES) or 0 per member.
 */
export function drawOutcomes(f: Family, rng: Rng): (0 | 1)[] {
  const n = f.markets.length;
  switch (f.kind) {
    case 'binary':
    case 'game':
      return new Array(n).fill(rng.chance(f.p) ? 1 : 0);
    case 'parentchild':
    case 'conditional': {
      const parent = rng.chance(f.p);
      const child = parent && rng.chance(f.q);
      return [parent ? 1 : 0, child ? 1 : 0];
    }
    case 'threshold': {
      const final = f.x + f.noise * rng.normal();
      return f.levels.slice(0, n).map((k) => (f.direction * (final - k) > 0 ? 1 : 0));
    }
    case 'updown': {
      const final = f.x + f.noise * rng.normal();
      return [final > 0 ? 1 : 0];
    }
    case 'partition': {
      const final = f.x + f.noise * rng.normal();
      return Array.from({ length: n }, (_, i) => (final >= f.levels[i]! && final < f.levels[i + 1]! ? 1 : 0));
    }
    case 'race': {
      let u = rng.next();
      let winner = n - 1;
      for (let i = 0; i < f.probs.length; i++) {
        u -= f.probs[i]!;
        if (u < 0) {
          winner = i;
          break;
        }
      }
      return Array.from({ length: n }, (_, i) => (i === winner ? 1 : 0));
    }
    case 'temporal':
      return new Array(n).fill(f.happened ? 1 : 0);
  }
}
