// Resolved Bitcoin up/down windows on the simulator's hidden path, seen at a
// fixed lead before their end: the model's fair probability (from the path's
// spot, realised volatility of its 1-minute closes and the window's start
// price) next to the price the simulator's market makers quote around (the
// world's truth for a linked window: Φ(ln(S/S0) / σ√τ)). Feeds the FAIR_VALUE
// validation: on an efficient simulator it must not find an edge.
import { fairValue, ewmaVol } from '../refdata/fair.js';
import type { FairEvent } from '../refdata/fair-strategy.js';
import type { MappedRule } from '../refdata/resolve.js';
import type { CryptoPaths } from './crypto-paths.js';
import { normalCdf } from './rng.js';

export interface WindowHistoryOptions {
  asset?: string;
  windowMs?: number;
  leadMs?: number;
  /** Half-spread quoted around the mid. */
  halfSpread?: number;
  /** The quoted mid lags the path by this much (0 = efficient market). */
  staleMs?: number;
  fee?: { rate: number; exponent: number };
}

export function upDownHistory(paths: CryptoPaths, fromMs: number, count: number, o: WindowHistoryOptions = {}): FairEvent[] {
  const asset = o.asset ?? 'BTC';
  const W = o.windowMs ?? 15 * 60_000;
  const lead = o.leadMs ?? 5 * 60_000;
  const h = o.halfSpread ?? 0.01;
  const fee = o.fee ?? { rate: 0.07, exponent: 1 };
  const sigma = paths.coins[asset]!.sigma;
  const sdDay = sigma / Math.sqrt(365.25);
  const out: FairEvent[] = [];
  const start0 = Math.ceil(fromMs / W) * W;
  for (let k = 0; k < count; k++) {
    const start = start0 + k * W;
    const end = start + W;
    const t = end - lead;
    const s0 = paths.price(asset, start)!;
    const st = paths.price(asset, t)!;
    const rule: MappedRule = { status: 'mapped', asset, kind: 'updown', strike: null, windowStart: start, resolvesAt: end, source: 'chainlink' };
    const closes = paths.candles1m(asset, t, 61).map((c) => c.c);
    const rv = ewmaVol(closes, 60_000);
    const fv = fairValue(rule, { spot: { value: st, source: 'sim', tier: 'resolved', ageMs: 0 }, ...(rv ? { vol: { value: rv, kind: 'realised' as const, source: 'sim 1m', ageMs: 0 } } : {}), startPrice: s0 }, t);
    const tq = t - (o.staleMs ?? 0);
    const x = tq <= start ? 0 : Math.log(paths.price(asset, tq)! / s0);
    const mid = Math.min(0.998, Math.max(0.002, normalCdf(x / (sdDay * Math.sqrt((end - tq) / 86_400_000)))));
    const clampAsk = (a: number) => Math.min(0.999, Math.max(0.001, Math.round(a * 100) / 100));
    out.push({ t, fair: fv.status === 'priced' ? fv.p : null, mid, askYes: clampAsk(mid + h), askNo: clampAsk(1 - mid + h), outcome: paths.price(asset, end)! >= s0 ? 1 : 0, fee });
  }
  return out;
}
