import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan/index.js';
import { clusterMarkets } from '../../src/scan/cluster-markets.js';
import { market } from './helpers.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('a cluster’s markets for the console (built once per scanned batch)', () => {
  const batch = [
    market({ id: 'a', question: 'Will Elon Musk post 300-319 tweets from Nov 20 to Nov 27, 2026?', slug: 'elon-300-319', eventSlug: 'elon-musk-of-tweets-nov-20-27', volume: 500, outcomePrices: [600, 9400] }),
    market({ id: 'b', question: 'Will Elon Musk post 320-339 tweets from Nov 20 to Nov 27, 2026?', slug: 'elon-320-339', eventSlug: 'elon-musk-of-tweets-nov-20-27', volume: 9000, outcomePrices: [2500, 7500] }),
    market({ id: 'c', question: 'Will Elon Musk post 340-359 tweets from Nov 20 to Nov 27, 2026?', slug: 'bad slug/..', eventSlug: 'elon-musk-of-tweets-nov-20-27', volume: 2000, outcomePrices: [1200, 8800] }),
    market({ id: 'd', question: 'Will it snow in Paris on Christmas Day 2026?', outcomes: ['Yes', 'No'], eventId: 'e2', eventTitle: 'Snow in Paris', slug: 'snow-paris', eventSlug: 'snow-paris', volume: 10 }),
  ];
  const result = scan(batch, { now: NOW, bookOf: () => undefined });
  const byId = new Map(batch.map((m) => [m.id, m]));
  const event = result.clusters.find((c) => c.marketIds.includes('a'))!;

  it('one event: every market tied by "same event" at the rule’s confidence, top by volume first, with price, outcome and page', () => {
    const list = clusterMarkets(event, byId);
    expect(list.rule).toBe('one Gamma event');
    expect(list.more).toBe(0);
    expect(list.markets.map((m) => m.id)).toEqual(['b', 'c', 'a']);
    expect(list.markets[0]).toEqual({ id: 'b', question: 'Will Elon Musk post 320-339 tweets from Nov 20 to Nov 27, 2026?', outcome: 'Yes', price: 0.25, tie: 'same event', confidence: 1, volume: 9000, url: 'https://polymarket.com/event/elon-musk-of-tweets-nov-20-27/elon-320-339' });
    // A market slug that is not URL path text is refused: the link is its event's page.
    expect(list.markets[1]!.url).toBe('https://polymarket.com/event/elon-musk-of-tweets-nov-20-27');
  });

  it('bounded: the top N listed, the rest counted', () => {
    const list = clusterMarkets(event, byId, 2);
    expect(list.markets.map((m) => m.id)).toEqual(['b', 'c']);
    expect(list.more).toBe(1);
  });

  it('a market alone: "alone", its event page', () => {
    const single = result.clusters.find((c) => c.marketIds.includes('d'))!;
    const list = clusterMarkets(single, byId);
    expect(list.markets).toEqual([expect.objectContaining({ id: 'd', tie: 'alone', url: 'https://polymarket.com/event/snow-paris', price: 0.06 })]);
  });

  it('a market merged as a duplicate says so', () => {
    const dupBatch = [...batch, market({ id: 'a2', conditionId: '0xa', question: 'Will Elon Musk post 300-319 tweets from Nov 20 to Nov 27, 2026?', slug: 'elon-300-319-b', eventSlug: 'elon-musk-of-tweets-nov-20-27', volume: 1 })];
    const r = scan(dupBatch, { now: NOW, bookOf: () => undefined });
    const c = r.clusters.find((x) => x.marketIds.includes('a2'))!;
    const list = clusterMarkets(c, new Map(dupBatch.map((m) => [m.id, m])));
    expect(list.markets.find((m) => m.id === 'a2')!.tie).toBe('duplicate question');
  });
});
