import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { marketUrl, safeSlug } from '../../src/protocol/market-url.js';
import { FIXTURES, HAVE_FIXTURES } from './fixtures.js';

describe('the polymarket.com page of a market', () => {
  it('a market alone in its event (same slug): /event/<slug>', () => {
    expect(marketUrl({ slug: 'will-the-us-confirm-that-aliens-exist-before-2027', eventSlug: 'will-the-us-confirm-that-aliens-exist-before-2027' })).toBe('https://polymarket.com/event/will-the-us-confirm-that-aliens-exist-before-2027');
  });

  it('a market of a multi-market event: /event/<event slug>/<market slug>', () => {
    expect(marketUrl({ slug: 'gavin-newsom-democratic-nominee-2028', eventSlug: 'democratic-presidential-nominee-2028' })).toBe('https://polymarket.com/event/democratic-presidential-nominee-2028/gavin-newsom-democratic-nominee-2028');
  });

  it('real slugs with capitals, dots and underscores pass; no event: the market route; no slug: no link', () => {
    expect(marketUrl({ slug: 'nhl-will-the-stars-beat-the-la-kings-by-more-than-1.5-points', eventSlug: 'NHL-stars-kings' })).toBe('https://polymarket.com/event/NHL-stars-kings/nhl-will-the-stars-beat-the-la-kings-by-more-than-1.5-points');
    expect(marketUrl({ slug: 'will-whale_alert-tweet-count-be-over-61300' })).toBe('https://polymarket.com/market/will-whale_alert-tweet-count-be-over-61300');
    expect(marketUrl({ slug: '' })).toBe('');
  });

  it('hostile slugs are refused, never escaped into another link', () => {
    for (const bad of ['a/../../x', '..', '.', 'x?y=1', 'x#frag', 'a b', 'evil\u001b]52;c;AAAA\u0007', 'ünïcode', 'x'.repeat(201), 'https://evil.example/', '%2e%2e']) expect(safeSlug(bad), JSON.stringify(bad)).toBeUndefined();
    // A bad event slug falls back to the market's own route; both bad: no link.
    expect(marketUrl({ slug: 'good-slug', eventSlug: '../admin' })).toBe('https://polymarket.com/market/good-slug');
    expect(marketUrl({ slug: 'a b', eventSlug: 'c/d' })).toBe('');
  });
});

describe.skipIf(!HAVE_FIXTURES)('on the real catalog corpus', () => {
  it('every market with a parent event gets a link; markets alone in their event link to the event page', () => {
    type Raw = { slug?: string; events?: { id: string; slug?: string }[] };
    const raw = JSON.parse(gunzipSync(fs.readFileSync(path.join(FIXTURES, 'real-catalog/markets.json.gz'))).toString('utf8')) as Raw[];
    // The two Gamma fields the decoder keeps (slug, events[0].slug), read straight from the wire objects.
    const markets = raw.map((r) => ({ slug: r.slug ?? '', ...(r.events?.[0]?.slug ? { eventSlug: r.events[0].slug, eventId: r.events[0].id } : {}) }));
    expect(markets.length).toBeGreaterThan(10_000);
    const withEvent = markets.filter((m) => m.eventSlug);
    const linked = withEvent.filter((m) => marketUrl(m).startsWith('https://polymarket.com/event/'));
    expect(linked.length).toBe(withEvent.length);
    const perEvent = new Map<string, number>();
    for (const m of withEvent) perEvent.set(m.eventId!, (perEvent.get(m.eventId!) ?? 0) + 1);
    const alone = withEvent.filter((m) => perEvent.get(m.eventId!) === 1);
    const eventPage = alone.filter((m) => marketUrl(m) === `https://polymarket.com/event/${m.eventSlug}`);
    // Measured: 3,272 of 3,372 single-market events share the market's slug.
    expect(eventPage.length / alone.length).toBeGreaterThan(0.9);
  });
});
