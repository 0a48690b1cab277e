import { describe, expect, it } from 'vitest';
import { normalizeQuestion, tokenSetSimilarity } from '../../src/scan/normalize.js';

const n = normalizeQuestion;

describe('normalizeQuestion', () => {
  it('writes "$150K", "$150,000" and "150000" as the one number 150000; "$1.5M" as 1500000', () => {
    expect(n('Will Bitcoin reach $150K?').tokens).toContain('150000');
    expect(n('Will Bitcoin reach $150,000?').tokens).toContain('150000');
    expect(n('Will Bitcoin reach 150000?').tokens).toContain('150000');
    expect(n('Will Ember Road gross over $1.5M?').tokens).toContain('1500000');
    expect(n('Will XRP reach $3.00?').tokens).toContain('3');
  });

  it('times "7:00AM-8:00AM" → 7:00am, 8:00am; "25+ bps" keeps the plus; "5 million" → 5000000; "53 or more" stays 53; "49ers"/"10th" are words', () => {
    expect(n('Bitcoin Up or Down - November 21, 7:00AM-8:00AM ET').tokens).toEqual(['bitcoin', 'up', 'or', 'down', 'nov', '21', '7:00am', '8:00am', 'et']);
    expect(n('Will the Fed raise rates by 25+ bps?').tokens).toContain('25+');
    expect(n('Will it gross 5 million?').tokens).toContain('5000000');
    expect(n('Will they win 53 or more seats?').tokens).toEqual(['they', 'win', '53', 'or', 'more', 'seats']);
    expect(n('Will the 49ers win their 10th game?').tokens).toEqual(['49ers', 'win', 'their', '10th', 'game']);
  });

  it('drops the 20 stopwords so "Will X win the Y?" and "X to win the Y?" share one key', () => {
    const a = n('Will Hannah Okafor win the 2026 Florida Governor race?');
    const b = n('Hannah Okafor to win the 2026 Florida Governor race?');
    expect(a.key).toBe(b.key);
    expect(a.key).toBe('hannah okafor win 2026 florida governor race');
  });

  it('signature: "$150K" vs "$160K", "by March" vs "by June", "Lakers beat Celtics" vs "Celtics beat Lakers", "not" all differ', () => {
    expect(n('Will Bitcoin reach $150K by March 31?').sig).not.toBe(n('Will Bitcoin reach $160K by March 31?').sig);
    expect(n('Will Trump visit Russia by March?').sig).not.toBe(n('Will Trump visit Russia by June?').sig);
    expect(n('Will the Lakers beat the Celtics on November 22?').sig).not.toBe(n('Will the Celtics beat the Lakers on November 22?').sig);
    expect(n('Will the Magic beat the 76ers on November 26?').sig).not.toBe(n('Will the 76ers beat the Magic on November 26?').sig);
    expect(n('Will the US enter a recession in 2026?').sig).not.toBe(n('Will the US not enter a recession in 2026?').sig);
    expect(n('Will ETH close above $4,000 on Friday?').sig).not.toBe(n('Will ETH close below $4,000 on Friday?').sig);
  });

  it('"Dec 31" and "December 31" are the same date; "May" is a month only when capitalised', () => {
    expect(n('Will BTC reach $100k by Dec 31?').sig).toBe(n('Will BTC reach $100k by December 31?').sig);
    expect(n('Will it happen by May 5?').tokens).toContain('may');
    expect(n('Will it happen by May 5?').sig).toContain('may');
    expect(n('Prices may rise by 5').sig.split('|')[1]).toBe('');
  });

  it('entities are runs of capitalised words: "New York City", "Truth Social"', () => {
    expect(n('Will the highest temperature in New York City be 33°F or below on November 22?').entities).toContain('New York City');
    expect(n('Will Trump post on Truth Social more than 15 times?').entities).toEqual(['Trump', 'Truth Social']);
  });

  it('shape masks numbers, dates and names: NBA games share one template', () => {
    expect(n('Will the Hawks beat the Knicks on November 22?').shape).toBe(n('Will the Lakers beat the Celtics on December 1?').shape);
    expect(n('Will the Hawks beat the Knicks on November 22?').shape).toBe('# beat # on #');
  });

  it('accents are folded: "Beyoncé" and "Beyonce" give one key; text with escapes gives plain tokens', () => {
    expect(n('Will Beyoncé announce a world tour?').key).toBe(n('Will Beyonce announce a world tour?').key);
    expect(n('Will \u001b[31mX\u001b[0m win?').tokens.join(' ')).not.toContain('\u001b');
  });

  it('token-set similarity: identical sets 1, one extra token in 12 → 12/13', () => {
    expect(tokenSetSimilarity(['a', 'b'], ['b', 'a'])).toBe(1);
    const base = 'abcdefghijkl'.split('');
    expect(tokenSetSimilarity(base, [...base, 'z'])).toBeCloseTo(12 / 13, 10);
  });
});
