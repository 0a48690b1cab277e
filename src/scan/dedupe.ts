// Exact and fuzzy dedupe. Exact: same condition id, or the same normalised
// key. Fuzzy: token-set (Jaccard) similarity ≥ threshold with identical
// signatures (numbers, dates, entities, critical words — normalize.ts).
//
// Fuzzy pairs are found with prefix filtering (Bayardo et al., "Scaling up all
// pairs similarity search", WWW 2007): tokens are ordered rarest first, and two
// sets with Jaccard ≥ t must share a token among the first |A| − ⌈t·|A|⌉ + 1 of
// each. Only those prefix tokens are indexed, so each question is compared with
// the few earlier questions sharing one of its rarest tokens — never all pairs.
import type { Normalized } from './normalize.js';

export interface DedupeItem {
  conditionId: string;
  volume: number;
  norm: Normalized;
}

export interface DedupeGroup {
  /** Index of the representative (highest volume, then first seen). */
  rep: number;
  /** All member indices, representative included, ascending. */
  members: number[];
}

export interface DedupeResult {
  groups: DedupeGroup[];
  /** Group index of every input item. */
  groupOf: Int32Array;
  /** How many merges each rule made (a merge joins two groups). */
  merges: { conditionId: number; exact: number; fuzzy: number };
  /** Similarity checks run by the fuzzy stage (for the bench: grows ~linearly, not n²). */
  comparisons: number;
}

export const DEFAULT_FUZZY_THRESHOLD = 0.9;

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]!]!;
      i = p[i]!;
    }
    return i;
  }
  /** True when a and b were in different sets. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

export function dedupe(items: readonly DedupeItem[], threshold = DEFAULT_FUZZY_THRESHOLD): DedupeResult {
  const n = items.length;
  const uf = new UnionFind(n);
  const merges = { conditionId: 0, exact: 0, fuzzy: 0 };
  const byCondition = new Map<string, number>();
  const byKey = new Map<string, number>();
  const keyReps: number[] = [];
  for (let i = 0; i < n; i++) {
    const it = items[i]!;
    if (it.conditionId) {
      const j = byCondition.get(it.conditionId);
      if (j === undefined) byCondition.set(it.conditionId, i);
      else if (uf.union(j, i)) merges.conditionId++;
    }
    const j = byKey.get(it.norm.key);
    if (j === undefined) {
      byKey.set(it.norm.key, i);
      keyReps.push(i);
    } else if (uf.union(j, i)) merges.exact++;
  }
  const comparisons = threshold < 1 ? fuzzy(items, keyReps, threshold, uf, merges) : 0;

  const groupOf = new Int32Array(n).fill(-1);
  const groups: DedupeGroup[] = [];
  const rootGroup = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    let g = rootGroup.get(r);
    if (g === undefined) {
      g = groups.length;
      rootGroup.set(r, g);
      groups.push({ rep: i, members: [] });
    }
    const grp = groups[g]!;
    grp.members.push(i);
    if (items[i]!.volume > items[grp.rep]!.volume) grp.rep = i;
    groupOf[i] = g;
  }
  return { groups, groupOf, merges, comparisons };
}

function fuzzy(items: readonly DedupeItem[], reps: readonly number[], t: number, uf: UnionFind, merges: DedupeResult['merges']): number {
  // Unique tokens per question, and document frequency over the batch.
  const sets: string[][] = new Array(reps.length);
  const df = new Map<string, number>();
  for (let k = 0; k < reps.length; k++) {
    const uniq = [...new Set(items[reps[k]!]!.norm.tokens)];
    sets[k] = uniq;
    for (const tok of uniq) df.set(tok, (df.get(tok) ?? 0) + 1);
  }
  const index = new Map<string, number[]>();
  let comparisons = 0;
  for (let k = 0; k < reps.length; k++) {
    const set = sets[k]!;
    if (set.length === 0) continue;
    set.sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
    const prefix = set.length - Math.ceil(t * set.length - 1e-9) + 1;
    const me = items[reps[k]!]!;
    const seen = new Set<number>();
    for (let p = 0; p < prefix; p++) {
      const posting = index.get(set[p]!);
      if (!posting) continue;
      for (const other of posting) {
        if (seen.has(other)) continue;
        seen.add(other);
        const os = sets[other]!;
        // Size filter: Jaccard ≥ t needs t·|A| ≤ |B| ≤ |A|/t.
        if (os.length < t * set.length || set.length < t * os.length) continue;
        const them = items[reps[other]!]!;
        if (them.norm.sig !== me.norm.sig) continue;
        comparisons++;
        if (jaccardSorted(set, os, df) >= t && uf.union(reps[other]!, reps[k]!)) merges.fuzzy++;
      }
    }
    for (let p = 0; p < prefix; p++) {
      const tok = set[p]!;
      const posting = index.get(tok);
      if (posting) posting.push(k);
      else index.set(tok, [k]);
    }
  }
  return comparisons;
}

/** Jaccard of two token arrays sorted by the same (df, token) order. */
function jaccardSorted(a: readonly string[], b: readonly string[], df: Map<string, number>): number {
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
      continue;
    }
    const d = df.get(x)! - df.get(y)! || (x < y ? -1 : 1);
    if (d < 0) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}
