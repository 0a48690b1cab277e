import { describe, expect, it } from 'vitest';
import { dedupeItems as dedupe, membersOf } from '../../src/scan/dedupe.js';
import { normalizeQuestion } from '../../src/scan/normalize.js';

const item = (question: string, volume = 1, conditionId = '') => ({ conditionId: conditionId || `c:${question}`, volume, norm: normalizeQuestion(question) });
const groupsOf = (qs: string[], t?: number) => {
  const r = dedupe(qs.map((q) => item(q)), t);
  return Array.from({ length: r.groupCount }, (_, g) => membersOf(r, g));
};

describe('dedupe', () => {
  it('exact: the simulator rewrite "X to win the Y?" merges with "Will X win the Y?"', () => {
    const r = dedupe([item('Will Hannah Okafor win the 2026 Florida Governor race?'), item('Hannah Okafor to win the 2026 Florida Governor race?')]);
    expect(r.groupCount).toBe(1);
    expect(r.merges.exact).toBe(1);
  });

  it('exact: the same condition id twice is one market', () => {
    const r = dedupe([item('Question one?', 1, '0xabc'), item('Another wording entirely?', 1, '0xabc')]);
    expect(r.groupCount).toBe(1);
    expect(r.merges.conditionId).toBe(1);
  });

  it('the representative is the highest-volume member (volumes 5 and 9 → the 9)', () => {
    const r = dedupe([item('Will Drake release a new album by 2027?', 5), item('Drake to release a new album by 2027?', 9)]);
    expect(r.rep[0]).toBe(1);
  });

  it('fuzzy at 0.9: one filler word in a 12-token question (12/13 = 0.923) merges; at 0.95 it does not', () => {
    const a = 'Will the highest temperature in New York City be between 50-51°F on November 23?';
    const b = 'Will the highest recorded temperature in New York City be between 50-51°F on November 23?';
    expect(groupsOf([a, b], 0.9)).toHaveLength(1);
    expect(groupsOf([a, b], 0.95)).toHaveLength(2);
  });

  it('never merges "$150K" vs "$160K" or "by March" vs "by June", even at threshold 0.3', () => {
    expect(groupsOf(['Will Bitcoin reach $150K by December 31, 2026?', 'Will Bitcoin reach $160K by December 31, 2026?'], 0.3)).toHaveLength(2);
    expect(groupsOf(['Will Trump visit Russia by March 31, 2027?', 'Will Trump visit Russia by June 30, 2027?'], 0.3)).toHaveLength(2);
    expect(groupsOf(['Will Trump visit Russia by March?', 'Will Trump visit Russia by June?'], 0.3)).toHaveLength(2);
  });

  it('never merges questions naming different people or the same teams swapped, even at 0.3', () => {
    expect(groupsOf(['Will Hannah Okafor win the 2026 Texas Senate race?', 'Will Daniel Kim win the 2026 Texas Senate race?'], 0.3)).toHaveLength(2);
    expect(groupsOf(['Will the Lakers beat the Celtics on November 22?', 'Will the Celtics beat the Lakers on November 22?'], 0.3)).toHaveLength(2);
  });

  it('is not all-pairs: 3,000 questions sharing one signature and most words need 0 similarity checks', () => {
    // Same entity, number and date everywhere; each question has one rare word, which is its whole prefix.
    const qs = Array.from({ length: 3000 }, (_, i) => `Will Bitcoin reach $100k by Dec 31 via route${i}x path${i}y?`);
    const r = dedupe(qs.map((q) => item(q)));
    expect(r.groupCount).toBe(3000);
    expect(r.comparisons).toBe(0);
  });

  it('comparisons stay near-linear: 2,000 paraphrase pairs → ≤ 2 checks per pair, all merged', () => {
    const qs: string[] = [];
    for (let i = 0; i < 2000; i++) {
      qs.push(`Will Candidate${i} win the general election for the open district seat number ${i} in 2026?`);
      qs.push(`Will Candidate${i} win the general election for the open district seat number ${i} in 2026 officially?`);
    }
    const r = dedupe(qs.map((q) => item(q)));
    expect(r.groupCount).toBe(2000);
    expect(r.merges.fuzzy).toBe(2000);
    expect(r.comparisons).toBeLessThanOrEqual(4000);
  });
});

describe('dedupe scope', () => {
  it('the same short sub-market question in three events is three questions; in one scope it is one', () => {
    const item = (scope: string, i: number) => ({ conditionId: `c${i}`, volume: i, norm: normalizeQuestion('Games Total: O/U 3.5'), scope });
    expect(dedupe(['e1', 'e2', 'e3'].map(item)).groupCount).toBe(3);
    expect(dedupe(['e1', 'e1'].map(item)).groupCount).toBe(1);
    // Fuzzy merges respect the scope too.
    const para = [
      { conditionId: 'a', volume: 1, norm: normalizeQuestion('Will the total games be over 3.5 in the match?'), scope: 'e1' },
      { conditionId: 'b', volume: 1, norm: normalizeQuestion('Will the total games be over 3.5 in this match?'), scope: 'e2' },
    ];
    expect(dedupe(para, 0.5).groupCount).toBe(2);
    expect(dedupe(para.map((p) => ({ ...p, scope: 'e1' })), 0.5).groupCount).toBe(1);
  });
});
