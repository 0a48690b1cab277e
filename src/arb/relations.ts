// Classifies a pair of markets into a logical relation (A ⇒ B), with its
// direction and a confidence. Each rule validates that the two questions ask
// the same thing apart from the part the rule is about: a temporal pair has
// equal stems once the deadline is removed ("GDP growth by Q1" and "GDP
// contraction by Q2" do not), a threshold ladder has equal skeletons once the
// number is removed, a child starts with all of its parent's tokens.
import type { CatalogMarket } from '../protocol/gamma.js';
import { CONFIDENCE } from './types.js';
import { isStrictPrefix, type TextFeatures } from './text-features.js';
import { deepFreeze } from '../frozen.js';

export type RelationKind = 'parent-child' | 'temporal' | 'threshold' | 'conditional' | 'equivalent' | 'override';

export interface Relation {
  id: string;
  kind: RelationKind;
  /** 'implies': from ⇒ to; 'equivalent': both ways; 'exclusive': never both YES. */
  logic: 'implies' | 'equivalent' | 'exclusive';
  /** Market indices in the scanner's market list. */
  from: number;
  to: number;
  confidence: number;
  crossEvent: boolean;
  /** Free text from an override's note. */
  note?: string;
}

/** A market with its parsed question, as the classifier sees it. */
export interface MarketText {
  index: number;
  market: CatalogMarket;
  f: TextFeatures;
  /** Joined content tokens. */
  seq: string;
}

export interface ClassifyOptions {
  endDateToleranceMs: number;
  /** Cosine a parent/child pair needs (stem validation). */
  minChildCosine: number;
  /** A child adds at most this many tokens to its parent. */
  maxChildExtra: number;
}

export const DEFAULT_CLASSIFY: ClassifyOptions = deepFreeze({ endDateToleranceMs: 86_400_000, minChildCosine: 0.5, maxChildExtra: 8 });

/**
 * The relation between a and b, or undefined. `cos` is their TF-IDF cosine
 * when known (pairs proposed by blocking keys pass undefined and skip the check).
 */
export function classifyPair(a: MarketText, b: MarketText, cos: number | undefined, o: ClassifyOptions = DEFAULT_CLASSIFY): Relation | undefined {
  const ma = a.market;
  const mb = b.market;
  // A game's sub-markets ("O/U 6.5", "Spread: Kings (-1.5)", "Will the fight go the distance?")
  // mean something only with their event, and their outcomes are teams or Over/Under: the same
  // words in another game are another question, and a line is no condition on the moneyline.
  if (ma.sportsMarketType || mb.sportsMarketType) return undefined;
  const sameEvent = ma.eventId !== undefined && ma.eventId === mb.eventId;
  // Members of one negRisk event are mutually exclusive: that is the basket's business.
  if (sameEvent && ma.negRisk && mb.negRisk) return undefined;
  const endClose = ma.endDate !== undefined && mb.endDate !== undefined && Math.abs(ma.endDate - mb.endDate) <= o.endDateToleranceMs;
  // Cross-event pairs count as rule-inferred only when they resolve together (Saguillo et al. pair on end date).
  const conf = sameEvent || endClose ? CONFIDENCE.rule : CONFIDENCE.entity;
  // Ladders (deadlines, thresholds) are listed as one event; the same skeleton in another
  // event is a subject match between separately written contracts: entity-matched.
  const ladderConf = sameEvent ? CONFIDENCE.rule : CONFIDENCE.entity;
  const fa = a.f;
  const fb = b.f;

  if (a.seq === b.seq && fa.tokens.length >= 2) {
    return rel('equivalent', 'equivalent', a, b, conf, !sameEvent);
  }

  if (fa.byDate && fb.byDate && fa.temporalStem === fb.temporalStem && fa.byDate.yearless === fb.byDate.yearless && fa.byDate.end !== fb.byDate.end) {
    const [early, late] = fa.byDate.end < fb.byDate.end ? [a, b] : [b, a];
    return rel('temporal', 'implies', early, late, ladderConf, !sameEvent);
  }

  const ta = fa.threshold;
  const tb = fb.threshold;
  if (ta && tb && ta.skeleton === tb.skeleton && ta.dir === tb.dir && ta.value !== tb.value) {
    // dir +1 ("reach $110k"): the higher rung implies the lower; dir −1 ("dip to $55k"): the lower implies the higher.
    const aFirst = ta.dir > 0 ? ta.value > tb.value : ta.value < tb.value;
    const [x, y] = aFirst ? [a, b] : [b, a];
    return rel('threshold', 'implies', x, y, ladderConf, !sameEvent);
  }

  const pa = fa.party;
  const pb = fb.party;
  if (pa && pb && pa.party === pb.party && pa.role !== pb.role && pa.key === pb.key) {
    const [cand, party] = pa.role === 'candidate' ? [a, b] : [b, a];
    return rel('conditional', 'implies', cand, party, conf, !sameEvent);
  }

  // Parent/child: the child says everything the parent says, then adds a condition.
  if (fa.hedged || fb.hedged) return undefined;
  const [parent, child] = fa.tokens.length < fb.tokens.length ? [a, b] : [b, a];
  const pt = parent.f.tokens;
  const ct = child.f.tokens;
  if (pt.length < 2 || ct.length - pt.length > o.maxChildExtra) return undefined;
  if (cos !== undefined && cos < o.minChildCosine) return undefined;
  if (!isStrictPrefix(pt, ct)) return undefined;
  // A child that resolves after its parent may still happen once the parent has resolved NO.
  const pe = parent.market.endDate;
  const ce = child.market.endDate;
  if (pe !== undefined && ce !== undefined && ce > pe + o.endDateToleranceMs) return undefined;
  return rel('parent-child', 'implies', child, parent, conf, !sameEvent);
}

function rel(kind: RelationKind, logic: Relation['logic'], from: MarketText, to: MarketText, confidence: number, crossEvent: boolean): Relation {
  const sep = logic === 'implies' ? '>' : logic === 'equivalent' ? '=' : 'x';
  return { id: `${kind}:${from.market.id}${sep}${to.market.id}`, kind, logic, from: from.index, to: to.index, confidence, crossEvent };
}

const WHY: Record<RelationKind, string> = {
  'parent-child': 'child implies parent',
  temporal: 'earlier deadline implies later',
  threshold: 'harder rung implies easier',
  conditional: 'candidate implies party',
  equivalent: 'same question',
  override: 'override',
};

/** Human-readable relation (built on demand: the graph holds tens of thousands). */
export function describeRelation(r: Relation, markets: readonly CatalogMarket[]): string {
  const a = markets[r.from]?.question ?? '?';
  const b = markets[r.to]?.question ?? '?';
  const op = r.logic === 'implies' ? '⇒' : r.logic === 'equivalent' ? '⇔' : '⊼';
  const scope = r.crossEvent ? 'across events' : 'in one event';
  const why = r.kind === 'override' ? `override ${r.logic}${r.note ? `: ${r.note}` : ''}` : WHY[r.kind];
  return `${r.kind} (${why}, ${scope}, confidence ${r.confidence}): "${a}" ${op} "${b}"`;
}
