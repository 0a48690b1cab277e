// Open positions as the risk they are: in a binary market, holding both YES
// and NO is a complete set that pays exactly $1 per set at resolution whatever
// happens. Such a basket is valued at what it locks in, shown as one line, and
// never stopped out leg by leg; only shares beyond the complete sets are
// marked at the executable bid and watched by stop-loss / take-profit.
import type { Position } from './ledger.js';
import { notionalMicros } from './money.js';

export interface Holding {
  kind: 'basket' | 'single';
  marketId: string;
  /** Single: the token; basket: the YES token (the first of the pair). */
  tokenId: string;
  tokenIds: string[];
  /** Shares (single) or complete sets (basket). */
  shares: number;
  /** Cost basis of these shares / sets, micro-dollars. */
  costMicros: number;
  /** Mark per share / set, price units (0.0001); a basket's is 1.0 (10,000); undefined before a book. */
  mark: number | undefined;
  /** Value at the mark; a single without a mark is carried at cost. */
  valueMicros: number;
}

/** Shares of `tokenId` that belong to complete sets with the other outcome of its market. */
export function hedgedShares(positions: ReadonlyMap<string, Position>, tokenId: string): number {
  const p = positions.get(tokenId);
  if (!p || p.shares <= 0) return 0;
  let other = 0;
  for (const q of positions.values()) if (q.marketId === p.marketId && q.tokenId !== tokenId && q.shares > 0) other += q.shares;
  return Math.min(p.shares, other);
}

/** Splits open positions into complete YES+NO baskets and the remaining single legs. */
export function holdingsOf(positions: ReadonlyMap<string, Position>, outcomeIndexOf: (tokenId: string) => number | undefined): Holding[] {
  const byMarket = new Map<string, Position[]>();
  for (const p of positions.values()) {
    if (p.shares <= 0) continue;
    const list = byMarket.get(p.marketId);
    if (list) list.push(p);
    else byMarket.set(p.marketId, [p]);
  }
  const out: Holding[] = [];
  for (const [marketId, list] of byMarket) {
    list.sort((a, b) => (outcomeIndexOf(a.tokenId) ?? 9) - (outcomeIndexOf(b.tokenId) ?? 9) || (a.tokenId < b.tokenId ? -1 : 1));
    const sets = list.length === 2 ? Math.min(list[0]!.shares, list[1]!.shares) : 0;
    if (sets > 1e-9) {
      const cost = list.reduce((s, p) => s + Math.round((p.costMicros * sets) / p.shares), 0);
      out.push({ kind: 'basket', marketId, tokenId: list[0]!.tokenId, tokenIds: list.map((p) => p.tokenId), shares: sets, costMicros: cost, mark: 10_000, valueMicros: notionalMicros(10_000, sets) });
    }
    for (const p of list) {
      const rest = p.shares - sets;
      if (rest <= 1e-9) continue;
      const cost = Math.round((p.costMicros * rest) / p.shares);
      const value = p.mark === undefined ? cost : notionalMicros(p.mark, rest);
      out.push({ kind: 'single', marketId, tokenId: p.tokenId, tokenIds: [p.tokenId], shares: rest, costMicros: cost, mark: p.mark, valueMicros: value });
    }
  }
  return out;
}
