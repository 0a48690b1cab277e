// Plain rows for the clusters and signals panes (store/ snapshots them; the
// components only render). Every string here is already sanitised.
import type { ClusterKind } from './cluster.js';
import type { ScanResult } from './scan.js';
import type { Tier } from './strategies.js';

export interface ClusterRow {
  id: string;
  category: string;
  kind: ClusterKind;
  /** Markets in the cluster, duplicates included. */
  count: number;
  unique: number;
  summary: string;
  entities: string[];
  confidence: number;
  volume: number;
}

export interface SignalRow {
  rank: number;
  tier: Tier;
  priority: number;
  strategy: string;
  marketId: string;
  clusterId: string;
  question: string;
  /** "BUY No". */
  side: string;
  /** Executable ask (probability units), undefined when gated. */
  entry: number | undefined;
  /** Wilson LB − c per share for a VALIDATED strategy; undefined otherwise or when gated. */
  edge: number | undefined;
  verdict: 'VALIDATED' | 'REJECTED' | 'UNPROVEN';
  claimedWinRate: number;
  /** "unvalidated", or the backtest's figures. */
  validated: 'unvalidated' | { winRate: number; winRateLower: number; n: number; passed: boolean };
  /** 'ready' or the gate ("no fresh book"). */
  gate: string;
  reasoning: string;
  inReview: boolean;
}

/** Clusters, most markets first. */
export function clusterRows(r: ScanResult, limit = Infinity): ClusterRow[] {
  return [...r.clusters]
    .sort((a, b) => b.marketIds.length - a.marketIds.length || b.volume - a.volume || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
    .map((c) => ({
      id: c.id,
      category: c.category,
      kind: c.kind,
      count: c.marketIds.length,
      unique: c.unique,
      summary: c.summary,
      entities: c.entities,
      confidence: c.confidence,
      volume: c.volume,
    }));
}

/** Ranked signals; with reviewOnly, just the review queue. */
export function signalRows(r: ScanResult, opts: { reviewOnly?: boolean; limit?: number } = {}): SignalRow[] {
  const review = new Set(r.review);
  const list = opts.reviewOnly ? r.review : r.signals;
  return list.slice(0, opts.limit ?? Infinity).map((s) => ({
    rank: s.rank,
    tier: s.tier,
    priority: s.priority,
    strategy: s.strategy,
    marketId: s.marketId,
    clusterId: s.clusterId,
    question: s.question,
    side: `${s.side} ${s.outcomeLabel}`,
    entry: s.entry,
    edge: s.edge,
    verdict: s.verdict,
    claimedWinRate: s.claimedWinRate,
    validated: s.validation === 'unvalidated' ? 'unvalidated' : { winRate: s.validation.winRate, winRateLower: s.validation.winRateLower, n: s.validation.n, passed: s.validation.passed },
    gate: s.gate,
    reasoning: s.reasoning,
    inReview: review.has(s),
  }));
}

/** Category counts over all markets of the batch, largest first. */
export function categoryCounts(r: ScanResult): { category: string; count: number }[] {
  const m = new Map<string, number>();
  for (const c of r.categories) m.set(c.category, (m.get(c.category) ?? 0) + 1);
  return [...m].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
}
