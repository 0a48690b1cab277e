import { describe, expect, it } from 'vitest';
import { cleanText, foldText } from '../../src/scan/normalize.js';
import { defaultTaxonomy, parseTaxonomy } from '../../src/scan/taxonomy.js';

const tax = defaultTaxonomy();
const cat = (q: string, event?: string, tags?: string[]) => tax.categorize(q, event, tags);

describe('taxonomy (data/taxonomy.json)', () => {
  it('is two levels: every category is Family/Name of a declared family, and each family has a default', () => {
    expect(Object.keys(tax.families).sort()).toEqual(['Crypto', 'Culture', 'Economy', 'Politics', 'Science', 'Sports', 'Tech', 'Weather']);
    for (const c of tax.categories) expect(Object.keys(tax.families)).toContain(c.split('/')[0]);
    for (const s of ['NFL', 'NBA', 'NHL', 'MLB', 'Soccer', 'Tennis', 'Golf', 'F1', 'MMA-Boxing', 'Cricket', 'Esports', 'College']) expect(tax.categories).toContain(`Sports/${s}`);
    expect(tax.fallback).toBe('Other');
  });

  // Real questions (Polymarket) unless marked; each names the rule it exercises.
  it.each([
    ['Will the Democrats win the Colorado Senate race in 2026?', 'Politics/US-Elections'],
    ['Will Trump lower tariffs on Mexico by May 31?', 'Politics/US-Government'],
    ['Will the next Dutch government be PVV + JA21?', 'Politics/World-Elections'],
    ['Will Israel launch a major ground offensive in Gaza by Friday?', 'Politics/Geopolitics'],
    ['Bank of England rate hike in 2026?', 'Economy/Central-Banks'],
    ['Will US GDP growth in 2026 be between 1.5% and 2.0%?', 'Economy/Macro-Data'],
    ['Will Silver (SI) hit (LOW) $80 by end of March?', 'Economy/Commodities'],
    ['Will Adobe (ADBE) beat quarterly earnings?', 'Economy/Stocks'],
    ['Will Bitcoin close above $104K on May 16?', 'Crypto/BTC-Price'],
    ['Bitcoin Up or Down - November 21, 7:00AM-8:00AM ET', 'Crypto/UpDown'],
    ['Will Zcash reach $1000 by December 31, 2026?', 'Crypto/Altcoins'],
    ['Yieldbasis FDV above $1B one day after launch?', 'Crypto/Events'],
    ['Will Claude 5 be released by April 30, 2026?', 'Tech/AI'],
    ['Will Elon Musk post 340-359 tweets in April 2026?', 'Tech/Musk-Tweets'],
    ['Will Tesla sell a Cybercab for 30k or less in 2026?', 'Tech/Musk'],
    ['Will the highest temperature in Shanghai be 21°C on March 28?', 'Weather/Temperature'],
    ['Will Lee become a Category 5 hurricane?', 'Weather/Climate'],
    ['1,425+ Measles cases in U.S. by September 30?', 'Science/Health'],
    ['Will NASA have confirmed more than 4910 existing exoplanets by February 11?', 'Science/Space'],
    ['Will Azizam (Ed Sheeran) win Song of the Year at the 68th Annual GRAMMY Awards?', 'Culture/Awards'],
    ["Will 'Snow White' gross between 34-39m on opening weekend?", 'Culture/Entertainment'],
    ['Harry & Meghan divorce in 2025?', 'Culture/Celebrities'],
    // Sports: league names, team pairs, shapes.
    ['Avalanche vs. Wild', 'Sports/NHL'],
    ['Lightning vs. Kings', 'Sports/NHL'],
    ['Rangers vs. Stars', 'Sports/NHL'],
    ['Giants vs. Twins', 'Sports/MLB'],
    ['Kings vs. Rangers: O/U 7.5', 'Sports/NHL'],
    ['Will the Wizards win again this year?', 'Sports/NBA'],
    ['Will Wolverhampton Wanderers FC win on 2026-03-16?', 'Sports/Soccer'],
    ['T20 World Cup Sub Regional Americas Qualifier B: Cayman vs Suriname', 'Sports/Cricket'],
    ['Valorant: 2GAME Esports vs HOLY - Map 1 Winner', 'Sports/Esports'],
    ['Honor of Kings: Team A vs Team B - Game 3 Winner (synthetic)', 'Sports/Esports'],
    ['Will Richard Verschoor win the 2025 F2 Bahrain Grand Prix?', 'Sports/F1'],
    ['Will Paddy Pimblett fight Max Holloway next?', 'Sports/MMA-Boxing'],
    ['Will Daniel Berger finish in the Top 5 at the 2026 PGA Tour event? (synthetic)', 'Sports/Golf'],
    ['French Open: Who will win Alcaraz vs. Djokovic?', 'Sports/Tennis'],
    ['NCAAB: Duke vs. UNC (synthetic)', 'Sports/College'],
  ])('%s → %s', (q, want) => {
    expect(cat(q).category).toBe(want);
  });

  it('reads Gamma structure before text: series slug, game-slug league code, sportsMarketType, tags', () => {
    // An event title that names a coin does not make a tennis match crypto.
    expect(tax.categorizeMarket({ question: 'Sierra vs. Parks', eventTitle: 'Solana Sierra vs. Alycia Parks', slug: 'wta-sierra-parks-2025-10-01' })).toMatchObject({ category: 'Sports/Tennis', matchedOn: 'slug', confidence: 0.95 });
    expect(tax.categorizeMarket({ question: 'Will Elon win?', seriesSlug: 'cbb' })).toMatchObject({ category: 'Sports/College', matchedOn: 'series' });
    expect(tax.categorizeMarket({ question: 'Games Total: O/U 3.5', sportsMarketType: 'totals' })).toMatchObject({ family: 'Sports', category: 'Sports/Other', matchedOn: 'family' });
    expect(tax.categorizeMarket({ question: 'Games Total: O/U 3.5', eventTitle: 'Lightning vs. Kings', sportsMarketType: 'totals' })).toMatchObject({ category: 'Sports/NHL', matchedOn: 'event' });
    expect(tax.categorizeMarket({ question: 'Who wins?', tags: ['Games', 'NFL'] })).toMatchObject({ category: 'Sports/NFL', matchedOn: 'tags' });
    expect(tax.categorizeMarket({ question: 'Who will win?', gammaCategory: 'Pop-Culture ' })).toMatchObject({ family: 'Culture', matchedOn: 'family', confidence: 0.6 });
    expect(cat('Who wins?')).toEqual({ family: 'Other', category: 'Other', matchedOn: 'fallback', confidence: 0.3 });
  });

  it('normalises text first: curly quotes, NFKC, invisible characters', () => {
    expect(cleanText('Ballon d\u2019Or')).toBe("Ballon d'Or");
    expect(cat('Will Rodri win the Ballon d\u2019Or?').category).toBe('Sports/Soccer');
    expect(cat("Will Rodri win the Ballon d'Or?").category).toBe('Sports/Soccer');
    expect(foldText('Colorado Ava\u200blanche vs. Wild')).toBe('colorado avalanche vs. wild');
    expect(cat('Colorado Ava\u200blanche vs. Minnesota W\u00adild').category).toBe('Sports/NHL');
    expect(foldText('\uff2e\uff28\uff2c  Stanley\u00a0Cup')).toBe('nhl stanley cup');
  });

  it('a taxonomy with a rule for an unknown category, or no patterns, or a bad family default, is an error value', () => {
    expect(parseTaxonomy({ version: 1, fallback: 'Other', categories: ['A'], rules: [{ category: 'B', any: ['x'] }] })).toMatchObject({ ok: false });
    expect(parseTaxonomy({ version: 1, fallback: 'Other', categories: ['A'], rules: [{ category: 'A' }] })).toMatchObject({ ok: false });
    expect(parseTaxonomy({ version: 1, fallback: 'Other', families: { F: 'G/x' }, categories: ['F/a'], rules: [] })).toMatchObject({ ok: false });
    expect(parseTaxonomy({ version: 1, fallback: 'Other', families: { F: 'F/a' }, categories: ['F/a'], rules: [{ category: 'F/a', any: ['\\bx\\b'] }], tagRules: [{ category: 'F', tags: ['f'] }] })).toMatchObject({ ok: true });
  });
});
