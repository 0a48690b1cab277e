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
  /** Every market id in the cluster, duplicates included; representatives first (in batch order). */
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
  const G = dd.groupCount;
  // Unique questions per (category, event): an event with one is clustered by template instead.
  const eventKeys: (string | undefined)[] = new Array(G);
  const perEvent = new Map<string, number>();
  for (let g = 0; g < G; g++) {
    const rep = dd.rep[g]!;
    const ev = markets[rep]!.eventId;
    const k = ev ? `${cats[rep]!.category}\u0000event:${ev}` : undefined;
    eventKeys[g] = k;
    if (k) perEvent.set(k, (perEvent.get(k) ?? 0) + 1);
  }
  const byKey = new Map<string, number>();
  const groupsOf: number[][] = [];
  const clusters: Cluster[] = [];
  const clusterOfGroup = new Int32Array(G);
  for (let g = 0; g < G; g++) {
    const rep = dd.rep[g]!;
    const category = cats[rep]!.category;
    const ek = eventKeys[g];
    const isEvent = ek !== undefined && perEvent.get(ek)! >= 2;
    const full = isEvent ? ek : `${category}\u0000shape:${norms[rep]!.shape}`;
    let c = byKey.get(full);
    if (c === undefined) {
      c = clusters.length;
      byKey.set(full, c);
      groupsOf.push([]);
      clusters.push({ id: clusterId(category, full.slice(category.length + 1)), category, kind: isEvent ? 'event' : 'template', summary: '', entities: [], marketIds: [], unique: 0, confidence: 0, volume: 0 });
    }
    groupsOf[c]!.push(g);
    clusterOfGroup[g] = c;
  }
  for (let c = 0; c < clusters.length; c++) finish(clusters[c]!, groupsOf[c]!, markets, norms, cats, dd);
  return { clusters, clusterOfGroup };
}

function finish(cl: Cluster, groups: number[], markets: readonly CatalogMarket[], norms: readonly Normalized[], cats: readonly Categorized[], dd: DedupeResult): void {
  let top = dd.rep[groups[0]!]!;
  let volume = 0;
  let conf = 0;
  const counts = new Map<string, number>();
  const reps: string[] = [];
  const dups: string[] = [];
  for (const g of groups) {
    const rep = dd.rep[g]!;
    if (markets[rep]!.volume > markets[top]!.volume) top = rep;
    reps.push(markets[rep]!.id);
    for (let k = dd.start[g]!; k < dd.start[g + 1]!; k++) {
      const i = dd.members[k]!;
      volume += markets[i]!.volume;
      if (i !== rep) dups.push(markets[i]!.id);
    }
    conf += cats[rep]!.confidence;
    const ents = norms[rep]!.entities;
    for (let e = 0; e < ents.length; e++) if (ents.indexOf(ents[e]!) === e) counts.set(ents[e]!, (counts.get(ents[e]!) ?? 0) + 1);
  }
  const m = markets[top]!;
  cl.summary = sanitize(cl.kind === 'event' && m.eventTitle ? m.eventTitle : m.question, 200);
  cl.marketIds = dups.length ? reps.concat(dups) : reps;
  cl.unique = groups.length;
  cl.volume = volume;
  cl.confidence = Math.round((conf / groups.length) * (cl.kind === 'event' ? 1 : 0.9) * 100) / 100;
  // Map iteration is insertion order, so ties keep the first-seen entity.
  cl.entities = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([e]) => sanitize(e, 60));
}
