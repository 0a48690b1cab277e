// The compact batch output (dedupe_summary, clusters, review_queue,
// next_batch_plan) that an assistant or a script reads between batches, held to ≤ 900 tokens (3,600 characters of JSON) however
// large the batch. Lists are capped, and a capped list ends with "+N more" so
// the counts stay honest; texts shrink level by level until the JSON fits;
// review items that still do not fit are deferred and counted in
// next_batch_plan.what_to_include_next_pass ("review_deferred:N").
import { z } from 'zod';
import { sanitize } from '../text/sanitize.js';
import type { Cluster } from './cluster.js';
import type { Signal } from './signals.js';

export const SCAN_OUTPUT_MAX_CHARS = 3600;
export type StopReason = 'ok' | 'rate_limit_risk';

const moreMarker = /^\+\d+ more$/;
const cappedList = z.array(z.string()).refine((xs) => xs.every((x, i) => !moreMarker.test(x) || i === xs.length - 1), '"+N more" only last');

export const scanOutputSchema = z
  .object({
    dedupe_summary: z.object({ input_items: z.number().int().min(0), unique_items: z.number().int().min(0), clusters: z.number().int().min(0) }).strict(),
    clusters: z.array(
      z
        .object({
          cluster_id: z.string().regex(/^C-[0-9a-f]{8}$/),
          event_type: z.string().min(1),
          entities: cappedList,
          timestamp_utc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
          canonical_summary: z.string(),
          supporting_ids: cappedList,
          confidence: z.number().min(0).max(1),
        })
        .strict(),
    ),
    review_queue: z
      .array(
        z
          .object({
            pair_id: z.string().min(1),
            market_id: z.string().min(1),
            cluster_id: z.string().regex(/^C-[0-9a-f]{8}$/),
            priority: z.number().min(0).max(1),
            analysis_question: z.string(),
            cache_key: z.string().min(1),
            reasoning: z.string(),
          })
          .strict(),
      )
      .max(10),
    next_batch_plan: z
      .object({
        stop_reason: z.enum(['ok', 'rate_limit_risk']),
        recommended_batch_size: z.number().int().min(50).max(300),
        recommended_ordering: z.string(),
        what_to_include_next_pass: z.array(z.string()),
        dedupe_on: z.array(z.string()),
      })
      .strict(),
  })
  .strict()
  .refine((o) => JSON.stringify(o).length <= SCAN_OUTPUT_MAX_CHARS, `over the 900-token budget (${SCAN_OUTPUT_MAX_CHARS} characters of JSON)`);

export type ScanOutput = z.output<typeof scanOutputSchema>;

export interface OutputInput {
  now: number;
  input: number;
  unique: number;
  clusters: readonly Cluster[];
  review: readonly Signal[];
  strategiesVersion: number;
  plan: { stopReason: StopReason; batchSize: number };
  /** Extra "what to include next pass" hints (books missing, validation wanted). */
  hints: readonly string[];
}

interface Level {
  clusters: number;
  list: number;
  summary: number;
  question: number;
}

// Reasoning is never cut (it is built short and carries the edge); the other
// texts and the cluster list shrink first, then review items are deferred.
const LEVELS: Level[] = [
  { clusters: 6, list: 3, summary: 96, question: 96 },
  { clusters: 4, list: 3, summary: 72, question: 72 },
  { clusters: 3, list: 2, summary: 60, question: 60 },
  { clusters: 2, list: 2, summary: 48, question: 48 },
  { clusters: 1, list: 2, summary: 48, question: 40 },
];

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function capped(xs: readonly string[], n: number, max = 64): string[] {
  const head = xs.slice(0, n).map((x) => sanitize(x, max));
  return xs.length > n ? [...head, `+${xs.length - n} more`] : head;
}

/** Builds the compact output that fits `budget` characters. */
export function compactOutput(r: OutputInput, budget = SCAN_OUTPUT_MAX_CHARS): ScanOutput {
  for (const level of LEVELS) {
    const out = build(r, level, r.review.length, level.clusters);
    if (JSON.stringify(out).length <= budget) return out;
  }
  const last = LEVELS[LEVELS.length - 1]!;
  for (let n = r.review.length - 1; n >= 0; n--) {
    const out = build(r, last, n, last.clusters);
    if (JSON.stringify(out).length <= budget) return out;
  }
  // Only reachable with absurd ids or a tiny budget: counts and plan alone.
  return build(r, last, 0, 0);
}

function build(r: OutputInput, lv: Level, nReview: number, nClusters: number): ScanOutput {
  const ts = isoSeconds(r.now);
  const review = r.review.slice(0, nReview);
  // Clusters the queue points at come first, then the largest.
  const byId = new Map(r.clusters.map((c) => [c.id, c]));
  const listed: Cluster[] = [];
  const seen = new Set<string>();
  const add = (c: Cluster | undefined) => {
    if (c && !seen.has(c.id) && listed.length < nClusters) {
      seen.add(c.id);
      listed.push(c);
    }
  };
  for (const s of review) add(byId.get(s.clusterId));
  for (const c of largest(r.clusters, nClusters)) add(c);
  const deferred = r.review.length - nReview;
  return {
    dedupe_summary: { input_items: r.input, unique_items: r.unique, clusters: r.clusters.length },
    clusters: listed.map((c) => ({
      cluster_id: c.id,
      event_type: c.category,
      entities: capped(c.entities, lv.list, 40),
      timestamp_utc: ts,
      canonical_summary: sanitize(c.summary, lv.summary),
      supporting_ids: capped(c.marketIds, lv.list),
      confidence: c.confidence,
    })),
    review_queue: review.map((s) => {
      const pair = `${s.clusterId}|${s.strategy}`;
      return {
        pair_id: pair,
        market_id: sanitize(s.marketId, 64),
        cluster_id: s.clusterId,
        priority: s.priority,
        analysis_question: sanitize(`BUY ${s.outcomeLabel}: ${s.question}`, lv.question),
        cache_key: `${pair}|${sanitize(s.marketId, 64)}|v${r.strategiesVersion}`,
        reasoning: sanitize(s.reasoning, 160),
      };
    }),
    next_batch_plan: {
      stop_reason: r.plan.stopReason,
      recommended_batch_size: Math.min(300, Math.max(50, Math.round(r.plan.batchSize))),
      recommended_ordering: 'highest priority first',
      what_to_include_next_pass: ['book.best_ask', 'market.fee_schedule', ...r.hints, ...(deferred > 0 ? [`review_deferred:${deferred}`] : [])],
      dedupe_on: ['cache_key', 'market_id', 'question'],
    },
  };
}

/** The n clusters with most markets (ties: higher volume, then id). */
function largest(clusters: readonly Cluster[], n: number): Cluster[] {
  if (n <= 0) return [];
  const top: Cluster[] = [];
  for (const c of clusters) {
    top.push(c);
    if (top.length > n * 4) {
      top.sort(byBig);
      top.length = n;
    }
  }
  return top.sort(byBig).slice(0, n);
}

function byBig(a: Cluster, b: Cluster): number {
  return b.marketIds.length - a.marketIds.length || b.volume - a.volume || (a.id < b.id ? -1 : 1);
}
