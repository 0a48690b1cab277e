// Question parsing: deadlines vs points in time, thresholds with direction,
// parties and candidates, and the stems that validate a relation.
import { describe, expect, it } from 'vitest';
import { isStrictPrefix, textFeatures } from '../../src/arb/text-features.js';

describe('dates', () => {
  it('reads "by December 31, 2026" as a deadline ending 2026-12-31 and strips it from the stem', () => {
    const f = textFeatures('Will Trump visit Russia by December 31, 2026?');
    expect(f.byDate?.kind).toBe('by');
    expect(new Date(f.byDate!.end).toISOString()).toBe('2026-12-31T23:59:59.999Z');
    expect(f.temporalStem).toBe('trump visit russia');
  });

  it('reads "before June 1, 2027" as a deadline ending May 31, 2027', () => {
    const f = textFeatures('Will the US default before June 1, 2027?');
    expect(new Date(f.byDate!.end).toISOString()).toBe('2027-05-31T23:59:59.999Z');
  });

  it('reads "by Q1 2026" as the end of March 2026', () => {
    expect(new Date(textFeatures('GDP growth by Q1 2026').byDate!.end).toISOString()).toBe('2026-03-31T23:59:59.999Z');
  });

  it('treats "on January 17, 2027" as a point in time, not a deadline', () => {
    const f = textFeatures("Will Trump's approval rating be above 40% on January 17, 2027?");
    expect(f.byDate).toBeUndefined();
    expect(f.dates).toHaveLength(1);
    expect(f.dates[0]!.kind).toBe('at');
  });

  it('keeps a year inside a name ("the 2026 Texas Senate race") out of the dates', () => {
    expect(textFeatures('Will Maria Alvarez win the 2026 Texas Senate race?').dates).toHaveLength(0);
  });

  it('does not read "cut rates by 50+ bps" as a deadline', () => {
    expect(textFeatures('Will the Fed cut rates by 50+ bps after the December 2026 meeting?').byDate).toBeUndefined();
  });
});

describe('thresholds', () => {
  it('"reach $110,000" is at-least 110000 dollars', () => {
    expect(textFeatures('Will Bitcoin reach $110,000 by May 24, 2027?').threshold).toMatchObject({ value: 110_000, unit: '$', dir: 1 });
  });
  it('"dip to $55,000" is at-most 55000', () => {
    expect(textFeatures('Will Bitcoin dip to $55,000 by May 24, 2027?').threshold).toMatchObject({ value: 55_000, dir: -1 });
  });
  it('"55 or more seats" is at-least 55; "39°F or below" is at-most 39', () => {
    expect(textFeatures('Will the Democrats win the Senate in 2026 with 55 or more seats?').threshold).toMatchObject({ value: 55, dir: 1 });
    expect(textFeatures('Will the highest temperature in Chicago be 39°F or below on November 22?').threshold).toMatchObject({ value: 39, dir: -1 });
  });
  it('"gross over $60M" is 60,000,000 dollars; "above 2.5%" is 2.5 percent', () => {
    expect(textFeatures('Will Ember Road gross over $60M on its opening weekend?').threshold).toMatchObject({ value: 60_000_000, unit: '$' });
    expect(textFeatures('Will US CPI inflation be above 2.5% for December 2026?').threshold).toMatchObject({ value: 2.5, unit: '%' });
  });
  it('"no more than 5" is at-most 5', () => {
    expect(textFeatures('Will no more than 5 people attend?').threshold).toMatchObject({ value: 5, dir: -1 });
  });
  it('a range bucket ("between 40-41°F") has no threshold', () => {
    expect(textFeatures('Will the highest temperature in Chicago be between 40-41°F on November 22?').threshold).toBeUndefined();
  });
  it('rungs of one ladder share a skeleton; a different date does not', () => {
    const a = textFeatures('Will Bitcoin reach $110,000 by May 24, 2027?').threshold!;
    const b = textFeatures('Will Bitcoin reach $100,000 by May 24, 2027?').threshold!;
    const c = textFeatures('Will Bitcoin reach $100,000 by June 30, 2027?').threshold!;
    expect(a.skeleton).toBe(b.skeleton);
    expect(c.skeleton).not.toBe(a.skeleton);
  });
});

describe('parties and stems', () => {
  it('maps "Ethan Brooks (R)" and "the Republicans" to the same party key', () => {
    const cand = textFeatures('Will Ethan Brooks (R) win the 2026 Kansas Governor race?').party!;
    const party = textFeatures('Will the Republicans win the 2026 Kansas Governor race?').party!;
    expect(cand.role).toBe('candidate');
    expect(party.role).toBe('party');
    expect(cand.key).toBe(party.key);
  });

  it('"GDP growth by Q1" and "GDP contraction by Q2" have different temporal stems', () => {
    expect(textFeatures('GDP growth by Q1 2026').temporalStem).not.toBe(textFeatures('GDP contraction by Q2 2026').temporalStem);
  });

  it('normalises "$100K" and "$100,000" to the same token', () => {
    expect(textFeatures('Bitcoin to $100K by March 2026').tokens).toContain('$100000');
    expect(textFeatures('Will Bitcoin reach $100,000 by March 2026?').tokens).toContain('$100000');
  });

  it('flags negation and disjunction as hedged, but not "or more"', () => {
    expect(textFeatures('Will Trump not win Ohio?').hedged).toBe(true);
    expect(textFeatures('Will Trump or Vance win Ohio?').hedged).toBe(true);
    expect(textFeatures('Will the Democrats win 55 or more seats?').hedged).toBe(false);
  });

  it('extracts entities without leading question words', () => {
    expect(textFeatures('Will Elon Musk post fewer than 120 tweets from Nov 24 to Dec 1, 2026?').entities).toContain('elon musk');
  });

  it('isStrictPrefix: [trump, win] heads [trump, win, ohio] but not [trump, son, win] or [trump, win]', () => {
    expect(isStrictPrefix(['trump', 'win'], ['trump', 'win', 'ohio'])).toBe(true);
    expect(isStrictPrefix(['trump', 'win'], ['trump', 'son', 'win'])).toBe(false);
    expect(isStrictPrefix(['trump', 'win'], ['trump', 'win'])).toBe(false);
  });
});

describe('words that name built-in object properties', () => {
  // Real Formula 1 markets ask about "the highest constructor score" or the "Constructor’s Championship".
  it('reads "constructor" as a word: no date, no multiplier, no party, and a deadline still found', () => {
    const f = textFeatures('Will Red Bull have the highest constructor score at the 2027 Monaco GP by June 30, 2027?');
    expect(f.tokens).toContain('constructor');
    expect(f.dates.map((d) => d.token)).toEqual(['by:2027-06-30']);
    expect(f.party).toBeUndefined();
    expect(textFeatures('Will McLaren win the 2027 F1 Constructor’s Championship?').tokens).toEqual(['mclaren', 'win', '2027', 'f1', 'constructor', 'championship']);
    expect(textFeatures('Will 5 constructor teams score points?').tokens).toEqual(['5', 'constructor', 'teams', 'score', 'points']);
    expect(textFeatures('Will the constructor party win?').party).toBeUndefined();
  });
});
