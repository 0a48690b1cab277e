import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../../src/scan/normalize.js';
import { defaultTaxonomy, parseTaxonomy } from '../../src/scan/taxonomy.js';

const tax = defaultTaxonomy();
const cat = (q: string, event?: string, tags?: string[]) => tax.categorize(normalizeQuestion(q).folded, event, tags);

describe('taxonomy (data/taxonomy.json)', () => {
  it('has the simulator\'s 12 categories plus the fallback "Other"', () => {
    expect(tax.categories).toEqual([
      'Politics/Election', 'Politics/Trump', 'Sports/NBA', 'Sports/Soccer', 'Sports/Other', 'Crypto/BTC-Price',
      'Crypto/BTC-UpDown', 'Crypto/Altcoins', 'Tech/Musk', 'Weather/Temperature', 'Economics', 'Culture/Other',
    ]);
    expect(tax.fallback).toBe('Other');
  });

  it.each([
    ['Will Maria Alvarez win the 2026 Texas Senate race?', 'Politics/Election'],
    ["Will Trump's approval rating be above 44% on December 22, 2026?", 'Politics/Trump'],
    ['Will Trump attend the Super Bowl LXI?', 'Politics/Trump'],
    ['Will Trump fire the Fed Chair by June 30, 2027?', 'Politics/Trump'],
    ['Will the Hawks beat the Knicks on November 22?', 'Sports/NBA'],
    ['Will Chelsea win against Manchester City on November 22?', 'Sports/Soccer'],
    ['Will Rory McIlroy win the 2026 World Series?', 'Sports/Other'],
    ['Will the Colorado Avalanche win the 2026 NHL Stanley Cup?', 'Sports/Other'],
    ['Will the Los Angeles Kings win the 2026 NHL Stanley Cup?', 'Sports/Other'],
    ['Will Bitcoin reach $150,000 by February 28, 2027?', 'Crypto/BTC-Price'],
    ['Bitcoin Up or Down - November 21, 7:00AM-8:00AM ET', 'Crypto/BTC-UpDown'],
    ['Will Solana flip Ethereum in market cap by February 16, 2027?', 'Crypto/Altcoins'],
    ['Will Elon Musk post 172-191 tweets from Nov 20 to Nov 27, 2026?', 'Tech/Musk'],
    ['Will the highest temperature in Denver be between 43-44°F on November 23?', 'Weather/Temperature'],
    ['Will US CPI inflation be above 2.6% for April 2027?', 'Economics'],
    ['Will the 10-year Treasury yield close above 4.5% on February 1, 2027?', 'Economics'],
    ['Will Ember Road win Album of the Year at the 2027 Grammys?', 'Culture/Other'],
    ['Will Beyoncé announce a world tour by February 27, 2027?', 'Culture/Other'],
    ['Will Jesus Christ return before GTA VI?', 'Other'],
  ])('%s → %s', (q, want) => {
    expect(cat(q).category).toBe(want);
  });

  it('falls back to the event title (confidence 0.85), then tags (0.7), then "Other" (0.3)', () => {
    expect(cat('Who wins?', 'Lakers vs. Celtics')).toEqual({ category: 'Sports/NBA', matchedOn: 'event', confidence: 0.85 });
    expect(cat('Who wins?', 'Match 7', ['Basketball'])).toEqual({ category: 'Sports/NBA', matchedOn: 'tags', confidence: 0.7 });
    expect(cat('Who wins?')).toEqual({ category: 'Other', matchedOn: 'fallback', confidence: 0.3 });
    expect(cat('Will the Hawks beat the Knicks?').confidence).toBe(1);
  });

  it('a taxonomy with a rule for an unknown category, or no patterns, is an error value', () => {
    expect(parseTaxonomy({ version: 1, fallback: 'Other', categories: ['A'], rules: [{ category: 'B', any: ['x'] }] })).toMatchObject({ ok: false });
    expect(parseTaxonomy({ version: 1, fallback: 'Other', categories: ['A'], rules: [{ category: 'A' }] })).toMatchObject({ ok: false });
    expect(parseTaxonomy({ version: 1, fallback: 'Other', categories: ['A'], rules: [{ category: 'A', any: ['\\bx\\b'] }] })).toMatchObject({ ok: true });
  });
});
