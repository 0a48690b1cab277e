// Which tokens to stream: the hot set, capped at `hotCap` tokens and filled by a
// pluggable ranking (volume, open signals, open positions). Markets with open
// positions always come first; the rest by the weighted sum of ranker scores.
import type { CatalogMarket } from '../protocol/gamma.js';

export interface Ranker {
  name: string;
  weight: number;
  /** A score in [0, 1] (higher = hotter). */
  score(m: CatalogMarket): number;
}

export const volumeRanker = (maxVolume: number): Ranker => ({
  name: 'volume',
  weight: 1,
  score: (m) => (maxVolume > 0 ? Math.log1p(m.volume) / Math.log1p(maxVolume) : 0),
});

export const setRanker = (name: string, weight: number, ids: () => ReadonlySet<string>): Ranker => ({
  name,
  weight,
  score: (m) => (ids().has(m.id) ? 1 : 0),
});

export interface HotSetChoice {
  markets: CatalogMarket[];
  tokens: string[];
}

/**
 * Hysteresis: a market already streamed keeps this much extra score, so a
 * newcomer must beat it by a clear margin (not a rounding of volume) before a
 * subscription moves. Promotions (weight ≥ 1 rankers) still clear it.
 */
export const INCUMBENT_BONUS = 0.5;

/**
 * Picks markets (both tokens each) until the cap. `pinned` market ids (open
 * positions, resting orders) are always included while the cap allows;
 * `incumbent` market ids (streamed now) get INCUMBENT_BONUS.
 */
export function chooseHotSet(
  markets: Iterable<CatalogMarket>,
  cap: number,
  rankers: Ranker[],
  pinned: ReadonlySet<string> = new Set(),
  incumbent: ReadonlySet<string> = new Set(),
): HotSetChoice {
  const open: { m: CatalogMarket; score: number }[] = [];
  for (const m of markets) {
    if (m.closed || m.tokenIds.length !== 2) continue;
    const score = (pinned.has(m.id) ? 1e9 : 0) + (incumbent.has(m.id) ? INCUMBENT_BONUS : 0) + rankers.reduce((s, r) => s + r.weight * r.score(m), 0);
    open.push({ m, score });
  }
  open.sort((a, b) => b.score - a.score || (a.m.id < b.m.id ? -1 : 1));
  const chosen: CatalogMarket[] = [];
  const tokens: string[] = [];
  for (const { m } of open) {
    if (tokens.length + 2 > cap) break;
    chosen.push(m);
    tokens.push(m.tokenIds[0]!, m.tokenIds[1]!);
  }
  return { markets: chosen, tokens };
}
