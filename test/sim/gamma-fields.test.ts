// Gamma and CLOB objects as complete as the real ones: every field that most
// real objects of the same kind carry (real captures and the real catalog
// corpus, grouped by open/closed and negRisk) is present on the simulator's
// objects with the same JSON type. Skips cleanly without the shared captures.
import { gunzipSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAVE_FIXTURES } from '../protocol/fixtures.js';
import type { Simulator } from '../../src/sim/simulator.js';
import { attachBackfill } from '../../src/sim/history.js';
import { SimPool, getJson, manualClock, type Json } from './helpers.js';

const pool = new SimPool();
let sim: Simulator;
let gamma: string;
let clob: string;

type Kind = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'null';
const kindOf = (v: unknown): Kind => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind));

function readJson(rel: string): Json {
  const buf = fs.readFileSync(path.join(FIXTURES, rel));
  return JSON.parse((rel.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8'));
}

/** Fields present (not null) in at least half of `objs`, with their most common type. */
function majorityFields(objs: Json[]): Map<string, Kind> {
  const counts = new Map<string, Map<Kind, number>>();
  for (const o of objs) {
    for (const [k, v] of Object.entries(o)) {
      if (v === null || v === undefined) continue;
      const byKind = counts.get(k) ?? new Map<Kind, number>();
      byKind.set(kindOf(v), (byKind.get(kindOf(v)) ?? 0) + 1);
      counts.set(k, byKind);
    }
  }
  const out = new Map<string, Kind>();
  for (const [k, byKind] of counts) {
    const total = [...byKind.values()].reduce((a, b) => a + b, 0);
    if (total * 2 < objs.length) continue;
    out.set(k, [...byKind.entries()].sort((a, b) => b[1] - a[1])[0]![0]);
  }
  return out;
}

/** "field: want type, got …" for every majority field the simulator's objects lack or type differently. */
function gaps(real: Map<string, Kind>, mine: Json[]): string[] {
  const out: string[] = [];
  for (const [k, kind] of real) {
    const bad = mine.filter((o) => kindOf(o[k]) !== kind);
    if (bad.length) out.push(`${k}: want ${kind}, got ${kindOf(bad[0]![k])} on ${bad.length}/${mine.length}`);
  }
  return out;
}

beforeAll(async () => {
  let urls;
  ({ sim, urls } = await pool.start({ seed: 'fields', markets: 300, ...manualClock(600_000, 40) }));
  ({ gamma, clob } = urls);
  for (let i = 0; i < 60 && sim.world.markets.filter((m) => m.closed).length < 5; i++) sim.stepOnce();
  // Markets resolved before the epoch (every template, negRisk ones too), served with closed=true.
  attachBackfill(sim.world, { days: 5 });
}, 60_000);
afterAll(() => pool.stopAll());

describe.skipIf(!HAVE_FIXTURES)('field sets against real captures', () => {
  let realMarkets: Json[] = [];
  beforeAll(() => {
    realMarkets = [...readJson('real-catalog/markets.json.gz'), ...readJson('wom-polymarket-strategy/active-markets.json')];
  });

  const simMarkets = async (closed: boolean): Promise<Json[]> => {
    const out: Json[] = [];
    for (let offset = 0; offset < 2000; offset += 100) {
      const page = (await getJson(`${gamma}/markets?limit=100&offset=${offset}&closed=${closed}`)).body as Json[];
      out.push(...page);
      if (page.length < 100) break;
    }
    return out;
  };

  for (const closed of [false, true]) {
    for (const negRisk of [false, true]) {
      it(`Gamma /markets items (${closed ? 'closed' : 'open'}, negRisk ${negRisk}) carry every majority field of real ones with its type`, async () => {
        const real = realMarkets.filter((m) => Boolean(m.closed) === closed && Boolean(m.negRisk) === negRisk);
        expect(real.length).toBeGreaterThan(50);
        const mine = (await simMarkets(closed)).filter((m) => m.negRisk === negRisk);
        expect(mine.length).toBeGreaterThan(0);
        const want = majorityFields(real);
        expect(want.size).toBeGreaterThan(60);
        expect(gaps(want, mine)).toEqual([]);
      });
    }
  }

  for (const closed of [false, true]) {
    for (const negRisk of [false, true]) {
      it(`events nested in ${closed ? 'closed' : 'open'} /markets items (negRisk ${negRisk}) carry the majority fields of real nested events`, async () => {
        const real = realMarkets
          .filter((m) => Boolean(m.closed) === closed)
          .flatMap((m) => (Array.isArray(m.events) ? m.events : []))
          .filter((e: Json) => Boolean(e.negRisk) === negRisk);
        expect(real.length).toBeGreaterThan(50);
        const mine = (await simMarkets(closed)).flatMap((m) => m.events).filter((e: Json) => e.negRisk === negRisk);
        expect(mine.length).toBeGreaterThan(0);
        const want = majorityFields(real);
        expect(want.size).toBeGreaterThan(30);
        expect(gaps(want, mine)).toEqual([]);
      });
    }
  }

  it('/events items carry the majority fields of real events, with tags whose fields match real tags', async () => {
    const real = readJson('real-catalog/events.json.gz') as Json[];
    const mine = (await getJson(`${gamma}/events?limit=100`)).body as Json[];
    const want = majorityFields(real.filter((e) => !e.closed));
    expect(gaps(want, mine)).toEqual([]);
    const realTags = majorityFields(readJson('wom-polymarket-strategy/gamma_tags.json'));
    expect(gaps(realTags, mine.flatMap((e) => e.tags))).toEqual([]);
    const realSeries = majorityFields(realMarkets.flatMap((m) => (m.events ?? []).flatMap((e: Json) => e.series ?? [])));
    expect(realSeries.size).toBeGreaterThan(10);
    expect(gaps(realSeries, mine.flatMap((e) => e.series))).toEqual([]);
    const tags = (await getJson(`${gamma}/tags?limit=1000`)).body as Json[];
    expect(gaps(realTags, tags)).toEqual([]);
  });

  it('CLOB /markets items and /markets/{condition_id} carry every field of real CLOB markets with its type', async () => {
    const real = (readJson('nautilus_trader/http_responses/markets.json').data as Json[]).concat([
      readJson('nautilus_trader/test_data/clob_market_closed_binary_accepting_true.json'),
      readJson('nautilus_trader/test_data/clob_market_closed_binary_accepting_false.json'),
    ]);
    const want = majorityFields(real);
    const page = (await getJson(`${clob}/markets`)).body;
    expect(gaps(want, page.data)).toEqual([]);
    const realTokens = majorityFields(real.flatMap((m) => m.tokens));
    expect(gaps(realTokens, page.data.flatMap((m: Json) => m.tokens))).toEqual([]);
    const one = (await getJson(`${clob}/markets/${page.data[0].condition_id}`)).body;
    expect(gaps(want, [one])).toEqual([]);
  });

  it('/public-search answers {events, pagination} like the real response', async () => {
    const real = readJson('nautilus_trader/test_data/search_response.json');
    const word = sim.world.events[0]!.title.split(/\s+/).find((w) => w.length > 4)!;
    const mine = (await getJson(`${gamma}/public-search?q=${encodeURIComponent(word)}`)).body;
    expect(Object.keys(mine).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys(mine.pagination).sort()).toEqual(Object.keys(real.pagination).sort());
    expect(mine.events.length).toBeGreaterThan(0);
    // One real search hit only: compare with the majority of real events instead.
    const realEvents = (readJson('real-catalog/events.json.gz') as Json[]).filter((e) => !e.closed);
    expect(gaps(majorityFields(realEvents), mine.events)).toEqual([]);
  });
});
