// Pair classification: relation kind, direction (from ⇒ to) and confidence.
import { describe, expect, it } from 'vitest';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { buildRelations, marketTexts } from '../../src/arb/graph.js';
import { classifyPair, describeRelation } from '../../src/arb/relations.js';
import { market } from './helpers.js';

const END = Date.UTC(2027, 5, 30);

function classify(a: CatalogMarket, b: CatalogMarket) {
  const [ta, tb] = marketTexts([a, b]);
  const r = classifyPair(ta!, tb!, undefined);
  return r && { kind: r.kind, from: [a, b][r.from]!.question, to: [a, b][r.to]!.question, confidence: r.confidence, logic: r.logic };
}

describe('classifyPair', () => {
  it('temporal, same event: "by March 31, 2027" ⇒ "by June 30, 2027" at 0.7', () => {
    const a = market('Will Trump visit Russia by June 30, 2027?', { eventId: 'e1' });
    const b = market('Will Trump visit Russia by March 31, 2027?', { eventId: 'e1' });
    expect(classify(a, b)).toEqual({ kind: 'temporal', from: b.question, to: a.question, confidence: 0.7, logic: 'implies' });
  });

  it('never relates game sub-markets: "O/U 6.5" in two games, or a game\'s total and its moneyline', () => {
    const g1 = { eventId: 'g1', eventTitle: 'Mets vs. Phillies', sportsMarketType: 'totals' };
    const g2 = { eventId: 'g2', eventTitle: 'Kings vs. Wild', sportsMarketType: 'totals' };
    expect(classify(market('O/U 6.5', g1), market('O/U 6.5', g2))).toBeUndefined();
    expect(classify(market('Will the fight go the distance?', { ...g1, sportsMarketType: 'ufc_go_the_distance' }), market('Will the fight go the distance?', { ...g2, sportsMarketType: 'ufc_go_the_distance' }))).toBeUndefined();
    expect(classify(market('Mets vs. Phillies: O/U 6.5', g1), market('Mets vs. Phillies', { ...g1, sportsMarketType: 'moneyline' }))).toBeUndefined();
    // The same words without the venue's sports shape are still one question.
    expect(classify(market('Will the Mets win the 2027 World Series?', { eventId: 'a' }), market('Will the Mets win the 2027 World Series?', { eventId: 'b' }))?.kind).toBe('equivalent');
  });

  it('temporal across events is entity-matched (0.4)', () => {
    const a = market('Will Drake release a new album by June 30, 2027?');
    const b = market('Will Drake release a new album by March 31, 2027?');
    expect(classify(a, b)?.confidence).toBe(0.4);
  });

  it('rejects "GDP growth by Q1 2026" / "GDP contraction by Q2 2026"', () => {
    expect(classify(market('Will US GDP growth be positive by Q1 2026?'), market('Will US GDP contraction be reported by Q2 2026?'))).toBeUndefined();
  });

  it('does not treat "on" dates as a ladder: temperature on Nov 22 vs Nov 23', () => {
    expect(classify(market('Will it snow in Chicago on November 22, 2026?'), market('Will it snow in Chicago on November 23, 2026?'))).toBeUndefined();
  });

  it('threshold ladder up: "reach $110,000" ⇒ "reach $100,000"', () => {
    const hi = market('Will Bitcoin reach $110,000 by May 24, 2027?', { eventId: 'btc' });
    const lo = market('Will Bitcoin reach $100,000 by May 24, 2027?', { eventId: 'btc' });
    expect(classify(lo, hi)).toMatchObject({ kind: 'threshold', from: hi.question, to: lo.question, confidence: 0.7 });
  });

  it('threshold on a date: "approval above 40% on January 7, 2027" ⇒ "above 38%" (same event, 0.7); not across dates or subjects', () => {
    const hi = market("Will Trump's approval rating be above 40% on January 7, 2027?", { eventId: 'appr' });
    const lo = market("Will Trump's approval rating be above 38% on January 7, 2027?", { eventId: 'appr' });
    expect(classify(lo, hi)).toEqual({ kind: 'threshold', from: hi.question, to: lo.question, confidence: 0.7, logic: 'implies' });
    const otherDay = market("Will Trump's approval rating be above 38% on December 23, 2026?", { eventId: 'appr' });
    const otherSubject = market("Will Biden's approval rating be above 38% on January 7, 2027?", { eventId: 'appr' });
    expect(classify(hi, otherDay)).toBeUndefined();
    expect(classify(hi, otherSubject)).toBeUndefined();
  });

  it('threshold ladder down runs the other way: "dip to $55,000" ⇒ "dip to $60,000"', () => {
    const a = market('Will Bitcoin dip to $60,000 by May 24, 2027?', { eventId: 'dip' });
    const b = market('Will Bitcoin dip to $55,000 by May 24, 2027?', { eventId: 'dip' });
    expect(classify(a, b)).toMatchObject({ kind: 'threshold', from: b.question, to: a.question });
  });

  it('threshold across events is entity-matched (0.4) even with the same end date', () => {
    const a = market('Will the 10-year Treasury yield close above 4.5% on March 11, 2027?', { endDate: END });
    const b = market('Will the 10-year Treasury yield close above 4% on March 11, 2027?', { endDate: END });
    expect(classify(a, b)).toMatchObject({ kind: 'threshold', from: a.question, confidence: 0.4 });
  });

  it('conditional: "Ethan Brooks (R) wins" ⇒ "the Republicans win", not the Democrats', () => {
    const cand = market('Will Ethan Brooks (R) win the 2026 Kansas Governor race?', { endDate: END });
    const rep = market('Will the Republicans win the 2026 Kansas Governor race?', { endDate: END });
    const dem = market('Will the Democrats win the 2026 Kansas Governor race?', { endDate: END });
    expect(classify(rep, cand)).toMatchObject({ kind: 'conditional', from: cand.question, to: rep.question, confidence: 0.7 });
    expect(classify(dem, cand)).toBeUndefined();
  });

  it('parent/child: "… with 55 or more seats" ⇒ "win the Senate in 2026" (same end: 0.7)', () => {
    const parent = market('Will the Democrats win the Senate in 2026?', { endDate: END });
    const child = market('Will the Democrats win the Senate in 2026 with 55 or more seats?', { endDate: END });
    expect(classify(parent, child)).toMatchObject({ kind: 'parent-child', from: child.question, to: parent.question, confidence: 0.7 });
  });

  it('parent/child with different end dates is entity-matched (0.4); a child ending after its parent is rejected', () => {
    const parent = market('Will the Celtics win the 2027 NBA Finals?', { endDate: END });
    const child = market('Will the Celtics win the 2027 NBA Finals in a sweep?', { endDate: END - 10 * 86_400_000 });
    expect(classify(parent, child)?.confidence).toBe(0.4);
    const late = market('Will the Celtics win the 2027 NBA Finals in a sweep?', { endDate: END + 10 * 86_400_000 });
    expect(classify(parent, late)).toBeUndefined();
  });

  it('rejects a child with negation or disjunction', () => {
    expect(classify(market('Will Trump win Ohio?'), market('Will Trump not win Ohio by 5 points?'))).toBeUndefined();
    expect(classify(market('Will Trump win Ohio?'), market('Will Trump win Ohio or Iowa?'))).toBeUndefined();
  });

  it("a word inside the subject is not a child: \"Trump's son wins\" does not imply \"Trump wins\"", () => {
    expect(classify(market('Will Trump win Ohio?'), market("Will Trump's son win Ohio?"))).toBeUndefined();
  });

  it('word order matters: "Lakers beat the Celtics" is not "Celtics beat the Lakers"', () => {
    expect(classify(market('Will the Lakers beat the Celtics on November 23?'), market('Will the Celtics beat the Lakers on November 23?'))).toBeUndefined();
  });

  it('equivalent: "Will Trump visit Russia?" ⇔ "Trump to visit Russia?"', () => {
    expect(classify(market('Will Trump visit Russia by June 30, 2027?', { endDate: END }), market('Trump to visit Russia by June 30, 2027?', { endDate: END }))).toMatchObject({
      kind: 'equivalent',
      logic: 'equivalent',
    });
  });

  it('members of one negRisk event are left to the basket', () => {
    const a = market('Will the Democrats win the Senate in 2026?', { eventId: 'nr', negRisk: true });
    const b = market('Will the Democrats win the Senate in 2026 with 55 or more seats?', { eventId: 'nr', negRisk: true });
    expect(classify(a, b)).toBeUndefined();
  });
});

describe('buildRelations', () => {
  it('links a 4-rung deadline ladder in one event with all 6 pairs, earlier ⇒ later', () => {
    const months = ['December 31, 2026', 'March 31, 2027', 'June 30, 2027', 'December 31, 2027'];
    const ms = months.map((d) => market(`Will the US enter a recession by ${d}?`, { eventId: 'rec' }));
    const { relations } = buildRelations(marketTexts(ms), []);
    expect(relations).toHaveLength(6);
    for (const r of relations) expect(r.from).toBeLessThan(r.to);
  });

  it('chains a ladder across 3 events through neighbours only (2 links, not 3)', () => {
    const ms = ['March 31, 2027', 'June 30, 2027', 'September 30, 2027'].map((d) => market(`Will Drake release a new album by ${d}?`));
    const { relations } = buildRelations(marketTexts(ms), []);
    expect(relations.map((r) => [r.from, r.to])).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('applies overrides: "implies" at confidence 1.0, "none" vetoes an inferred relation, unknown ids are counted', () => {
    const a = market('Will the Democrats win the Senate in 2026?', { id: 'p' });
    const b = market('Will the Democrats win the Senate in 2026 with 55 or more seats?', { id: 'c' });
    const x = market('Will it rain in Paris on July 14, 2027?', { id: 'x' });
    const y = market('Will the Tour de France stage in Paris be shortened?', { id: 'y' });
    const texts = marketTexts([a, b, x, y]);
    const { relations, stats } = buildRelations(texts, [
      { a: 'p', b: 'c', relation: 'none' },
      { a: 'x', b: 'slug-y', relation: 'implies', note: 'stage rule' },
      { a: 'nope', b: 'y', relation: 'exclusive' },
    ]);
    expect(relations).toHaveLength(1);
    expect(relations[0]).toMatchObject({ kind: 'override', logic: 'implies', from: 2, to: 3, confidence: 1 });
    expect(stats).toMatchObject({ vetoed: 1, unresolvedOverrides: 1 });
    expect(describeRelation(relations[0]!, [a, b, x, y])).toContain('stage rule');
  });
});
