// Exact and fuzzy dedupe. Exact: same condition id, or the same normalised
// key. Fuzzy: token-set (Jaccard) similarity ≥ threshold with identical
// signatures (numbers, dates, entities, critical words — normalize.ts).
//
// Fuzzy pairs are never searched among all pairs: questions are first blocked
// by signature (a merge needs equal signatures), then inside a block found by
// prefix filtering (Bayardo et al., "Scaling up all pairs similarity search",
// WWW 2007): tokens ordered rarest first, two sets with Jaccard ≥ t must share
// a token among the first |A| − ⌈t·|A|⌉ + 1 of each, and only those prefix
// tokens are indexed (an inverted index on rare tokens).
//
// Scope: a sub-market's question is not self-contained ("O/U 3.5", "Game 3
// Winner", "Spread: Sunderland AFC (-1.5)"); its event says what it is about.
// So a market that shares its event with others in the batch is compared only
// with markets of that event; markets alone in their event (standalone
// questions) are compared across events only when they resolve at the same
// time (scan.ts passes the end date as their scope). Same condition id
// is the same market wherever it appears.
//
// Input is read through accessors and groups come back as flat typed arrays:
// at 30,000 questions per-item objects are what the garbage collector pays for.
import type { Normalized } from './normalize.js';

export interface DedupeInput {
  count: number;
  conditionId(i: number): string;
  /** Where the question can have a duplicate: its event id, or '' for standalone questions. Default ''. */
  scope?(i: number): string;
  volume(i: number): number;
  key(i: number): string;
  sig(i: number): string;
  /** Content tokens; asked only for questions sharing their signature with another. */
  tokens(i: number): readonly string[];
}

export interface DedupeResult {
  groupCount: number;
  /** Group of every input item. */
  groupOf: Int32Array;
  /** Representative of every group: highest volume, then first seen. */
  rep: Int32Array;
  /** Members of group g are members[start[g]] … members[start[g + 1] − 1], ascending. */
  start: Int32Array;
  members: Int32Array;
  /** How many merges each rule made (a merge joins two groups). */
  merges: { conditionId: number; exact: number; fuzzy: number };
  /** Similarity checks run by the fuzzy stage (grows ~linearly, never n²). */
  comparisons: number;
}

export const DEFAULT_FUZZY_THRESHOLD = 0.9;

export function membersOf(r: DedupeResult, g: number): number[] {
  return Array.from(r.members.subarray(r.start[g]!, r.start[g + 1]!));
}

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

function scoped(input: DedupeInput, i: number, text: string): string {
  const s = input.scope?.(i);
  return s ? `${s}\u0000${text}` : text;
}

export function dedupe(input: DedupeInput, threshold = DEFAULT_FUZZY_THRESHOLD): DedupeResult {
  const n = input.count;
  const uf = new UnionFind(n);
  const merges = { conditionId: 0, exact: 0, fuzzy: 0 };
  const byCondition = new Map<string, number>();
  const byKey = new Map<string, number>();
  const keyReps: number[] = [];
  for (let i = 0; i < n; i++) {
    const cid = input.conditionId(i);
    if (cid) {
      const j = byCondition.get(cid);
      if (j === undefined) byCondition.set(cid, i);
      else if (uf.union(j, i)) merges.conditionId++;
    }
    const key = scoped(input, i, input.key(i));
    const j = byKey.get(key);
    if (j === undefined) {
      byKey.set(key, i);
      keyReps.push(i);
    } else if (uf.union(j, i)) merges.exact++;
  }
  const comparisons = threshold < 1 ? fuzzy(input, keyReps, threshold, uf, merges) : 0;

  // Groups numbered in order of first member; CSR layout of members.
  const groupOf = new Int32Array(n);
  const rootGroup = new Int32Array(n).fill(-1);
  let groupCount = 0;
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (rootGroup[r] === -1) rootGroup[r] = groupCount++;
    groupOf[i] = rootGroup[r]!;
  }
  const start = new Int32Array(groupCount + 1);
  for (let i = 0; i < n; i++) start[groupOf[i]! + 1]!++;
  for (let g = 0; g < groupCount; g++) start[g + 1]! += start[g]!;
  const fillAt = start.slice(0, groupCount);
  const members = new Int32Array(n);
  const rep = new Int32Array(groupCount).fill(-1);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    members[fillAt[g]!++] = i;
    if (rep[g] === -1 || input.volume(i) > input.volume(rep[g]!)) rep[g] = i;
  }
  return { groupCount, groupOf, rep, start, members, merges, comparisons };
}

function fuzzy(input: DedupeInput, reps: readonly number[], t: number, uf: UnionFind, merges: DedupeResult['merges']): number {
  // A merge needs identical signatures, so block on the signature first: most
  // questions are alone in their block and are never compared at all.
  const blocks = new Map<string, number[]>();
  for (const r of reps) {
    const sig = scoped(input, r, input.sig(r));
    const b = blocks.get(sig);
    if (b) b.push(r);
    else blocks.set(sig, [r]);
  }
  const df = new Map<string, number>();
  const multi: { block: number[]; sets: string[][] }[] = [];
  for (const block of blocks.values()) {
    if (block.length < 2) continue;
    const sets = block.map((r) => [...new Set(input.tokens(r))]);
    for (const set of sets) for (const tok of set) df.set(tok, (df.get(tok) ?? 0) + 1);
    multi.push({ block, sets });
  }
  let comparisons = 0;
  for (const { block, sets } of multi) comparisons += prefixJoin(block, sets, t, df, uf, merges);
  return comparisons;
}

/** All pairs with Jaccard ≥ t inside one block, by prefix filtering on rarest-first token order. */
function prefixJoin(block: readonly number[], sets: string[][], t: number, df: Map<string, number>, uf: UnionFind, merges: DedupeResult['merges']): number {
  const order = (a: string, b: string) => df.get(a)! - df.get(b)! || (a < b ? -1 : a > b ? 1 : 0);
  for (const s of sets) s.sort(order);
  const index = new Map<string, number[]>();
  let comparisons = 0;
  for (let k = 0; k < block.length; k++) {
    const set = sets[k]!;
    if (set.length === 0) continue;
    const prefix = set.length - Math.ceil(t * set.length - 1e-9) + 1;
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
        comparisons++;
        if (jaccardSorted(set, os, df) >= t && uf.union(block[other]!, block[k]!)) merges.fuzzy++;
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

/** Dedupe of plain items (tests, small batches): each with its normalised question. */
export function dedupeItems(items: readonly { conditionId: string; volume: number; norm: Normalized; scope?: string }[], threshold?: number): DedupeResult {
  return dedupe(
    {
      count: items.length,
      conditionId: (i) => items[i]!.conditionId,
      scope: (i) => items[i]!.scope ?? '',
      volume: (i) => items[i]!.volume,
      key: (i) => items[i]!.norm.key,
      sig: (i) => items[i]!.norm.sig,
      tokens: (i) => items[i]!.norm.tokens,
    },
    threshold,
  );
}
