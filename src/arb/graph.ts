// The constraint graph: candidate pairs proposed by TF-IDF over an inverted
// index and by exact blocking keys (deadline stem, threshold skeleton, party
// key, same question), classified into relations; overrides add or veto.
import type { CatalogMarket } from '../protocol/gamma.js';
import { eventKey, type Basket } from './baskets.js';
import type { RelationOverride } from './overrides.js';
import { classifyPair, DEFAULT_CLASSIFY, type ClassifyOptions, type MarketText, type Relation, type RelationKind } from './relations.js';
import { textFeatures } from './text-features.js';
import { buildTfidf, candidatePairs, defaultCandidateOptions, type CandidateOptions } from './tfidf.js';
import { CONFIDENCE } from './types.js';
import { deepFreeze } from '../frozen.js';

export interface GraphStats {
  tfidfPairs: number;
  blockPairs: number;
  relations: Record<RelationKind, number>;
  vetoed: number;
  unresolvedOverrides: number;
}

export interface GraphOptions {
  classify: ClassifyOptions;
  candidates?: CandidateOptions;
  /** Blocks larger than this are skipped (a key shared by that many markets is not specific). */
  maxBlock: number;
}

export const DEFAULT_GRAPH: GraphOptions = deepFreeze({ classify: DEFAULT_CLASSIFY, maxBlock: 400 });

/** A question's parsed form, kept across builds by the scanner (the parse is pure). */
export interface ParsedQuestion {
  f: MarketText['f'];
  seq: string;
}

/**
 * The markets with their parsed questions. With `cache`, questions parsed by an
 * earlier build are reused, and `cache` is left holding exactly this build's
 * questions (so it never outgrows the catalog).
 */
export function marketTexts(markets: readonly CatalogMarket[], cache?: Map<string, ParsedQuestion>): MarketText[] {
  const prev = cache ? new Map(cache) : undefined;
  cache?.clear();
  // A loop rather than map(): this runs once per catalog build, and the
  // callback (a new closure per call) was compiled again in each replay.
  const out: MarketText[] = [];
  for (let index = 0; index < markets.length; index++) {
    const market = markets[index]!;
    let parsed = prev?.get(market.question) ?? cache?.get(market.question);
    if (!parsed) {
      const f = textFeatures(market.question);
      parsed = { f, seq: f.tokens.join(' ') };
    }
    cache?.set(market.question, parsed);
    out.push({ index, market, f: parsed.f, seq: parsed.seq });
  }
  return out;
}

/**
 * True when `buildRelations` cannot tell `a` from `b`: every field it (and
 * `classifyPair`, `marketTexts`) reads is equal. A catalog refresh replaces a
 * market object whenever Gamma updates it (volume, prices), which changes none
 * of these; a list of markets equal under this, in the same order, has the
 * same relations. Keep in step with the fields those functions read.
 */
export function sameGraphInput(a: CatalogMarket, b: CatalogMarket): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.conditionId === b.conditionId &&
      a.slug === b.slug &&
      a.question === b.question &&
      a.eventId === b.eventId &&
      a.negRisk === b.negRisk &&
      a.endDate === b.endDate &&
      a.sportsMarketType === b.sportsMarketType)
  );
}

export function buildRelations(texts: readonly MarketText[], overrides: readonly RelationOverride[], o: GraphOptions = DEFAULT_GRAPH): { relations: Relation[]; stats: GraphStats } {
  const n = texts.length;
  const relations: Relation[] = [];
  const stats: GraphStats = {
    tfidfPairs: 0,
    blockPairs: 0,
    relations: { 'parent-child': 0, temporal: 0, threshold: 0, conditional: 0, equivalent: 0, override: 0 },
    vetoed: 0,
    unresolvedOverrides: 0,
  };
  const byKey = new Map<string, number>();
  // Only overrides look markets up by id, condition or slug.
  if (overrides.length) {
    for (const t of texts) {
      byKey.set(t.market.id, t.index);
      byKey.set(t.market.conditionId, t.index);
      if (t.market.slug) byKey.set(t.market.slug, t.index);
    }
  }
  const seen = new Set<number>();
  const pairKey = (i: number, j: number) => (i < j ? i * n + j : j * n + i);
  // Overrides first: they take the pair, and "none" vetoes it.
  for (const ov of overrides) {
    const a = byKey.get(ov.a);
    const b = byKey.get(ov.b);
    if (a === undefined || b === undefined || a === b) {
      stats.unresolvedOverrides++;
      continue;
    }
    seen.add(pairKey(a, b));
    if (ov.relation === 'none') {
      stats.vetoed++;
      continue;
    }
    const ma = texts[a]!.market;
    const mb = texts[b]!.market;
    const sep = ov.relation === 'implies' ? '>' : ov.relation === 'equivalent' ? '=' : 'x';
    relations.push({
      id: `override:${ma.id}${sep}${mb.id}`,
      kind: 'override',
      logic: ov.relation,
      from: a,
      to: b,
      confidence: CONFIDENCE.override,
      crossEvent: eventKey(ma) !== eventKey(mb),
      ...(ov.note ? { note: ov.note } : {}),
    });
    stats.relations.override++;
  }
  const consider = (i: number, j: number, cos: number | undefined): void => {
    const key = pairKey(i, j);
    if (seen.has(key)) return;
    seen.add(key);
    const [a, b] = i < j ? [i, j] : [j, i];
    const r = classifyPair(texts[a]!, texts[b]!, cos, o.classify);
    if (r) {
      relations.push(r);
      stats.relations[r.kind]++;
    }
  };
  // Blocking first. A ladder key shared across events (the same deadline stem or
  // threshold skeleton listed separately) links each rung only to its neighbours
  // in other events: the chain is the graph, and a block of n costs O(n), not O(n²).
  const blocks = new Map<string, number[]>();
  const add = (k: string, i: number) => {
    let list = blocks.get(k);
    if (!list) blocks.set(k, (list = []));
    list.push(i);
  };
  for (const t of texts) {
    if (t.f.temporalStem !== undefined) add(`t|${t.f.temporalStem}`, t.index);
    if (t.f.threshold) add(`h|${t.f.threshold.skeleton}`, t.index);
    if (t.f.party) add(`p|${t.f.party.key}`, t.index);
    add(`e|${t.seq}`, t.index);
  }
  const ev = (i: number) => eventKey(texts[i]!.market);
  const allPairs = (list: readonly number[]) => {
    if (list.length > o.maxBlock) return;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        stats.blockPairs++;
        consider(list[x]!, list[y]!, undefined);
      }
    }
  };
  for (const [key, list] of blocks) {
    if (list.length < 2) continue;
    const ladder = key[0] === 't' || key[0] === 'h';
    if (!ladder) {
      allPairs(list);
      continue;
    }
    const order = (i: number) => (key[0] === 't' ? texts[i]!.f.byDate!.end : texts[i]!.f.threshold!.value);
    const sorted = [...list].sort((x, y) => order(x) - order(y) || x - y);
    const byEvent = new Map<string, number[]>();
    for (const i of sorted) {
      const e = ev(i);
      let g = byEvent.get(e);
      if (!g) byEvent.set(e, (g = []));
      g.push(i);
    }
    for (const g of byEvent.values()) allPairs(g);
    if (byEvent.size > 1) {
      // Each rung to the next rung that sits in another event (found right to left, O(n)).
      // Pushed, not sorted.map(ev): map()'s result changed array kind between
      // interpreted and optimised code and deoptimised this loop per replay.
      const events: string[] = [];
      for (const i of sorted) events.push(ev(i));
      const next = new Array<number>(sorted.length).fill(-1);
      for (let x = sorted.length - 2; x >= 0; x--) next[x] = events[x + 1] !== events[x] ? x + 1 : next[x + 1]!;
      for (let x = 0; x < sorted.length; x++) {
        if (next[x]! < 0) continue;
        stats.blockPairs++;
        consider(sorted[x]!, sorted[next[x]!]!, undefined);
      }
    }
  }
  // TF-IDF proposes everything else (parent/child above all). Cross-event ladder
  // pairs were settled by blocking and are not re-proposed here.
  const ix = buildTfidf(texts.map((t) => t.f.tokens));
  stats.tfidfPairs = candidatePairs(ix, o.candidates ?? defaultCandidateOptions(n), (i, j, cos) => {
    const a = texts[i]!.f;
    const b = texts[j]!.f;
    if (ev(i) !== ev(j)) {
      if (a.temporalStem !== undefined && a.temporalStem === b.temporalStem) return;
      if (a.threshold && b.threshold && a.threshold.skeleton === b.threshold.skeleton) return;
    }
    consider(i, j, cos);
  });
  return { relations, stats };
}

/** Baskets that trade a relation: A ⇒ B buys YES_B + NO_A; exclusive buys both NOs. */
export function relationBaskets(relations: readonly Relation[], markets: readonly CatalogMarket[], minConfidence: number): Basket[] {
  const out: Basket[] = [];
  for (const r of relations) {
    if (r.confidence < minConfidence) continue;
    const relation = r.kind;
    const events = (a: number, b: number) => {
      const ea = eventKey(markets[a]!);
      const eb = eventKey(markets[b]!);
      return ea === eb ? [ea] : [ea, eb];
    };
    const implies = (from: number, to: number, id: string): Basket => ({
      id,
      kind: 'implication',
      relation,
      legs: [
        { market: to, outcome: 0, side: 'BUY', token: -1 },
        { market: from, outcome: 1, side: 'BUY', token: -1 },
      ],
      payoff: 1,
      confidence: r.confidence,
      events: events(from, to),
      rel: r,
    });
    if (r.logic === 'implies') out.push(implies(r.from, r.to, r.id));
    else if (r.logic === 'equivalent') {
      out.push(implies(r.from, r.to, `${r.id}:ab`), implies(r.to, r.from, `${r.id}:ba`));
    } else {
      out.push({
        id: r.id,
        kind: 'implication',
        relation,
        legs: [
          { market: r.from, outcome: 1, side: 'BUY', token: -1 },
          { market: r.to, outcome: 1, side: 'BUY', token: -1 },
        ],
        payoff: 1,
        confidence: r.confidence,
        events: events(r.from, r.to),
        rel: r,
      });
    }
  }
  return out;
}
