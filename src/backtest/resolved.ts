// Building ResolvedMarket values from what the venue serves: a decoded Gamma
// market (closed, settled 1/0) plus a /prices-history series. Every refusal is
// a counted reason, never an exception.
import type { HistoryPoint } from '../protocol/clob.js';
import { resolvedOutcomeIndex, type CatalogMarket } from '../protocol/gamma.js';
import { PRICE_SCALE } from '../protocol/units.js';
import { normalizeQuestion } from '../scan/normalize.js';
import { defaultTaxonomy, type Taxonomy } from '../scan/taxonomy.js';
import type { RejectCounts, ResolvedMarket } from './types.js';

export type ResolveReject = 'not closed' | 'not settled 1/0' | 'not binary' | 'no close time' | 'no history';

export function count(rejects: RejectCounts, reason: string, by = 1): void {
  rejects[reason] = (rejects[reason] ?? 0) + by;
}

/** Category and folded question the way the live scan computes them. */
export function classify(question: string, eventTitle: string | undefined, tags: readonly string[] | undefined, taxonomy: Taxonomy = defaultTaxonomy()): { folded: string; category: string } {
  const folded = normalizeQuestion(question, false).folded;
  return { folded, category: taxonomy.categorize(folded, eventTitle, tags).category };
}

/**
 * A resolved market from a Gamma market and a price series of one of its
 * tokens (`historyToken`, YES or NO; NO series are mirrored to YES). Points
 * are sorted and de-duplicated by time (the last value of a second wins).
 */
export function resolvedFromGamma(
  m: CatalogMarket,
  points: readonly HistoryPoint[],
  historyToken: string | undefined,
  taxonomy: Taxonomy = defaultTaxonomy(),
  source: ResolvedMarket['source'] = 'files',
): ResolvedMarket | ResolveReject {
  if (!m.closed) return 'not closed';
  if (m.tokenIds.length !== 2 || m.outcomePrices.length !== 2) return 'not binary';
  const winner = resolvedOutcomeIndex(m);
  if (winner !== 0 && winner !== 1) return 'not settled 1/0';
  const closedMs = m.closedTime ?? m.endDate;
  const endMs = m.endDate ?? m.closedTime;
  if (closedMs === undefined || endMs === undefined) return 'no close time';
  const mirror = historyToken !== undefined && historyToken === m.tokenIds[1];
  const series = toSeries(points, mirror);
  if (!series.t.length) return 'no history';
  const { folded, category } = classify(m.question, m.eventTitle, m.tags, taxonomy);
  return {
    id: m.id,
    eventId: m.eventId ?? `market:${m.id}`,
    question: m.question,
    folded,
    category,
    tokenIds: [m.tokenIds[0]!, m.tokenIds[1]!],
    endMs,
    closedMs,
    winner,
    fee: { rate: m.fee.rate, exponent: m.fee.exponent },
    t: series.t,
    p: series.p,
    volume: m.volume,
    source,
  };
}

/** Sorted, de-duplicated typed arrays from history points (p in 0.0001 units). */
export function toSeries(points: readonly HistoryPoint[], mirror = false): { t: Int32Array; p: Uint16Array } {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t: number[] = [];
  const p: number[] = [];
  for (const x of sorted) {
    const v = mirror ? PRICE_SCALE - x.p : x.p;
    if (t.length && t[t.length - 1] === x.t) p[p.length - 1] = v;
    else (t.push(x.t), p.push(v));
  }
  return { t: Int32Array.from(t), p: Uint16Array.from(p) };
}
