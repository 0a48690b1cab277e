// Clusters of unique questions: by category and venue event when the event
// holds several unique questions (ladders, buckets, races), else by category
// and question template (all "Will the … beat the … on …?" NBA games), so a
// batch of single-market events still folds into a readable list.
import type { CatalogMarket } from '../protocol/gamma.js';
import { sanitize } from '../text/sanitize.js';
import type { DedupeResult } from './dedupe.js';
import type { Normalized } from './normalize.js';
import type { Categorized } from './taxonomy.js';

export interface Cluster {
  /** "C-" + 8 hex digits, stable for the same category and key. */
  id: string;
  category: string;
  /** 'event': one venue event; 'template': single-question events sharing a question shape. */
  kind: 'event' | 'template';
  /** Event title or representative question, sanitised. */
  summary: string;
  /** Most frequent named entities, sanitised, most frequent first. */
  entities: string[];
  /** Every market id in the cluster, duplicates included; representatives first. */
  marketIds: string[];
  /** Unique questions (dedupe groups) in the cluster. */
  unique: number;
  /** Mean categorisation confidence of the unique questions, × 0.9 for template clusters. */
  confidence: number;
  volume: number;
}

export interface Clustering {
  clusters: Cluster[];
  /** Cluster index of each dedupe group. */
  clusterOfGroup: Int32Array;
}

/** FNV-1a, 32 bit. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function clusterId(category: string, key: string): string {
  return `C-${fnv1a(`${category}\u0000${key}`).toString(16).padStart(8, '0')}`;
}

export function buildClusters(
  markets: readonly CatalogMarket[],
  norms: readonly Normalized[],
  cats: readonly Categorized[],
  dd: DedupeResult,
): Clustering {
  const groups = dd.groups;
  const perEvent = new Map<string, number>();
  const eventKey = (g: number) => {
    const m = markets[groups[g]!.rep]!;
    return m.eventId ? `${cats[groups[g]!.rep]!.category}\u0000${m.eventId}` : undefined;
  };
  for (let g = 0; g < groups.length; g++) {
    const k = eventKey(g);
    if (k) perEvent.set(k, (perEvent.get(k) ?? 0) + 1);
  }
  const byKey = new Map<string, number>();
  const members: number[][] = [];
  const clusters: Cluster[] = [];
  const clusterOfGroup = new Int32Array(groups.length);
  for (let g = 0; g < groups.length; g++) {
    const rep = groups[g]!.rep;
    const category = cats[rep]!.category;
    const ek = eventKey(g);
    const isEvent = ek !== undefined && perEvent.get(ek)! >= 2;
    const key = isEvent ? `event:${markets[rep]!.eventId}` : `shape:${norms[rep]!.shape}`;
    const full = `${category}\u0000${key}`;
    let c = byKey.get(full);
    if (c === undefined) {
      c = clusters.length;
      byKey.set(full, c);
      members.push([]);
      clusters.push({ id: clusterId(category, key), category, kind: isEvent ? 'event' : 'template', summary: '', entities: [], marketIds: [], unique: 0, confidence: 0, volume: 0 });
    }
    members[c]!.push(g);
    clusterOfGroup[g] = c;
  }
  for (let c = 0; c < clusters.length; c++) finish(clusters[c]!, members[c]!, markets, norms, cats, dd);
  return { clusters, clusterOfGroup };
}

function finish(cl: Cluster, groupIdx: number[], markets: readonly CatalogMarket[], norms: readonly Normalized[], cats: readonly Categorized[], dd: DedupeResult): void {
  const reps = groupIdx.map((g) => dd.groups[g]!.rep).sort((a, b) => markets[b]!.volume - markets[a]!.volume || a - b);
  const top = markets[reps[0]!]!;
  cl.summary = sanitize(cl.kind === 'event' && top.eventTitle ? top.eventTitle : top.question, 200);
  const ids: string[] = reps.map((i) => markets[i]!.id);
  let volume = 0;
  let conf = 0;
  const counts = new Map<string, number>();
  for (const g of groupIdx) {
    const grp = dd.groups[g]!;
    for (const i of grp.members) {
      volume += markets[i]!.volume;
      if (i !== grp.rep) ids.push(markets[i]!.id);
    }
    conf += cats[grp.rep]!.confidence;
    for (const e of new Set(norms[grp.rep]!.entities)) counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  cl.marketIds = ids;
  cl.unique = groupIdx.length;
  cl.volume = volume;
  cl.confidence = Math.round((conf / groupIdx.length) * (cl.kind === 'event' ? 1 : 0.9) * 100) / 100;
  // Map iteration is insertion order, so ties keep the first-seen entity.
  cl.entities = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([e]) => sanitize(e, 60));
}
