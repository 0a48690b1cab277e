// Stage 1 screen (catalog prices, cheap) and Stage 2 evaluation (live books).
// Stage 1 keeps, per cluster and strategy, the few unique markets whose catalog
// price passes the strategy's entry rules; Stage 2 prices them at the
// executable ask of a fresh book and ranks them by the evidence.
import type { OrderBook } from '../book/order-book.js';
import type { CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { sanitize } from '../text/sanitize.js';
import { allInCost, feePerShare, priorityOf, tierOf, type Strategy, type StrategyValidation, type Tier } from './strategies.js';

/** What Stage 2 reads from a book (the engine's OrderBook, or the simulator's own in benches and tests). */
export type ScanBook = Pick<OrderBook, 'state' | 'bestAsk' | 'bestAskSize'>;
export type BookLookup = (tokenId: string) => ScanBook | undefined;

export interface Candidate {
  market: number;
  strategy: Strategy;
  cluster: number;
  hoursToResolution: number;
  /** Catalog (mid) price of the outcome bought, when the catalog has one. */
  catalogPrice: number | undefined;
}

export interface Signal {
  /** 1-based position in the ranked list. */
  rank: number;
  strategy: string;
  marketId: string;
  conditionId: string;
  /** Sanitised question. */
  question: string;
  category: string;
  clusterId: string;
  side: 'BUY';
  outcome: 'YES' | 'NO';
  /** The market's own outcome label ("No", "Down"), sanitised. */
  outcomeLabel: string;
  tokenId: string;
  hoursToResolution: number;
  /** Executable best ask of a fresh book (probability units); undefined when gated. With dump prices, the dump's ask (gated 'dump price'). */
  entry: number | undefined;
  /** Where entry came from: a fresh book, or the saved dump's own bestBid/bestAsk/outcomePrices (offline; never acted on). */
  priceSource?: 'book' | 'dump';
  askSize: number | undefined;
  feePerShare: number | undefined;
  /** All-in cost per share c = entry + fee. */
  cost: number | undefined;
  claimedWinRate: number;
  /** The seed's own "edge" figure (win rate − 0.50), shown only for contrast. */
  claimedEdge: number;
  /**
   * Edge per share after fees the engine acts on: the Wilson lower bound − c,
   * only for a VALIDATED strategy; undefined for UNPROVEN and REJECTED ones
   * (and when there is no price). The claimed win rate never becomes an edge.
   */
  edge: number | undefined;
  /** VALIDATED (backtest passed), REJECTED (backtest failed) or UNPROVEN (no backtest). */
  verdict: Verdict;
  validation: StrategyValidation | 'unvalidated';
  /** Wilson lower bound − c, when a backtest exists. */
  validatedEdge: number | undefined;
  priority: number;
  tier: Tier;
  /** 'ready', or why the signal cannot be acted on ("no fresh book"). */
  gate: string;
  reasoning: string;
  volume: number;
}

export type Verdict = 'VALIDATED' | 'REJECTED' | 'UNPROVEN';

export function verdictOfValidation(v: StrategyValidation | 'unvalidated' | undefined): Verdict {
  return v === undefined || v === 'unvalidated' ? 'UNPROVEN' : v.passed ? 'VALIDATED' : 'REJECTED';
}

const HOUR_MS = 3_600_000;
/** Stage 1 compares catalog mids to the band with this much slack: the ask is found in Stage 2. */
export const SCREEN_SLACK = 0.05;

export function screenCandidates(
  markets: readonly CatalogMarket[],
  reps: ArrayLike<number>,
  categoryOf: (market: number) => string,
  foldedOf: (market: number) => string,
  clusterOfRep: (market: number) => number,
  strategies: readonly Strategy[],
  now: number,
  perCluster: number,
): Candidate[] {
  const byCategory = new Map<string, Strategy[]>();
  for (const s of strategies) byCategory.set(s.category, [...(byCategory.get(s.category) ?? []), s]);
  const utcHour = new Date(now).getUTCHours();
  const kept = new Map<string, Candidate[]>();
  for (let r = 0; r < reps.length; r++) {
    const i = reps[r]!;
    const list = byCategory.get(categoryOf(i));
    if (!list) continue;
    const m = markets[i]!;
    if (m.closed || m.endDate === undefined) continue;
    const hours = (m.endDate - now) / HOUR_MS;
    for (const s of list) {
      const e = s.entry;
      if (hours < e.hoursToResolution[0] || hours > e.hoursToResolution[1]) continue;
      if (!m.tokenIds[s.outcomeIndex]) continue;
      if (e.utcHours && !inHours(utcHour, e.utcHours)) continue;
      if (s.pattern && !s.pattern.test(foldedOf(i))) continue;
      const mid = m.outcomePrices.length >= 2 ? m.outcomePrices[s.outcomeIndex]! / PRICE_SCALE : undefined;
      if (mid !== undefined && (mid < e.priceBand[0] - SCREEN_SLACK || mid > e.priceBand[1] + SCREEN_SLACK)) continue;
      const cluster = clusterOfRep(i);
      const key = `${cluster}|${s.id}`;
      const c: Candidate = { market: i, strategy: s, cluster, hoursToResolution: hours, catalogPrice: mid };
      const arr = kept.get(key);
      if (!arr) kept.set(key, [c]);
      else {
        arr.push(c);
        arr.sort((a, b) => screenScore(markets, b) - screenScore(markets, a) || a.market - b.market);
        if (arr.length > perCluster) arr.pop();
      }
    }
  }
  const lists = [...kept.values()];
  const total = lists.reduce((n, l) => n + l.length, 0);
  // Stage 1 must cut the batch by 90%: keep at most max(10, 10%) candidates —
  // every (cluster, strategy)'s best before any second-best, so the review
  // queue (one per pair) can still fill.
  const cap = Math.max(10, Math.floor(markets.length * MAX_CANDIDATE_SHARE));
  if (total <= cap) return lists.flat();
  const ranked: { c: Candidate; tier: number; score: number }[] = [];
  for (const l of lists) l.forEach((c, tier) => ranked.push({ c, tier, score: screenScore(markets, c) }));
  ranked.sort((a, b) => a.tier - b.tier || b.score - a.score || a.c.market - b.c.market);
  return ranked.slice(0, cap).map((x) => x.c);
}

/** Stage 1 keeps at most this share of the batch (and never fewer than 10). */
export const MAX_CANDIDATE_SHARE = 0.1;

function inHours(h: number, [from, to]: readonly [number, number]): boolean {
  return from <= to ? h >= from && h < to : h >= from || h < to;
}

/** Claimed edge at the catalog price (unknown price: the band's middle). */
export function screenScore(markets: readonly CatalogMarket[], c: Candidate): number {
  const band = c.strategy.entry.priceBand;
  const p = c.catalogPrice ?? (band[0] + band[1]) / 2;
  return c.strategy.claimed.winRate - allInCost(Math.min(Math.max(p, 0.0001), 0.9999), markets[c.market]!.fee);
}

/**
 * The ask of outcome `idx` as the saved dump states it: YES's ask is bestAsk,
 * NO's is 1 − bestBid (a binary book mirrored); without those, the outcome's
 * listed price (a mid, said so).
 */
export function dumpAskOf(m: Pick<CatalogMarket, 'bestBid' | 'bestAsk' | 'outcomePrices' | 'outcomes'>, idx: number): { ask: number; from: string } | undefined {
  const binary = m.outcomePrices.length === 2 || m.outcomes.length === 2;
  if (idx === 0 && m.bestAsk !== undefined && m.bestAsk > 0) return { ask: m.bestAsk / PRICE_SCALE, from: 'dump bestAsk' };
  if (idx === 1 && binary && m.bestBid !== undefined && m.bestBid > 0) return { ask: 1 - m.bestBid / PRICE_SCALE, from: 'dump 1 - bestBid' };
  const p = m.outcomePrices[idx];
  if (p !== undefined && p > 0 && p < PRICE_SCALE) return { ask: p / PRICE_SCALE, from: 'dump outcomePrices (mid)' };
  return undefined;
}

/**
 * Prices a candidate at the executable ask. Returns undefined when a fresh ask
 * lies outside the strategy's band (the entry rule is not met); a missing or
 * non-fresh book gives a gated signal with no price.
 */
export function evaluate(
  c: Candidate,
  m: CatalogMarket,
  category: string,
  clusterIdOf: string,
  bookOf: BookLookup | undefined,
  validation: StrategyValidation | undefined,
  dumpPrices = false,
): Signal | undefined {
  const s = c.strategy;
  const tokenId = m.tokenIds[s.outcomeIndex]!;
  const book = bookOf?.(tokenId);
  let gate = 'ready';
  let detail = '';
  let entry: number | undefined;
  let askSize: number | undefined;
  let priceSource: Signal['priceSource'];
  const dumpAsk = dumpPrices && (!book || book.state !== 'fresh') ? dumpAskOf(m, s.outcomeIndex) : undefined;
  if (dumpAsk !== undefined) {
    // Offline: the saved dump's own price, said so, and gated so nothing acts on it.
    gate = 'dump price';
    detail = dumpAsk.from;
    entry = dumpAsk.ask;
    priceSource = 'dump';
    if (entry < s.entry.priceBand[0] || entry > s.entry.priceBand[1]) return undefined;
  } else if (!book || book.state !== 'fresh') {
    gate = 'no fresh book';
    detail = book ? `book ${book.state}` : 'no book';
  } else if (book.bestAsk === undefined) {
    gate = 'no ask';
    detail = 'ask side empty';
  } else {
    entry = book.bestAsk / PRICE_SCALE;
    askSize = book.bestAskSize;
    priceSource = 'book';
    if (entry < s.entry.priceBand[0] || entry > s.entry.priceBand[1]) return undefined;
  }
  const fee = entry !== undefined ? feePerShare(entry, m.fee) : undefined;
  const cost = entry !== undefined ? entry + fee! : undefined;
  const pr = priorityOf({ claimedWinRate: s.claimed.winRate, validation, cost });
  const tier = tierOf(pr.priority);
  const label = sanitize(m.outcomes[s.outcomeIndex] ?? s.outcome, 12) || s.outcome;
  const sig: Signal = {
    rank: 0,
    strategy: s.id,
    marketId: m.id,
    conditionId: m.conditionId,
    question: sanitize(m.question, 200),
    category,
    clusterId: clusterIdOf,
    side: 'BUY',
    outcome: s.outcome,
    outcomeLabel: label,
    tokenId,
    hoursToResolution: c.hoursToResolution,
    entry,
    ...(priceSource ? { priceSource } : {}),
    askSize,
    feePerShare: fee,
    cost,
    claimedWinRate: s.claimed.winRate,
    claimedEdge: s.claimed.edge,
    edge: validation?.passed && cost !== undefined ? validation.winRateLower - cost : undefined,
    verdict: verdictOfValidation(validation),
    validation: validation ?? 'unvalidated',
    validatedEdge: validation && cost !== undefined ? validation.winRateLower - cost : undefined,
    priority: pr.priority,
    tier,
    gate,
    reasoning: '',
    volume: m.volume,
  };
  sig.reasoning = reasoningOf(sig, detail, pr.cap);
  return sig;
}

const f4 = (x: number) => x.toFixed(4);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;

/**
 * One line a reviewer can check by hand (≤ ~120 characters): ask, fee, all-in
 * cost c, the win rate q used and where it comes from, edge = q − c per share,
 * the tier and what capped it.
 */
export function reasoningOf(s: Signal, detail = '', cap = ''): string {
  const v = s.validation;
  // Only a validated lower bound is an edge; otherwise the verdict, and the claim labelled as such.
  const evidence =
    v === 'unvalidated'
      ? `UNPROVEN: no backtest (claimed q ${s.claimedWinRate.toFixed(3)})`
      : `q ${v.winRateLower.toFixed(3)} Wilson LB n=${v.n}${v.passed ? ' VALIDATED' : ' REJECTED'} (claimed ${s.claimedWinRate.toFixed(3)})`;
  const why = cap ? ` (${cap})` : '';
  if (s.cost === undefined) return sanitize(`${s.gate}${detail ? ` (${detail})` : ''}: no entry price; ${evidence}; ${s.tier}`, 160);
  const edge = s.verdict === 'VALIDATED' ? `edge LB-c ${signed(s.edge!)}/sh` : `no edge (${s.verdict})`;
  const src = s.priceSource === 'dump' ? `[${detail || 'dump price'}, not a live book] ` : '';
  return sanitize(`${src}BUY ${s.outcomeLabel} @${f4(s.entry!)} +fee ${f4(s.feePerShare!)} = c ${f4(s.cost)}; ${evidence}; ${edge}; ${s.tier}${why}`, 160);
}

/** Ready signals first, then priority, edge, volume; ranks assigned in place. */
export function rankSignals(signals: Signal[]): Signal[] {
  signals.sort(
    (a, b) =>
      Number(b.gate === 'ready') - Number(a.gate === 'ready') ||
      b.priority - a.priority ||
      (b.edge ?? -Infinity) - (a.edge ?? -Infinity) ||
      b.volume - a.volume ||
      (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0),
  );
  signals.forEach((s, i) => (s.rank = i + 1));
  return signals;
}

/** The review queue: best signal per (cluster, strategy) — correlated buckets are one bet — at most `max`. */
export function reviewQueue(ranked: readonly Signal[], max: number): Signal[] {
  const out: Signal[] = [];
  const seen = new Set<string>();
  for (const s of ranked) {
    if (out.length >= max) break;
    const k = `${s.clusterId}|${s.strategy}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}
