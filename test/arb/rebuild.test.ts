// Rebuilding on a refreshed catalog: the relations are kept when no market
// changed in a way the graph reads, parsed questions are reused, and either
// way the scanner ends in the state a new scanner built from the same catalog
// is in (relations, baskets, event groups, what a scan reports).
import { describe, expect, it } from 'vitest';
import { ArbScanner } from '../../src/arb/scanner.js';
import { marketTexts, type ParsedQuestion } from '../../src/arb/graph.js';
import { parseRelationOverrides } from '../../src/arb/overrides.js';
import { textFeatures } from '../../src/arb/text-features.js';
import type { CatalogMarket } from '../../src/protocol/gamma.js';
import { Rng } from '../../src/rng.js';
import { Simulator } from '../../src/sim/simulator.js';
import { simCatalog, touchSimBooks } from '../../src/sim/catalog.js';
import { market } from './helpers.js';

const sim = new Simulator({ seed: 'arb-rebuild', markets: 300, speed: 1_200, rate: 200 });
sim.stepOnce();
const NOW = sim.exchange.now;
touchSimBooks(sim, NOW - 500);
const bookOf = (t: string) => sim.exchange.book(t);

function base(): CatalogMarket[] {
  return [
    ...simCatalog(sim),
    // A slug-keyed override, so that a slug change must move the graph too.
    market('Will the canal reopen by March 31, 2027?', { id: 'canal-mar', slug: 'canal-march' }),
    market('Will shipping resume by June 30, 2027?', { id: 'ship-jun', slug: 'ship-june' }),
    // A deadline ladder in one event, and one question listed in two events that end together.
    market('Will the treaty be signed by March 31, 2027?', { id: 'treaty-mar', eventId: 'treaty' }),
    market('Will the treaty be signed by June 30, 2027?', { id: 'treaty-jun', eventId: 'treaty' }),
    market('Will the mayor resign in 2027?', { id: 'resign-a', eventId: 'city-a', endDate: Date.UTC(2027, 11, 31) }),
    market('Will the mayor resign in 2027?', { id: 'resign-b', eventId: 'city-b', endDate: Date.UTC(2027, 11, 31) }),
  ];
}

const OVERRIDES = parseRelationOverrides({ relations: [{ a: 'canal-march', b: 'ship-june', relation: 'implies', note: 'reopening lets ships through' }] }).overrides;

/** Everything a build decides, and what a scan on the simulator's books reports. */
function state(s: ArbScanner) {
  return {
    build: s.lastBuild,
    relations: s.relations(),
    groups: s.eventGroups(),
    baskets: s.basketCount(),
    scan: s.scanAll(bookOf, NOW).map((o) => ({ ...o, firstSeen: 0, cycles: 0 })),
    rejected: s.lastScan.rejected,
  };
}

/** One catalog refresh: some markets come back as new objects, a few with a change the graph may read. */
function refresh(rng: Rng, cat: CatalogMarket[], relatedIds: Set<string>): { next: CatalogMarket[]; graphChange: boolean } {
  const next = cat.map((m) => (rng.chance(0.3) ? { ...m, volume: m.volume + rng.int(1, 1_000), outcomePrices: [...m.outcomePrices] } : m));
  const kind = rng.pick(['none', 'none', 'question', 'eventId', 'endDate', 'negRisk', 'sports', 'slug', 'close', 'add', 'fee', 'title']);
  // Mostly markets in a relation, where a change shows.
  const id = rng.chance(0.7) && relatedIds.size ? rng.pick([...relatedIds]) : undefined;
  const i = id !== undefined ? next.findIndex((m) => m.id === id) : rng.int(0, next.length);
  const m = next[i]!;
  let graphChange = true;
  switch (kind) {
    case 'question':
      next[i] = { ...m, question: `${m.question.replace(/\?$/, '')} by December 31, 2027?` };
      break;
    case 'eventId':
      next[i] = { ...m, eventId: `moved-${m.id}` };
      break;
    case 'endDate':
      next[i] = { ...m, endDate: (m.endDate ?? 0) + 40 * 86_400_000 };
      break;
    case 'negRisk':
      next[i] = { ...m, negRisk: !m.negRisk };
      break;
    case 'sports':
      next[i] = { ...m, sportsMarketType: 'moneyline' };
      break;
    case 'slug':
      next[i] = m.id === 'canal-mar' ? m : { ...m, slug: 'canal-march' };
      break;
    case 'close':
      next[i] = { ...m, closed: true };
      break;
    case 'add':
      next.push(market(`Will the ferry ${rng.int(0, 1e6)} sail by May 1, 2027?`));
      break;
    case 'fee':
      // Fees and titles are read by the baskets and their text, not by the graph.
      next[i] = { ...m, fee: { ...m.fee, rate: m.fee.rate + 0.01 } };
      graphChange = false;
      break;
    case 'title':
      next[i] = { ...m, eventTitle: `${m.eventTitle ?? ''} (renamed)`, groupItemTitle: 'Other' };
      graphChange = false;
      break;
    default:
      graphChange = false;
  }
  return { next, graphChange };
}

describe('rebuild on a refreshed catalog', () => {
  it('ends in the state of a new scanner over 20 refreshes, and keeps the relations exactly when the graph inputs did not change', () => {
    const rng = new Rng('arb-rebuild');
    let cat = base();
    const kept = new ArbScanner({}, OVERRIDES);
    kept.build(cat);
    expect(kept.relations().some((r) => r.kind === 'override')).toBe(true);
    let reused = 0;
    let rebuilt = 0;
    for (let step = 0; step < 20; step++) {
      const relatedIds = new Set(kept.relations().flatMap((r) => [kept.market(r.from)!.id, kept.market(r.to)!.id]));
      const { next, graphChange } = refresh(rng, cat, relatedIds);
      cat = next;
      const before = kept.relations();
      kept.build(cat);
      const fresh = new ArbScanner({}, OVERRIDES);
      fresh.build(cat);
      expect(state(kept), `step ${step}`).toEqual(state(fresh));
      if (kept.relations() === before) reused++;
      else rebuilt++;
      // A change the graph reads always rebuilds it; a refresh of volumes, fees or titles never does.
      if (!graphChange) expect(kept.relations(), `step ${step}`).toBe(before);
    }
    expect(reused).toBeGreaterThan(3);
    expect(rebuilt).toBeGreaterThan(3);
  });

  it('rebuilds the graph for a change of each field it reads, to the state of a new scanner', () => {
    const edit = (cat: CatalogMarket[], ids: string[], patch: Partial<CatalogMarket>) => cat.map((m) => (ids.includes(m.id) ? { ...m, ...patch } : m));
    const cases: [string, (cat: CatalogMarket[]) => CatalogMarket[]][] = [
      ['question', (c) => edit(c, ['treaty-jun'], { question: 'Will the treaty be ratified by June 30, 2027?' })],
      ['slug', (c) => edit(c, ['canal-mar'], { slug: 'canal-renamed' })],
      ['conditionId', (c) => edit(c, ['ship-jun'], { conditionId: '0xrenamed', slug: '' })],
      ['id', (c) => edit(c, ['treaty-mar'], { id: 'treaty-march' })],
      ['eventId', (c) => edit(c, ['treaty-jun'], { eventId: 'treaty-2' })],
      ['negRisk', (c) => edit(c, ['treaty-mar', 'treaty-jun'], { negRisk: true })],
      ['endDate', (c) => edit(c, ['resign-b'], { endDate: Date.UTC(2028, 11, 31) })],
      ['sportsMarketType', (c) => edit(c, ['treaty-mar'], { sportsMarketType: 'moneyline' })],
    ];
    const cat = base();
    for (const [field, change] of cases) {
      const kept = new ArbScanner({}, OVERRIDES);
      kept.build(cat);
      const before = kept.relations();
      const next = change(cat);
      kept.build(next);
      const fresh = new ArbScanner({}, OVERRIDES);
      fresh.build(next);
      expect(kept.relations(), field).not.toEqual(before);
      expect(state(kept), field).toEqual(state(fresh));
    }
  });

  it('parses a question once across builds and forgets questions no longer listed', () => {
    const a = market('Will the bridge open by July 1, 2027?');
    const b = market('Will the tunnel open by July 1, 2027?');
    const cache = new Map<string, ParsedQuestion>();
    const first = marketTexts([a, b], cache);
    const second = marketTexts([{ ...a, volume: 5 }], cache);
    expect(second[0]!.f).toBe(first[0]!.f);
    expect(second[0]!.f).toEqual(textFeatures(a.question));
    expect([...cache.keys()]).toEqual([a.question]);
  });
});
