// Hidden crypto price paths for the simulator: one seeded path per coin on a
// 1-second grid of venue time, log increments with fat tails (a normal with an
// occasional 4× shock), generated lazily and kept so any instant always reads
// the same price. The reference-data servers quote from these paths; crypto
// markets that read them settle on the same numbers.
import { Rng } from './rng.js';

export interface CoinSpec {
  /** Price at the epoch (USD). */
  s0: number;
  /** Annualised volatility. */
  sigma: number;
}

export const DEFAULT_COINS: Record<string, CoinSpec> = {
  BTC: { s0: 97_000, sigma: 0.5 },
  ETH: { s0: 3_400, sigma: 0.65 },
  SOL: { s0: 180, sigma: 0.85 },
  XRP: { s0: 2.5, sigma: 0.9 },
  DOGE: { s0: 0.3, sigma: 1 },
  BNB: { s0: 650, sigma: 0.55 },
  HYPE: { s0: 35, sigma: 1.1 },
};

const YEAR_MS = 365.25 * 86_400_000;
const SHOCK_P = 0.01;
const SHOCK_X = 4;

export class CryptoPaths {
  private paths = new Map<string, { rng: Rng; logs: number[] }>();
  readonly stepMs = 1_000;

  constructor(
    readonly seed: string | number,
    readonly epochMs: number,
    readonly coins: Record<string, CoinSpec> = DEFAULT_COINS,
  ) {}

  get assets(): string[] {
    return Object.keys(this.coins);
  }

  /** Price of `asset` at venue time t (the epoch price before the epoch); undefined for an unknown coin. */
  price(asset: string, t: number): number | undefined {
    const spec = this.coins[asset];
    if (!spec) return undefined;
    const i = Math.max(0, Math.floor((t - this.epochMs) / this.stepMs));
    return spec.s0 * Math.exp(this.logAt(asset, spec, i));
  }

  /** 1-minute candles [open, high, low, close] ending at the minute before t, oldest first. */
  candles1m(asset: string, t: number, n: number): Array<{ openTime: number; o: number; h: number; l: number; c: number }> {
    const out = [];
    const lastOpen = Math.floor(t / 60_000) * 60_000 - 60_000;
    for (let k = n - 1; k >= 0; k--) {
      const open = lastOpen - k * 60_000;
      let h = -Infinity;
      let l = Infinity;
      const o = this.price(asset, open)!;
      let c = o;
      for (let s = 0; s < 60; s += 5) {
        c = this.price(asset, open + s * 1000)!;
        h = Math.max(h, c);
        l = Math.min(l, c);
      }
      c = this.price(asset, open + 59_999)!;
      out.push({ openTime: open, o, h: Math.max(h, c), l: Math.min(l, c), c });
    }
    return out;
  }

  private logAt(asset: string, spec: CoinSpec, i: number): number {
    let p = this.paths.get(asset);
    if (!p) {
      p = { rng: new Rng(`${this.seed}:crypto:${asset}`), logs: [0] };
      this.paths.set(asset, p);
    }
    const sd = spec.sigma * Math.sqrt(this.stepMs / YEAR_MS);
    // Shock mixture keeps the variance at σ²·dt: (1 − p)·a² + p·(a·X)² = 1.
    const a = 1 / Math.sqrt(1 - SHOCK_P + SHOCK_P * SHOCK_X * SHOCK_X);
    const bounded = Math.min(i, 40_000_000);
    while (p.logs.length <= bounded) {
      const z = p.rng.normal() * a * (p.rng.next() < SHOCK_P ? SHOCK_X : 1);
      p.logs.push(p.logs[p.logs.length - 1]! - 0.5 * sd * sd + sd * z);
    }
    return p.logs[bounded]!;
  }
}
