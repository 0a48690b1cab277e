// The ranked signal queue the operator sees: strategy signals from the batch
// scan and arbitrage opportunities, in one shape. Every row says why it is
// there (strategy or relation, edge after fees, depth, confidence, the gate
// that blocks it or "ready").
import type { ArbLeg } from '../arb/types.js';
import type { Signal, Verdict } from '../scan/signals.js';

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
  /** Depth the source saw (arbitrage: executable sets); sizing input, not shown as the size. */
  size?: number;
  /** Normalised OFI of the token (30 s window), when known. */
  ofi?: number;
  /**
   * The confidence column. Strategy rows: the validated win rate's lower
   * bound (0 unvalidated), shown only (the desk's gate reads `priority`);
   * arbitrage: the relation's confidence, which the basket's gate reads;
   * fair-value rows: the side's validated probability; scorer rows: its skill
   * interval's lower end.
   */
  confidence: number;
  /**
   * 'ready', or the gate that blocks it as "<gate>: <reason>". For tradable rows
   * it is the paper desk's own verdict (the `gater`), the same code that executes.
   */
  gate: string;
  /** What executing now would buy (shares / sets) and the sizing arithmetic; set by the gater. */
  exec?: { shares: number; explain: string };
  /** Strategy rows: VALIDATED, REJECTED or UNPROVEN (the backtest's verdict). */
  verdict?: Verdict;
  /** Strategy rows: the belief Kelly may size with, only for a VALIDATED strategy (its Wilson lower bound). */
  p?: number;
  /** Strategy rows: the scan's signal, to re-tier it when the backtest's verdicts arrive. */
  signal?: Signal;
  reasoning: string;
  claimedWinRate?: number;
  validated?: string;
  legs?: ArbLeg[];
  autoTradable: boolean;
  /** Found on screened prices only: never gated as executable until its books are fresh (then the arbitrage loop replaces it). */
  screened?: boolean;
  seenAt: number;
  firstSeen: number;
  /**
   * The learned scorer's read of this market: its verdict always; P(YES) and
   * the difference to the YES mid only while the scorer is VALIDATED and its
   * model is current (set by the scorer loop).
   */
  model?: ModelRead;
  /** Strategy rows: the strategy's weight from its recent validated record and what it does to the ranking (set by the scorer loop). */
  weight?: RankWeight;
}

export interface ModelRead {
  verdict: Verdict;
  /** P(YES) from the model; absent unless VALIDATED and the model is current. */
  p?: number;
  /** The YES mid the model corrected. */
  mid?: number;
  /** Why there is no p (UNPROVEN, expired model, no price). */
  note: string;
}

export interface RankWeight {
  /** Share of the validated strategies' combined recent edge, [0, 1]. */
  weight: number;
  /** The ranking key: priority × (1 + weight). */
  rank: number;
  /** The arithmetic, for the detail view. */
  arithmetic: string;
}

/** What the ranking sorts by: priority scaled up by the strategy's recent validated weight. */
export function rankKey(it: Pick<QueueItem, 'priority' | 'weight'>): number {
  return it.weight ? it.weight.rank : it.priority;
}

export interface GateView {
  gate: string;
  exec?: { shares: number; explain: string };
}

export class SignalQueue {
  private readonly items = new Map<string, QueueItem>();
  /** Bumped whenever the queue's content changes (cheap change detection for the store). */
  version = 0;
  /**
   * Decides a tradable row's gate as it enters and on every refresh: the
   * paper trader's dry run of the very path that executes (set by the paper loop).
   */
  gater: ((item: QueueItem) => GateView) | undefined;

  upsert(item: QueueItem): 'new' | 'changed' | 'same' {
    const prev = this.items.get(item.key);
    if (prev) {
      item.firstSeen = prev.firstSeen;
      // The scorer's annotations hold until its next cycle re-derives them (a rescan must not blank them for a cycle).
      if (!item.model && prev.model) item.model = prev.model;
      if (!item.weight && prev.weight && prev.label === item.label) item.weight = { ...prev.weight, rank: item.priority * (1 + prev.weight.weight) };
    }
    if (this.gater && item.kind !== 'spike' && !item.screened) applyGate(item, this.gater(item));
    this.items.set(item.key, item);
    const verdict = !prev ? 'new' : differs(prev, item) ? 'changed' : 'same';
    if (verdict !== 'same') this.version++;
    return verdict;
  }

  /** Re-decides every tradable row's gate (once per cycle); returns the rows whose gate or size changed. */
  regate(): QueueItem[] {
    const out: QueueItem[] = [];
    if (!this.gater) return out;
    for (const it of this.items.values()) {
      if (it.kind === 'spike' || it.screened) continue;
      const before = { gate: it.gate, shares: it.exec?.shares ?? 0 };
      applyGate(it, this.gater(it));
      // A size that drifts with equity by under 1% is not news (headless lines would repeat every cycle).
      const shares = it.exec?.shares ?? 0;
      if (before.gate !== it.gate || Math.abs(shares - before.shares) > 0.01 * Math.max(shares, before.shares)) out.push(it);
    }
    if (out.length) this.version++;
    return out;
  }

  /** Drops rows of a kind not refreshed since `before`, and rows for closed markets. */
  expire(kind: QueueItem['kind'], before: number, closed: (marketId: string) => boolean = () => false): number {
    let n = 0;
    // Values, not entries: an entry is a fresh [key, item] pair per row per call (rows are keyed by item.key).
    for (const it of this.items.values()) {
      if ((it.kind === kind && it.seenAt < before) || it.marketIds.some(closed)) {
        this.items.delete(it.key);
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

  /**
   * Ranked: ready rows first, then by priority (weighted by the strategy's recent
   * validated record) and edge. With `keep`, only the rows it keeps, in the
   * same relative order (the order is total: the key breaks ties).
   */
  ranked(limit = Infinity, keep?: (it: QueueItem) => boolean): QueueItem[] {
    // The sort keys are read once per row, not once per comparison (a queue holds thousands of rows).
    const rows: Array<{ it: QueueItem; ready: number; rank: number; edge: number }> = [];
    for (const it of this.items.values()) if (!keep || keep(it)) rows.push({ it, ready: it.gate === 'ready' ? 1 : 0, rank: rankKey(it), edge: it.edge ?? -1 });
    rows.sort((a, b) => b.ready - a.ready || b.rank - a.rank || b.edge - a.edge || (a.it.key < b.it.key ? -1 : 1));
    const n = Math.min(limit, rows.length);
    const out: QueueItem[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = rows[i]!.it;
    return out;
  }

  /** Rows in a stable order (by key), for callers that must not depend on the ranking. */
  all(): QueueItem[] {
    return [...this.items.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Rows in no particular order, for callers that visit each row once and do not depend on the order (no copy, no sort). */
  values(): IterableIterator<QueueItem> {
    return this.items.values();
  }

  marketIds(): Set<string> {
    const out = new Set<string>();
    for (const it of this.items.values()) for (const m of it.marketIds) out.add(m);
    return out;
  }
}

function applyGate(item: QueueItem, g: GateView): void {
  item.gate = g.gate;
  if (g.exec) item.exec = g.exec;
  else delete item.exec;
}

function differs(a: QueueItem, b: QueueItem): boolean {
  const sa = a.exec?.shares ?? 0;
  const sb = b.exec?.shares ?? 0;
  return a.gate !== b.gate || a.tier !== b.tier || a.verdict !== b.verdict || Math.abs(sa - sb) > 0.01 * Math.max(sa, sb) || (a.edge === undefined) !== (b.edge === undefined) || Math.abs((a.edge ?? 0) - (b.edge ?? 0)) > 1e-4;
}
