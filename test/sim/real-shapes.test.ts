// The simulator's real-shaped catalog: game events of short sub-markets,
// award categories, macro prints, … served by its Gamma in the venue's own
// fields, and read by the real categoriser and clusterer as real data is.
// The world is built in process and its Gamma objects go through the same
// decoder the catalog sync uses (no servers: the objects are what /markets
// serves, see gamma.test.ts for the routes).
import { describe, expect, it } from 'vitest';
import { gammaMarketSchema, type CatalogMarket } from '../../src/protocol/gamma.js';
import { scan, type ScanResult } from '../../src/scan/scan.js';
import { defaultTaxonomy } from '../../src/scan/taxonomy.js';
import { Exchange } from '../../src/sim/exchange.js';
import { GammaWire } from '../../src/sim/gamma-wire.js';
import { loadTemplates, World } from '../../src/sim/world.js';
import { sanitize } from '../../src/text/sanitize.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const SEED = 'real-shapes';
const CORE = 1200;

const world = new World({ seed: SEED, markets: CORE });
const exchange = new Exchange(world, SEED, 'fast');
const wire = new GammaWire(world, exchange);
// /markets carries no tags on the venue (only events[] with series): neither do these.
const raw: Json[] = world.markets.map((m) => JSON.parse(JSON.stringify(wire.market(m, false))));
const markets: CatalogMarket[] = raw.map((o) => gammaMarketSchema.parse(o));
const result: ScanResult = scan(markets, { now: world.epochMs });
const catalogIdx = world.markets.map((m, i) => (world.isCatalogCategory(m.category) ? i : -1)).filter((i) => i >= 0);

describe('real-shaped catalog in the simulator', () => {
  it('adds share × the core size on top of the core world, whose draws do not move', () => {
    const share = loadTemplates().catalog!.share;
    expect(catalogIdx.length).toBeGreaterThanOrEqual(Math.round(CORE * share));
    expect(catalogIdx[0]).toBe(CORE);
    // The same seed without the catalog: the same core markets, ids, plants and prices.
    const tpl = loadTemplates();
    delete tpl.catalog;
    const core = new World({ seed: SEED, markets: CORE, templates: tpl });
    expect(core.markets.length).toBe(CORE);
    expect(JSON.stringify(core.exportTruth())).toBe(JSON.stringify({ ...(world.exportTruth() as Json), markets: (world.exportTruth() as Json).markets.slice(0, CORE) }));
    // And the exchange moves the core books exactly as before: the catalog trades on its own stream.
    const a = new Exchange(new World({ seed: SEED, markets: 300 }), SEED, 'fast');
    const initialEvents = a.world.events.length;
    const tpl2 = loadTemplates();
    delete tpl2.catalog;
    const b = new Exchange(new World({ seed: SEED, markets: 300, templates: tpl2 }), SEED, 'fast');
    for (let i = 0; i < 120; i++) {
      a.step(30 * 60_000, 40);
      b.step(30 * 60_000, 40);
    }
    expect(a.world.markets.length).toBeGreaterThan(b.world.markets.length);
    const state = (e: Exchange) =>
      e.world.markets.slice(0, 300).map((m) => [m.closed, m.winner, e.book(m.tokenIds[0])?.bestBid, e.book(m.tokenIds[0])?.bestAsk, e.book(m.tokenIds[1])?.bestBid].join(':'));
    expect(state(a)).toEqual(state(b));
    // Both ran: core markets resolved and catalog games resolved and came back with all their lines.
    expect(a.world.markets.slice(0, 300).some((m) => m.closed)).toBe(true);
    const respawned = a.world.events.filter((e) => e.index >= initialEvents && e.series && a.world.markets[e.markets[0]!]!.sportsMarketType);
    expect(respawned.length).toBeGreaterThan(0);
    expect(respawned.some((e) => e.markets.length >= 3)).toBe(true);
    for (const e of respawned) for (const i of e.markets) expect(a.book(a.world.markets[i]!.tokenIds[0])).toBeDefined();
  });

  it('serves game sub-markets in the venue shape: short questions, sportsMarketType, groupItemTitle, line, gameStartTime, series', () => {
    const games = raw.filter((o) => o.sportsMarketType);
    const types = new Set(games.map((o) => o.sportsMarketType));
    for (const t of ['moneyline', 'spreads', 'totals', 'child_moneyline', 'both_teams_to_score', 'tennis_set_totals', 'ufc_go_the_distance']) expect(types, t).toContain(t);
    for (const o of games) {
      expect(o.gameStartTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00\+00$/);
      expect(o.events[0].seriesSlug).toBe(o.events[0].series[0].slug);
      expect(Date.parse(o.endDate)).toBeGreaterThan(Date.parse(o.gameStartTime.replace(' ', 'T').replace('+00', 'Z')));
    }
    // Moneylines and spreads name the teams as outcomes; totals are Over/Under with a line.
    const mls = games.filter((o) => o.sportsMarketType === 'moneyline' && !o.negRisk && / vs\. /.test(o.question) && !o.question.includes(':'));
    expect(mls.length).toBeGreaterThan(10);
    for (const o of mls) expect(JSON.parse(o.outcomes)).toEqual(o.question.split(' vs. '));
    const sp = games.find((o) => o.sportsMarketType === 'spreads')!;
    expect(sp.question).toMatch(/^Spread: .+ \(-\d+\.5\)$/);
    expect(sp.line).toBeLessThan(0);
    expect(JSON.parse(sp.outcomes)[0]).toBe(/^Spread: (.+) \(/.exec(sp.question)![1]);
    const tot = games.filter((o) => o.sportsMarketType === 'totals');
    expect(tot.some((o) => /^O\/U \d+\.5$/.test(o.question))).toBe(true);
    for (const o of tot) expect(JSON.parse(o.outcomes)).toEqual(['Over', 'Under']);
    expect(games.some((o) => /^Game 3 Winner$/.test(o.groupItemTitle))).toBe(true);
    // Real league series, and event slugs in the venue's form (league-team-team-date).
    const series = new Set(games.map((o) => o.events[0].seriesSlug));
    for (const s of ['nba-2027', 'nhl', 'nfl', 'mlb', 'premier-league-2027', 'ufc']) expect(series, s).toContain(s);
    expect(['league-of-legends', 'counter-strike', 'dota-2'].some((s) => series.has(s))).toBe(true);
    expect(['atp', 'wta'].some((s) => series.has(s))).toBe(true);
    expect(games.every((o) => /^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+-\d{4}-\d{2}-\d{2}/.test(o.events[0].slug))).toBe(true);
  });

  it('soccer results are three-way negRisk events; awards and macro prints are negRisk events of one market per outcome', () => {
    const byEvent = new Map<string, Json[]>();
    for (const o of raw) byEvent.set(o.events[0].id, [...(byEvent.get(o.events[0].id) ?? []), o]);
    const three = [...byEvent.values()].filter((ms) => ms[0].negRisk && ms[0].sportsMarketType === 'moneyline');
    expect(three.length).toBeGreaterThan(0);
    for (const ms of three) {
      expect(ms).toHaveLength(3);
      expect(ms.some((o) => /end in a draw\?$/.test(o.question))).toBe(true);
      const sum = ms.reduce((s, o) => s + Number(JSON.parse(o.outcomePrices)[0]), 0);
      expect(Math.abs(sum - 1)).toBeLessThan(0.08);
    }
    const awards = [...byEvent.values()].filter((ms) => /^(Oscars|Grammys|Golden Globes|Emmys) 2027: /.test(ms[0].events[0].title));
    expect(awards.length).toBeGreaterThan(0);
    for (const ms of awards) {
      expect(ms.length).toBeGreaterThanOrEqual(5);
      expect(ms.every((o) => o.negRisk && o.events[0].negRisk && o.question.includes(o.groupItemTitle))).toBe(true);
    }
    const prints = [...byEvent.values()].filter((ms) => ['jobs-added', 'unemployment', 'us-inflation'].includes(ms[0].events[0].seriesSlug));
    expect(prints.length).toBeGreaterThan(0);
    for (const ms of prints) expect(ms.every((o) => o.negRisk && o.groupItemTitle)).toBe(true);
  });

  it('the real categoriser finds every family of the taxonomy, with Other ≤ 10%, and the catalog where its templates say', () => {
    const fam = new Map<string, number>();
    for (const c of result.categories) fam.set(c.family, (fam.get(c.family) ?? 0) + 1);
    for (const f of Object.keys(defaultTaxonomy().families)) expect(fam.get(f) ?? 0, f).toBeGreaterThan(0);
    expect((fam.get('Other') ?? 0) / markets.length).toBeLessThanOrEqual(0.1);
    let category = 0;
    let family = 0;
    for (const i of catalogIdx) {
      const want = world.categoryTemplate(world.markets[i]!.category)!.taxonomy!;
      const got = result.categories[i]!;
      if (got.category === want) category++;
      if (got.family === want.split('/')[0]) family++;
    }
    expect(category / catalogIdx.length).toBeGreaterThanOrEqual(0.95);
    expect(family / catalogIdx.length).toBeGreaterThanOrEqual(0.97);
  });

  it('identical short questions in different events are never duplicates; clusters are events first', () => {
    const eventsOf = new Map<string, Set<string>>();
    for (const m of markets) eventsOf.set(m.question, (eventsOf.get(m.question) ?? new Set()).add(m.eventId!));
    const shared = [...eventsOf].filter(([, evs]) => evs.size >= 2);
    expect(shared.length).toBeGreaterThanOrEqual(5);
    const eventOf = new Map(markets.map((m) => [m.id, m.eventId!]));
    for (const g of result.duplicates) {
      const q = new Set(g.map((id) => markets.find((m) => m.id === id)!.question));
      if ([...q].some((x) => (eventsOf.get(x)?.size ?? 0) >= 2)) expect(new Set(g.map((id) => eventOf.get(id))).size, g.join(',')).toBe(1);
    }
    // Every multi-market event is exactly one cluster, summarised by its title, and holds nothing else.
    const sizes = new Map<string, number>();
    for (const m of markets) sizes.set(m.eventId!, (sizes.get(m.eventId!) ?? 0) + 1);
    const clusterOf = new Map<string, number>();
    result.clusters.forEach((c, k) => c.marketIds.forEach((id) => clusterOf.set(id, k)));
    const title = new Map(markets.map((m) => [m.eventId!, m.eventTitle!]));
    let multi = 0;
    for (const [ev, n] of sizes) {
      if (n < 2) continue;
      multi++;
      const ids = markets.filter((m) => m.eventId === ev).map((m) => m.id);
      const ks = new Set(ids.map((id) => clusterOf.get(id)));
      expect(ks.size, ev).toBe(1);
      const c = result.clusters[[...ks][0]!]!;
      expect(c.kind).toBe('event');
      expect(c.summary).toBe(sanitize(title.get(ev)!, 200));
      expect(c.marketIds.length).toBe(ids.length);
    }
    expect(multi).toBeGreaterThan(100);
    // Clusters across events only by a stated rule (series or ladder), never an event cluster of two events.
    for (const c of result.clusters) {
      const evs = new Set(c.marketIds.map((id) => eventOf.get(id)));
      if (evs.size > 1) expect(['series', 'ladder'], c.summary).toContain(c.kind);
    }
  });
});
