// The ranked signal queue the operator sees: strategy signals from the batch
// scan and arbitrage opportunities, in one shape. Every row says why it is
// there (strategy or relation, edge after fees, depth, confidence, the gate
// that blocks it or "ready").
import type { ArbLeg } from '../arb/types.js';

export type QueueTier = 'AUTO-TRADE' | 'ALERT' | 'WATCH' | 'IGNORE' | 'ARB';

export interface QueueItem {
  key: string;
  kind: 'strategy' | 'arb' | 'spike';
  /** Strategy id or arbitrage relation. */
  label: string;
  tier: QueueTier;
  /** Sort key in [0, 1]. */
  priority: number;
  marketIds: string[];
  /** Token the strategy buys (strategy signals). */
  tokenId?: string;
  question: string;
  /** "BUY No", or the legs ("YES_B + NO_A"). */
  side: string;
  /** Executable entry (probability), when priced. */
  entry?: number;
  /** Edge per share (or per set) after fees. */
  edge?: number;
  /** Executable size in shares / sets. */
  size?: number;
  /** Normalised OFI of the token (30 s window), when known. */
  ofi?: number;
  confidence: number;
  /** 'ready', or the gate that blocks it. */
  gate: string;
  reasoning: string;
  claimedWinRate?: number;
  validated?: string;
  legs?: ArbLeg[];
  autoTradable: boolean;
  seenAt: number;
  firstSeen: number;
}

export class SignalQueue {
  private readonly items = new Map<string, QueueItem>();
  /** Bumped whenever the queue's content changes (cheap change detection for the store). */
  version = 0;

  upsert(item: QueueItem): 'new' | 'changed' | 'same' {
    const prev = this.items.get(item.key);
    if (prev) item.firstSeen = prev.firstSeen;
    this.items.set(item.key, item);
    const verdict = !prev ? 'new' : prev.gate !== item.gate || prev.tier !== item.tier || Math.abs((prev.edge ?? 0) - (item.edge ?? 0)) > 1e-4 ? 'changed' : 'same';
    if (verdict !== 'same') this.version++;
    return verdict;
  }

  /** Drops rows of a kind not refreshed since `before`, and rows for closed markets. */
  expire(kind: QueueItem['kind'], before: number, closed: (marketId: string) => boolean = () => false): number {
    let n = 0;
    for (const [k, it] of this.items) {
      if ((it.kind === kind && it.seenAt < before) || it.marketIds.some(closed)) {
        this.items.delete(k);
        n++;
      }
    }
    if (n) this.version++;
    return n;
  }

  remove(key: string): void {
    if (this.items.delete(key)) this.version++;
  }

  get(key: string): QueueItem | undefined {
    return this.items.get(key);
  }

  get size(): number {
    return this.items.size;
  }

  /** Ranked: ready rows first, then by priority and edge. */
  ranked(limit = Infinity): QueueItem[] {
    return [...this.items.values()]
      .sort((a, b) => Number(b.gate === 'ready') - Number(a.gate === 'ready') || b.priority - a.priority || (b.edge ?? -1) - (a.edge ?? -1) || (a.key < b.key ? -1 : 1))
      .slice(0, limit);
  }

  marketIds(): Set<string> {
    const out = new Set<string>();
    for (const it of this.items.values()) for (const m of it.marketIds) out.add(m);
    return out;
  }
}
