// Each strategy trades one market shape (data/strategies.json `scope`),
// checked with real Polymarket questions: inline ones, and over the whole
// real corpus when ../shared is present.
import { describe, expect, it } from 'vitest';
import { decodeCatalog } from '../../src/scan/catalog-file.js';
import { categorizeMarket } from '../../src/scan/categorize.js';
import { normalizeQuestion } from '../../src/scan/normalize.js';
import { defaultStrategies, inScope, type Strategy } from '../../src/scan/strategies.js';
import { HAVE_REAL, realMarkets } from './real-corpus.js';

const byId = new Map(defaultStrategies().strategies.map((s) => [s.id, s]));
const strat = (id: string): Strategy => byId.get(id)!;
const applies = (id: string, question: string, extra: { eventTitle?: string; seriesSlug?: string } = {}) =>
  inScope(strat(id), categorizeMarket({ question, ...extra }).category, normalizeQuestion(question, false).folded);

describe('strategy scopes on real questions', () => {
  it.each([
    ['MUSK_FADE_EXTREMES', 'Will Elon Musk post 340-359 tweets in April 2026?', true],
    ['MUSK_FADE_EXTREMES', 'Will Elon tweet 90\u2013114 times August 15\u2013August 22?', true],
    ['MUSK_FADE_EXTREMES', 'Will Elon tweet less than 50 times August 15\u2013August 22?', true],
    ['MUSK_FADE_EXTREMES', 'Will @elonmusk have 500 or more tweets on March 7?', true],
    ['MUSK_FADE_EXTREMES', "Will Elon Musk's net worth be between $600B and $650B on January 31?", false],
    ['MUSK_FADE_EXTREMES', 'Will Tesla sell a Cybercab for 30k or less in 2026?', false],
    ['MUSK_FADE_EXTREMES', 'OpenAI settlement with Elon Musk before July?', false],
    ['MUSK_FADE_EXTREMES', 'Will Elon Musk visit Gaza in 2025?', false],
    ['WEATHER_FADE_LONGSHOTS', 'Will the highest temperature in Austin be between 96-97°F on March 26?', true],
    ['WEATHER_FADE_LONGSHOTS', 'Will the highest temperature in Shanghai be 21°C on March 28?', true],
    ['WEATHER_FADE_LONGSHOTS', 'Will the highest temperature in London be 97°F or higher on June 21?', true],
    ['WEATHER_FADE_LONGSHOTS', 'Will there be 10-12 inches of snow in NYC in Jan?', false],
    ['WEATHER_FADE_LONGSHOTS', 'Will any month of 2026 be the hottest on record?', false],
    ['ALTCOIN_FADE_HIGH', 'Will Solana reach $150 March 23-29?', true],
    ['ALTCOIN_FADE_HIGH', 'Ethereum above $3,600 on July 25?', true],
    ['ALTCOIN_FADE_HIGH', 'Yieldbasis FDV above $1B one day after launch?', false],
    ['ALTCOIN_FADE_HIGH', 'Ripple ETF approved by July 31?', false],
    ['ALTCOIN_FADE_HIGH', 'Ethereum Up or Down - August 17, 12AM ET', false],
    ['CRYPTO_FAVORITE_FADE', 'Will Bitcoin close above $104K on May 16?', true],
    ['CRYPTO_FAVORITE_FADE', 'Will $BTC hit $32,000 by Aug 4?', true],
    ['CRYPTO_FAVORITE_FADE', 'MicroStrategy sells any Bitcoin by June 30, 2026?', false],
    ['CRYPTO_FAVORITE_FADE', 'Bitcoin Up or Down - June 11, 1 AM ET', false],
    ['BTC_TIME_BIAS', 'Bitcoin Up or Down - September 21, 5:15PM-5:30PM ET', true],
    ['BTC_TIME_BIAS', 'Ethereum Up or Down - December 28, 8:40PM-8:45PM ET', false],
    ['BTC_TIME_BIAS', 'Apple (AAPL) Up or Down on March 12?', false],
  ] as const)('%s: %s → %s', (id, q, want) => {
    expect(applies(id, q)).toBe(want);
  });

  it.skipIf(!HAVE_REAL)('over the real corpus, MUSK_FADE_EXTREMES takes exactly the tweet-count buckets among Musk markets', () => {
    const ms = decodeCatalog(realMarkets())!;
    const musk = strat('MUSK_FADE_EXTREMES');
    let muskFamily = 0;
    let taken = 0;
    const wrong: string[] = [];
    const missed: string[] = [];
    // Written independently of the strategy's pattern: a count of posts over a range or an open end.
    const bucket = /\b(?:elon|musk|elonmusk)\b.*\b(?:\d[\d,]*\s*[-\u2013]\s*\d[\d,]*|(?:less|fewer|more) than \d[\d,]*|\d[\d,]*\s*(?:\+|or (?:more|fewer|less)))\s*(?:tweets|posts|times)\b/i;
    for (const m of ms) {
      const c = categorizeMarket(m).category;
      if (c !== 'Tech/Musk-Tweets' && c !== 'Tech/Musk') continue;
      muskFamily++;
      const inS = inScope(musk, c, normalizeQuestion(m.question, false).folded);
      if (inS) taken++;
      if (inS && !bucket.test(m.question)) wrong.push(m.question);
      if (!inS && bucket.test(m.question)) missed.push(m.question);
    }
    console.log(`MUSK_FADE_EXTREMES on the real corpus: ${taken} of ${muskFamily} Musk markets in scope; ${wrong.length} not buckets, ${missed.length} buckets missed`);
    expect(wrong).toEqual([]);
    expect(missed).toEqual([]);
    expect(taken).toBeGreaterThan(100);
    expect(taken).toBeLessThan(muskFamily);
  });
});
