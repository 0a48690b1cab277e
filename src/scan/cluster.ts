// Clusters, events first. The venue's event is the true grouping: every
// market of one Gamma event is one cluster, summarised by the event title.
// Markets alone in their event (in this batch) are joined across events only
// by a rule that can be stated, each with its confidence:
//   series  — the events belong to the same Gamma series ("nba", "btc-up-or-down-15m"): 0.9
//   ladder  — same category, same named entities (in any order) and the same
//             question with only numbers and dates different ("Will Bitcoin
//             reach $X by D?", "Jets vs. Blues" on other days): 0.8
// Anything else is a cluster of its own ('single', 1). Question shape alone
// never joins markets: it put SAG, BAFTA and Oscar markets together.
import type { CatalogMarket } from '../protocol/gamma.js';
import { sanitize } from '../text/sanitize.js';
import type { DedupeResult } from './dedupe.js';
import type { Normalized } from './normalize.js';
import type { Categorized } from './taxonomy.js';
import { deepFreeze } from '../frozen.js';

export type ClusterKind = 'event' | 'series' | 'ladder' | 'single';

/** The rule of each kind, as printed by `polyconsole clusters`. */
export const CLUSTER_RULES: Record<ClusterKind, { rule: string; confidence: number }> = deepFreeze({
  event: { rule: 'one Gamma event', confidence: 1 },
  series: { rule: 'single-market events of one Gamma series', confidence: 0.9 },
  ladder: { rule: 'single-market events, same category and named entities, question differing only in numbers, dates and the order of the names', confidence: 0.8 },
  single: { rule: 'a market alone', confidence: 1 },
});

export interface Cluster {
  /** "C-" + 8 hex digits, stable for the same category and key. */
  id: string;
  category: string;
  kind: ClusterKind;
  /** Event title, series, or representative question; sanitised. */
  summary: string;
  /** Most frequent named entities, sanitised, most frequent first. */
  entities: string[];
  /** Every market id in the cluster, duplicates included; representatives first (in batch order). */
  marketIds: string[];
  /** Unique questions (dedupe groups) in the cluster. */
  unique: number;
  /** The rule's confidence (CLUSTER_RULES). */
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

/** The event of a market, or the market itself when Gamma gave none. */
export function eventKey(m: Pick<CatalogMarket, 'id' | 'eventId'>): string {
  return m.eventId ? `e:${m.eventId}` : `m:${m.id}`;
}

/** How many markets of the batch each event holds. */
export function eventSizes(markets: readonly Pick<CatalogMarket, 'id' | 'eventId'>[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const m of markets) {
    const k = eventKey(m);
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return n;
}

/** The cluster key of one market: its event, its series, its ladder, or itself. */
export function clusterKeyOf(m: CatalogMarket, norm: Normalized, category: string, sizes: ReadonlyMap<string, number>): { kind: ClusterKind; key: string } {
  const ev = eventKey(m);
  if ((sizes.get(ev) ?? 1) >= 2) return { kind: 'event', key: ev };
  if (m.seriesSlug) return { kind: 'series', key: `s:${m.seriesSlug.toLowerCase()}` };
  // A ladder needs a name to be about: without entities, equal shapes are just common phrasing.
  if (norm.entities.length) return { kind: 'ladder', key: `l:${category}\u0000${norm.shape}\u0000${[...new Set(norm.entities)].sort().join('|')}` };
  return { kind: 'single', key: ev };
}

export function buildClusters(
  markets: readonly CatalogMarket[],
  norms: readonly Normalized[],
  cats: readonly Categorized[],
  dd: DedupeResult,
): Clustering {
  const G = dd.groupCount;
  const sizes = eventSizes(markets);
  const byKey = new Map<string, number>();
  const groupsOf: number[][] = [];
  const clusters: Cluster[] = [];
  const clusterOfGroup = new Int32Array(G);
  for (let g = 0; g < G; g++) {
    const rep = dd.rep[g]!;
    const category = cats[rep]!.category;
    const { kind, key } = clusterKeyOf(markets[rep]!, norms[rep]!, category, sizes);
    let c = byKey.get(key);
    if (c === undefined) {
      c = clusters.length;
      byKey.set(key, c);
      groupsOf.push([]);
      clusters.push({ id: clusterId(kind === 'event' || kind === 'single' ? '' : category, key), category, kind, summary: '', entities: [], marketIds: [], unique: 0, confidence: CLUSTER_RULES[kind].confidence, volume: 0 });
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
  const counts = new Map<string, number>();
  const catCount = new Map<string, number>();
  const reps: string[] = [];
  const dups: string[] = [];
  for (const g of groups) {
    const rep = dd.rep[g]!;
    if (markets[rep]!.volume > markets[top]!.volume) top = rep;
    reps.push(markets[rep]!.id);
    catCount.set(cats[rep]!.category, (catCount.get(cats[rep]!.category) ?? 0) + 1);
    for (let k = dd.start[g]!; k < dd.start[g + 1]!; k++) {
      const i = dd.members[k]!;
      volume += markets[i]!.volume;
      if (i !== rep) dups.push(markets[i]!.id);
    }
    const ents = norms[rep]!.entities;
    for (let e = 0; e < ents.length; e++) if (ents.indexOf(ents[e]!) === e) counts.set(ents[e]!, (counts.get(ents[e]!) ?? 0) + 1);
  }
  const m = markets[top]!;
  // An event's markets may be categorised apart (a sub-market read alone): the cluster takes the majority.
  if (cl.kind === 'event') cl.category = [...catCount].sort((a, b) => b[1] - a[1])[0]![0];
  const n = groups.length;
  // A series or ladder of one question is just that question.
  if ((cl.kind === 'series' || cl.kind === 'ladder') && n === 1) {
    cl.kind = 'single';
    cl.confidence = CLUSTER_RULES.single.confidence;
  }
  cl.summary = sanitize(
    cl.kind === 'event' && m.eventTitle
      ? m.eventTitle
      : cl.kind === 'series'
        ? `${m.seriesSlug ?? ''}: ${n} event${n === 1 ? '' : 's'}, e.g. ${m.eventTitle ?? m.question}`
        : cl.kind === 'ladder' && n > 1
          ? `${n} rungs, e.g. ${m.question}`
          : m.question,
    200,
  );
  cl.marketIds = dups.length ? reps.concat(dups) : reps;
  cl.unique = n;
  cl.volume = volume;
  cl.entities = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([e]) => sanitize(e, 60));
}
