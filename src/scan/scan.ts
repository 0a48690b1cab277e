// The batch signal processor: claimed strategy rules applied honestly (edges
// after fees at executable prices, verdicts from our own backtests).
// Stage 1, cheap and wide: normalise, dedupe (exact + fuzzy), categorise,
// cluster, and screen candidates on catalog prices. Stage 2, deep and narrow:
// price each candidate at the executable ask of a fresh book, compute the edge
// after fees, rank, and queue at most 10 for review.
import type { CatalogMarket } from '../protocol/gamma.js';
import { buildClusters, eventKey, eventSizes, type Cluster } from './cluster.js';
import { factsOf } from './categorize.js';
import { dedupe, DEFAULT_FUZZY_THRESHOLD, type DedupeResult } from './dedupe.js';
import { normalizeQuestion, type Normalized } from './normalize.js';
import { compactOutput, type ScanOutput, type StopReason } from './output.js';
import { evaluate, rankSignals, reviewQueue, screenCandidates, type BookLookup, type Candidate, type Signal } from './signals.js';
import { defaultStrategies, type StrategySet, type StrategyValidation } from './strategies.js';
import { defaultTaxonomy, type Categorized, type Taxonomy } from './taxonomy.js';

export interface ScanOptions {
  /** Sim or wall time (ms), passed in: hours to resolution, UTC-hour rules and timestamps use it. */
  now: number;
  /** Live book per token; without a fresh book a signal is gated "no fresh book". */
  bookOf?: BookLookup;
  /** Backtest verdicts per strategy id; a strategy without one is "unvalidated". */
  validation?: Readonly<Record<string, StrategyValidation>>;
  taxonomy?: Taxonomy;
  strategies?: StrategySet;
  /** Token-set (Jaccard) similarity for fuzzy dedupe; default 0.9. 1 turns fuzzy dedupe off. */
  fuzzyThreshold?: number;
  /** Offline (a saved dump): without a fresh book, price at the dump's own bestBid/bestAsk/outcomePrices, gated 'dump price'. */
  dumpPrices?: boolean;
  /** Review queue length; default (and most) 10. */
  maxReview?: number;
  /** Stage 1 keeps this many candidates per cluster and strategy; default 2. */
  candidatesPerCluster?: number;
  /** From BatchPlanner.state(): drives next_batch_plan. */
  plan?: { stopReason: StopReason; batchSize: number };
  /** Output budget in characters of JSON; default 3,600 (≈ 900 tokens). */
  budgetChars?: number;
}

export interface Stage1 {
  norms: Normalized[];
  /** Category of every input market (input order). */
  categories: Categorized[];
  dedupe: DedupeResult;
  clusters: Cluster[];
  clusterOfGroup: Int32Array;
  candidates: Candidate[];
}

export interface ScanResult {
  now: number;
  input: number;
  unique: number;
  /** Groups of market ids merged as duplicates (only groups with ≥ 2 members). */
  duplicates: string[][];
  merges: DedupeResult['merges'];
  categories: Categorized[];
  clusters: Cluster[];
  candidates: number;
  /** 1 − candidates / input: how much Stage 1 cut. */
  reduction: number;
  /** Every evaluated signal, ranked. */
  signals: Signal[];
  /** At most maxReview, one per (cluster, strategy). */
  review: Signal[];
  /** Candidates whose fresh ask fell outside the strategy's band. */
  outOfBand: number;
  strategiesVersion: number;
  plan: { stopReason: StopReason; batchSize: number };
}

export function stage1(markets: readonly CatalogMarket[], opts: ScanOptions): Stage1 {
  const taxonomy = opts.taxonomy ?? defaultTaxonomy();
  const strategies = opts.strategies ?? defaultStrategies();
  const n = markets.length;
  const norms: Normalized[] = new Array(n);
  const categories: Categorized[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const m = markets[i]!;
    // Tokens are not kept: the few questions the fuzzy stage compares are normalised again.
    const norm = normalizeQuestion(m.question, false);
    norms[i] = norm;
    categories[i] = taxonomy.categorizeMarket(factsOf(m));
  }
  const sizes = eventSizes(markets);
  // A sub-market is compared only within its event; a standalone question only
  // with questions resolving at the same time ("Knicks vs. Pacers" and "Iran
  // response by Friday?" recur with the same words on other dates).
  const scopeOf = (i: number) => {
    const m = markets[i]!;
    const k = eventKey(m);
    return (sizes.get(k) ?? 1) >= 2 || m.sportsMarketType ? k : `end:${m.endDate ?? '?'}`;
  };
  const dd = dedupe(
    {
      count: n,
      conditionId: (i) => markets[i]!.conditionId,
      scope: scopeOf,
      volume: (i) => markets[i]!.volume,
      key: (i) => norms[i]!.key,
      sig: (i) => norms[i]!.sig,
      tokens: (i) => normalizeQuestion(markets[i]!.question).tokens,
    },
    opts.fuzzyThreshold ?? DEFAULT_FUZZY_THRESHOLD,
  );
  const { clusters, clusterOfGroup } = buildClusters(markets, norms, categories, dd);
  const candidates = screenCandidates(
    markets,
    dd.rep,
    (i) => categories[i]!.category,
    (i) => norms[i]!.folded,
    (i) => clusterOfGroup[dd.groupOf[i]!]!,
    strategies.strategies,
    opts.now,
    Math.max(1, opts.candidatesPerCluster ?? 2),
  );
  return { norms, categories, dedupe: dd, clusters, clusterOfGroup, candidates };
}

export function stage2(markets: readonly CatalogMarket[], s1: Stage1, opts: ScanOptions): ScanResult {
  const strategies = opts.strategies ?? defaultStrategies();
  const signals: Signal[] = [];
  let outOfBand = 0;
  for (const c of s1.candidates) {
    const sig = evaluate(c, markets[c.market]!, s1.categories[c.market]!.category, s1.clusters[c.cluster]!.id, opts.bookOf, opts.validation?.[c.strategy.id], opts.dumpPrices === true);
    if (sig) signals.push(sig);
    else outOfBand++;
  }
  rankSignals(signals);
  const review = reviewQueue(signals, Math.min(10, Math.max(0, opts.maxReview ?? 10)));
  const dd = s1.dedupe;
  return {
    now: opts.now,
    input: markets.length,
    unique: dd.groupCount,
    duplicates: duplicateIds(markets, dd),
    merges: dd.merges,
    categories: s1.categories,
    clusters: s1.clusters,
    candidates: s1.candidates.length,
    reduction: markets.length ? 1 - s1.candidates.length / markets.length : 1,
    signals,
    review,
    outOfBand,
    strategiesVersion: strategies.version,
    plan: opts.plan ?? { stopReason: 'ok', batchSize: 150 },
  };
}

function duplicateIds(markets: readonly CatalogMarket[], dd: DedupeResult): string[][] {
  const out: string[][] = [];
  for (let g = 0; g < dd.groupCount; g++) {
    if (dd.start[g + 1]! - dd.start[g]! < 2) continue;
    out.push(Array.from(dd.members.subarray(dd.start[g]!, dd.start[g + 1]!), (i) => markets[i]!.id));
  }
  return out;
}

/** Stage 1 + Stage 2, full results (for the panes and tests). */
export function scan(markets: readonly CatalogMarket[], opts: ScanOptions): ScanResult {
  return stage2(markets, stage1(markets, opts), opts);
}

/** The compact seed-000 output of a scan result. */
export function toScanOutput(r: ScanResult, budgetChars?: number): ScanOutput {
  const hints: string[] = [];
  const missing = r.review.filter((s) => s.gate === 'no fresh book').length;
  if (missing) hints.push(`books_missing:${missing}`);
  if (r.review.some((s) => s.validation === 'unvalidated')) hints.push('strategy_validation');
  return compactOutput(
    { now: r.now, input: r.input, unique: r.unique, clusters: r.clusters, review: r.review, strategiesVersion: r.strategiesVersion, plan: r.plan, hints },
    budgetChars,
  );
}

/** `polyconsole scan --json`: one batch in, the compact JSON out (≤ 3,600 characters). */
export function runScan(markets: readonly CatalogMarket[], opts: ScanOptions): ScanOutput {
  return toScanOutput(scan(markets, opts), opts.budgetChars);
}
