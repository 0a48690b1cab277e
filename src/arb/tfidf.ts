// TF-IDF over unigrams + bigrams (1–2-grams) with an inverted index: candidate pairs come
// from walking the postings of each document's features, never from comparing
// all pairs. Features shared by very many documents ("win", "2026") are skipped
// while proposing (they cost the most and say the least); the cosine of each
// proposed pair is then computed exactly over all features.

export interface TfidfIndex {
  readonly size: number;
  /** Feature ids per document (CSR, ascending within a document). */
  readonly docStart: Int32Array;
  readonly docFeat: Int32Array;
  /** L2-normalised TF-IDF weights aligned with docFeat. */
  readonly docW: Float64Array;
  /** Documents per feature (CSR, ascending), weights aligned. */
  readonly postStart: Int32Array;
  readonly postDoc: Int32Array;
  readonly postW: Float64Array;
  readonly df: Int32Array;
  readonly features: number;
}

/**
 * Builds the index from each document's content tokens: unigrams plus bigrams
 * (bigrams are keyed by their unigram ids, so no bigram strings are built).
 *
 * Each long loop sits in a function of its own and ends it. This runs once per
 * engine; V8 compiles a long loop while it runs (on-stack replacement) and
 * keeps that code for the next call even after it deoptimises on code after the
 * loop that had not run yet, so with the phases in one function every replay of
 * a sweep left the loop there and finished the build in the interpreter.
 */
export function buildTfidf(docs: readonly (readonly string[])[]): TfidfIndex {
  const n = docs.length;
  const c = countFeatures(docs);
  const nf = c.nf;
  const total = c.feats.length;
  const df = Int32Array.from(c.dfList);
  const idf = idfOf(df, n);
  const docFeat = Int32Array.from(c.feats);
  const docW = weights(c.docStart, c.counts, docFeat, idf, n);
  const postStart = postingStarts(docFeat, nf);
  const postDoc = new Int32Array(total);
  const postW = new Float64Array(total);
  fillPostings(c.docStart, docFeat, docW, postStart.slice(0, nf), postDoc, postW, n);
  return { size: n, docStart: c.docStart, docFeat, docW, postStart, postDoc, postW, df, features: nf };
}

interface FeatureCounts {
  nf: number;
  dfList: number[];
  docStart: Int32Array;
  feats: number[];
  counts: number[];
}

/** Feature ids per document (sorted, deduplicated, with their counts) and the document frequency of each. */
function countFeatures(docs: readonly (readonly string[])[]): FeatureCounts {
  const uni = new Map<string, number>();
  const bi = new Map<number, number>();
  let nf = 0;
  const dfList: number[] = [];
  const n = docs.length;
  const docStart = new Int32Array(n + 1);
  const feats: number[] = [];
  const counts: number[] = [];
  const scratch: number[] = [];
  for (let d = 0; d < n; d++) {
    const doc = docs[d]!;
    scratch.length = 0;
    let prev = -1;
    for (const g of doc) {
      let u = uni.get(g);
      if (u === undefined) {
        uni.set(g, (u = nf++));
        dfList.push(0);
      }
      scratch.push(u);
      if (prev >= 0) {
        const key = prev * 4_194_304 + u;
        let b = bi.get(key);
        if (b === undefined) {
          bi.set(key, (b = nf++));
          dfList.push(0);
        }
        scratch.push(b);
      }
      prev = u;
    }
    scratch.sort((a, b) => a - b);
    docStart[d] = feats.length;
    for (let k = 0; k < scratch.length; k++) {
      const f = scratch[k]!;
      if (k > 0 && scratch[k - 1] === f) counts[counts.length - 1]!++;
      else {
        feats.push(f);
        counts.push(1);
        dfList[f]!++;
      }
    }
  }
  return { nf, dfList, docStart, feats, counts };
}

function idfOf(df: Int32Array, n: number): Float64Array {
  const idf = new Float64Array(df.length);
  for (let f = 0; f < df.length; f++) idf[f] = Math.log((1 + n) / (1 + df[f]!)) + 1;
  return idf;
}

/** L2-normalised TF-IDF weights aligned with docFeat. Sets docStart[n]. */
function weights(docStart: Int32Array, counts: readonly number[], docFeat: Int32Array, idf: Float64Array, n: number): Float64Array {
  docStart[n] = docFeat.length;
  const docW = new Float64Array(docFeat.length);
  for (let d = 0; d < n; d++) {
    let norm = 0;
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) {
      const w = counts[k]! * idf[docFeat[k]!]!;
      docW[k] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) docW[k]! /= norm;
  }
  return docW;
}

/** Start of each feature's postings (CSR offsets, nf + 1 of them). */
function postingStarts(docFeat: Int32Array, nf: number): Int32Array {
  const postStart = new Int32Array(nf + 1);
  for (let k = 0; k < docFeat.length; k++) postStart[docFeat[k]! + 1]!++;
  return prefixSums(postStart);
}

function prefixSums(a: Int32Array): Int32Array {
  for (let f = 0; f + 1 < a.length; f++) a[f + 1]! += a[f]!;
  return a;
}

function fillPostings(docStart: Int32Array, docFeat: Int32Array, docW: Float64Array, fillAt: Int32Array, postDoc: Int32Array, postW: Float64Array, n: number): void {
  for (let d = 0; d < n; d++) {
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) {
      const p = fillAt[docFeat[k]!]!++;
      postDoc[p] = d;
      postW[p] = docW[k]!;
    }
  }
}

/** Exact cosine of two documents (merge of their sorted feature lists). */
export function cosine(ix: TfidfIndex, a: number, b: number): number {
  let i = ix.docStart[a]!;
  let j = ix.docStart[b]!;
  const ie = ix.docStart[a + 1]!;
  const je = ix.docStart[b + 1]!;
  let dot = 0;
  while (i < ie && j < je) {
    const fa = ix.docFeat[i]!;
    const fb = ix.docFeat[j]!;
    if (fa === fb) {
      dot += ix.docW[i]! * ix.docW[j]!;
      i++;
      j++;
    } else if (fa < fb) i++;
    else j++;
  }
  return dot;
}

export interface CandidateOptions {
  /** Exact cosine a pair needs. */
  minCosine: number;
  /** Features in more documents than this are not walked while proposing. */
  maxDf: number;
  /** Partial score (walked features only) that earns an exact check. */
  minPartial: number;
}

export function defaultCandidateOptions(n: number): CandidateOptions {
  return { minCosine: 0.5, maxDf: Math.max(64, Math.min(160, Math.ceil(Math.sqrt(n)))), minPartial: 0.3 };
}

/** Calls `emit(a, b, cos)` with a < b for every pair whose cosine reaches minCosine. */
export function candidatePairs(ix: TfidfIndex, opts: CandidateOptions, emit: (a: number, b: number, cos: number) => void): number {
  const n = ix.size;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  // Postings are ascending, so each list is consumed from a cursor that only moves forward.
  const cursor = ix.postStart.slice(0, ix.features);
  let emitted = 0;
  for (let a = 0; a < n; a++) {
    let nt = 0;
    for (let k = ix.docStart[a]!; k < ix.docStart[a + 1]!; k++) {
      const f = ix.docFeat[k]!;
      const d = ix.df[f]!;
      if (d < 2 || d > opts.maxDf) continue;
      const w = ix.docW[k]!;
      const end = ix.postStart[f + 1]!;
      let p = cursor[f]!;
      while (p < end && ix.postDoc[p]! <= a) p++;
      cursor[f] = p;
      for (; p < end; p++) {
        const b = ix.postDoc[p]!;
        if (acc[b] === 0) touched[nt++] = b;
        acc[b]! += w * ix.postW[p]!;
      }
    }
    for (let t = 0; t < nt; t++) {
      const b = touched[t]!;
      if (acc[b]! >= opts.minPartial) {
        const c = cosine(ix, a, b);
        if (c >= opts.minCosine) {
          emit(a, b, c);
          emitted++;
        }
      }
      acc[b] = 0;
    }
  }
  return emitted;
}
