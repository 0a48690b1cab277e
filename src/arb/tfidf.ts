// TF-IDF over unigrams + bigrams with an inverted index: candidate pairs come
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

/** Builds the index from each document's features (see `grams`). */
export function buildTfidf(docs: readonly (readonly string[])[]): TfidfIndex {
  const ids = new Map<string, number>();
  const perDoc: Map<number, number>[] = [];
  const dfList: number[] = [];
  for (const doc of docs) {
    const tf = new Map<number, number>();
    for (const g of doc) {
      let id = ids.get(g);
      if (id === undefined) {
        id = ids.size;
        ids.set(g, id);
        dfList.push(0);
      }
      const c = tf.get(id);
      if (c === undefined) {
        tf.set(id, 1);
        dfList[id]!++;
      } else tf.set(id, c + 1);
    }
    perDoc.push(tf);
  }
  const n = docs.length;
  const nf = ids.size;
  const df = Int32Array.from(dfList);
  const idf = new Float64Array(nf);
  for (let f = 0; f < nf; f++) idf[f] = Math.log((1 + n) / (1 + df[f]!)) + 1;
  let total = 0;
  for (const tf of perDoc) total += tf.size;
  const docStart = new Int32Array(n + 1);
  const docFeat = new Int32Array(total);
  const docW = new Float64Array(total);
  let at = 0;
  for (let d = 0; d < n; d++) {
    docStart[d] = at;
    const entries = [...perDoc[d]!].sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [f, c] of entries) norm += (c * idf[f]!) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (const [f, c] of entries) {
      docFeat[at] = f;
      docW[at] = (c * idf[f]!) / norm;
      at++;
    }
  }
  docStart[n] = at;
  const postStart = new Int32Array(nf + 1);
  for (let k = 0; k < total; k++) postStart[docFeat[k]! + 1]!++;
  for (let f = 0; f < nf; f++) postStart[f + 1]! += postStart[f]!;
  const fillAt = postStart.slice(0, nf);
  const postDoc = new Int32Array(total);
  const postW = new Float64Array(total);
  for (let d = 0; d < n; d++) {
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) {
      const f = docFeat[k]!;
      const p = fillAt[f]!++;
      postDoc[p] = d;
      postW[p] = docW[k]!;
    }
  }
  return { size: n, docStart, docFeat, docW, postStart, postDoc, postW, df, features: nf };
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
  return { minCosine: 0.4, maxDf: Math.max(64, Math.ceil(3 * Math.sqrt(n))), minPartial: 0.15 };
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
